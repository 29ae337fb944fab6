export * as Post from "./index";

import { ulid } from "ulid";
import * as z from "zod";
import { useUserId } from "../actor";
import * as Batch from "../dynamo/batch";
import { type Outcome, transact } from "../dynamo/service";
import { VisibleError } from "../error";
import { createId } from "../id";
import { avatarUrlOf } from "../media/urls";
import { Text } from "../text";
import * as Feed from "../timeline/feed";
import * as Reactions from "../timeline/reactions";
import { User } from "../user";
import { HandleEntity, UserEntity } from "../user/user.entity";
import { fn } from "../util";
import * as Attachments from "./attachments";
import { LikeEntity, PostEntity, type PostItem, RepostEntity } from "./post.entity";

export { LikeEntity, PostEntity, type PostItem, RepostEntity } from "./post.entity";

export const MAX_ATTACHMENTS = 4;
/** Tags beyond this are kept in the text but not indexed, so one post stays one transaction. */
export const MAX_INDEXED_TAGS = 10;
const MAX_MENTIONS = 20;
const MAX_ANCESTORS = 20;

export const PostId = z.string().regex(/^pst_[0-9A-HJKMNP-TV-Z]{26}$/, "Not a post id.");

const Body = z.string().refine((value) => Text.count(value) <= Text.MAX_POST_LENGTH, {
  message: `A post is at most ${Text.MAX_POST_LENGTH} characters.`,
  params: { code: "post.too_long" },
});

export const Author = z
  .object({ id: z.string(), handle: z.string(), displayName: z.string(), avatarUrl: z.string().nullable() })
  .meta({ id: "Author" });
export type Author = z.infer<typeof Author>;

export const Info = z
  .object({
    id: z.string(),
    author: Author,
    text: z.string(),
    media: z.array(Attachments.AttachmentInfo),
    hashtags: z.array(z.string()),
    mentions: z.array(z.object({ handle: z.string(), userId: z.string() })),
    createdAt: z.string(),
    editedAt: z.string().optional(),
    replyTo: z.string().optional(),
    likes: z.number().int(),
    reposts: z.number().int(),
    replies: z.number().int(),
    likedByMe: z.boolean(),
    repostedByMe: z.boolean(),
    /** Set when this timeline entry is someone's repost. */
    repostedBy: Author.optional(),
  })
  .meta({ id: "Post" });
export type Info = z.infer<typeof Info>;

export const Deleted = z.object({ id: z.string(), deleted: z.literal(true) }).meta({ id: "DeletedPost" });
export type Deleted = z.infer<typeof Deleted>;

export const Page = z
  .object({ items: z.array(Info), cursor: z.string().nullable() })
  .meta({ id: "PostPage" });
export type Page = z.infer<typeof Page>;

export const Thread = z
  .object({ post: Info, ancestors: z.array(z.union([Info, Deleted])), replies: Page })
  .meta({ id: "Thread" });
export type Thread = z.infer<typeof Thread>;

const notFound = () =>
  new VisibleError("not-found", "post.not_found", "This post does not exist or was deleted.");
const notYours = (verb: string) =>
  new VisibleError("forbidden", "post.forbidden", `You can only ${verb} your own posts.`);
const busy = () =>
  new VisibleError("conflict", "post.busy", "Too much is happening on this post; try again.");

/** A cancelled transaction's error: `explain` names it from the failed steps (nothing: an idempotent no-op). */
function settle<N extends string>(outcome: Outcome<N>, explain: (failed: N[]) => Error | undefined) {
  if (outcome.ok) return;
  if (outcome.failed.length === 0) throw busy();
  const error = explain(outcome.failed);
  if (error) throw error;
}

/** A post that exists and is not deleted. */
async function live(postId: string): Promise<PostItem> {
  const { data } = await PostEntity.get({ postId }).go();
  if (!data || data.deletedAt) throw notFound();
  return data;
}

async function resolveMentions(handles: string[]): Promise<{ handle: string; userId: string }[]> {
  const wanted = handles.slice(0, MAX_MENTIONS);
  if (wanted.length === 0) return [];
  const { data } = await HandleEntity.get(wanted.map((handleKey) => ({ handleKey }))).go();
  const byKey = new Map(data.map((item) => [item.handleKey, item.userId]));
  return wanted.flatMap((handle) => {
    const userId = byKey.get(handle);
    return userId ? [{ handle, userId }] : [];
  });
}

const entry = (feed: Feed.Feed, ref: Feed.EntryRef) => ({ feed, ...ref });
const indexedTags = (tags: string[]) => tags.slice(0, MAX_INDEXED_TAGS);

export const create = fn(
  z.object({
    text: Body,
    mediaIds: z
      .array(z.string())
      .refine((ids) => ids.length <= MAX_ATTACHMENTS, {
        message: `A post has at most ${MAX_ATTACHMENTS} attachments.`,
        params: { code: "post.too_many_media" },
      })
      .optional(),
    replyTo: PostId.optional(),
  }),
  async (input): Promise<Info> => {
    const userId = useUserId();
    const mediaIds = input.mediaIds ?? [];
    if (!input.text.trim() && mediaIds.length === 0)
      throw new VisibleError("input", "post.empty", "Write something or attach a file.");
    const parsed = Text.parse(input.text);
    const [mentions, parent] = await Promise.all([
      resolveMentions(parsed.mentions),
      input.replyTo ? live(input.replyTo) : undefined,
    ]);
    await Attachments.verify(mediaIds);
    const postId = createId("pst");
    const write = async (author: User.Card, cardAt: number | undefined) => {
      const ref: Feed.EntryRef = {
        seq: Feed.seqOf(postId),
        postId,
        actorId: userId,
        authorId: userId,
        mediaIds,
      };
      const outcome = await transact(({ post, feedEntry: feed, user }) => ({
        post: post
          .create({
            postId,
            authorId: userId,
            author,
            text: input.text,
            hashtags: parsed.hashtags,
            mentions,
            mediaIds,
            ...(parent
              ? {
                  replyTo: parent.postId,
                  ancestors: [...parent.ancestors, parent.postId].slice(-MAX_ANCESTORS),
                }
              : {}),
          })
          .commit(),
        profileEntry: feed.put(entry(Feed.key.user(userId), ref)).commit(),
        // Replies live in their thread, not on the public timeline.
        listEntry: feed
          .put(entry(parent ? Feed.key.replies(parent.postId) : Feed.publicFeed(ref.seq), ref))
          .commit(),
        parent: parent
          ? post
              .patch({ postId: parent.postId })
              .add({ replies: 1 })
              .where(({ deletedAt }, { notExists }) => notExists(deletedAt))
              .commit()
          : undefined,
        tags: indexedTags(parsed.hashtags).map((tag) => feed.put(entry(Feed.key.tag(tag), ref)).commit()),
        media: Attachments.claim(mediaIds, postId),
        card: user
          .check({ userId })
          .where(({ cardAt: at }, { eq, notExists }) =>
            cardAt === undefined ? notExists(at) : eq(at, cardAt),
          )
          .commit(),
      }));
      if (outcome.ok) return;
      const { failed } = outcome;
      if (failed.includes("parent")) throw notFound();
      if (failed.includes("card")) throw cardChanged;
      if (failed.includes("media")) throw Attachments.inUse();
      throw busy();
    };
    // The author's card rides on the post; the transaction checks it is still the latest (a rename between the
    // read and the write would otherwise leave this post with the old one), and reads it again if not.
    for (let attempt = 0; ; attempt++) {
      const { data: me } = await UserEntity.get({ userId }).go({ consistent: true });
      if (!me) throw new VisibleError("not-found", "profile.not_found", "Create your profile first.");
      try {
        await write(User.cardOf(me), me.cardAt);
        break;
      } catch (error) {
        if (error !== cardChanged || attempt >= 3) throw error === cardChanged ? busy() : error;
      }
    }
    return mustView(postId);
  },
);

/** Said by create's transaction when the author's card changed under it: read the card again and retry. */
const cardChanged = new Error("the author's card changed");

export const edit = fn(z.object({ postId: PostId, text: Body }), async ({ postId, text }) => {
  const userId = useUserId();
  const current = await live(postId);
  if (current.authorId !== userId) throw notYours("edit");
  if (!text.trim() && current.mediaIds.length === 0)
    throw new VisibleError("input", "post.empty", "Write something or attach a file.");
  const parsed = Text.parse(text);
  const mentions = await resolveMentions(parsed.mentions);
  const before = indexedTags(current.hashtags);
  const after = indexedTags(parsed.hashtags);
  const ref: Feed.EntryRef = {
    seq: Feed.seqOf(postId),
    postId,
    actorId: userId,
    authorId: userId,
    mediaIds: current.mediaIds,
  };
  settle(
    await transact(({ post, feedEntry: feed }) => ({
      post: post
        .patch({ postId })
        .set({ text, hashtags: parsed.hashtags, mentions, editedAt: Date.now() })
        .where(({ deletedAt }, { notExists }) => notExists(deletedAt))
        .commit(),
      tagsAdded: after
        .filter((tag) => !before.includes(tag))
        .map((tag) => feed.put(entry(Feed.key.tag(tag), ref)).commit()),
      tagsRemoved: before
        .filter((tag) => !after.includes(tag))
        .map((tag) => feed.delete({ feed: Feed.key.tag(tag), seq: ref.seq }).commit()),
    })),
    () => notFound(),
  );
  return mustView(postId);
});

/** Deletes one's own post: a tombstone stays for its replies; it leaves every feed it was in. */
export const remove = fn(z.object({ postId: PostId }), async ({ postId }) => {
  const userId = useUserId();
  const { data: current } = await PostEntity.get({ postId }).go();
  if (!current) throw notFound();
  if (current.authorId !== userId) throw notYours("delete");
  // A retried delete (e.g. the first one failed while releasing files) finishes releasing them.
  if (current.deletedAt) return Attachments.release(current.mediaIds);
  const seq = Feed.seqOf(postId);
  settle(
    await transact(({ post, feedEntry: feed }) => ({
      post: post
        .patch({ postId })
        .set({ deletedAt: Date.now(), text: "", hashtags: [], mentions: [] })
        .where(({ deletedAt }, { notExists }) => notExists(deletedAt))
        .commit(),
      // Removing the profile entry is what makes the stream subscriber clear followers' homes.
      profileEntry: feed.delete({ feed: Feed.key.user(userId), seq }).commit(),
      listEntry: feed
        .delete({ feed: current.replyTo ? Feed.key.replies(current.replyTo) : Feed.publicFeed(seq), seq })
        .commit(),
      parent: current.replyTo
        ? post.patch({ postId: current.replyTo }).subtract({ replies: 1 }).commit()
        : undefined,
      tags: indexedTags(current.hashtags).map((tag) =>
        feed.delete({ feed: Feed.key.tag(tag), seq }).commit(),
      ),
    })),
    // Someone (the author, in another tab) deleted it first.
    () => undefined,
  );
  await Attachments.release(current.mediaIds);
});

const Target = z.object({ postId: PostId });

const alive = () => (attr: { deletedAt: unknown }, op: { notExists: (a: unknown) => string }) =>
  op.notExists(attr.deletedAt);

/** Likes a post; liking twice is a no-op. The like, the counter and the liker's own set change together. */
export const like = fn(Target, async ({ postId }) => {
  const userId = useUserId();
  settle(
    await transact(({ like, post, reactions }) => ({
      like: like.create({ postId, userId }).commit(),
      post: post.patch({ postId }).add({ likes: 1 }).where(alive()).commit(),
      reactions: reactions
        .update({ feed: Reactions.feedOf(userId) })
        .add({ liked: [Feed.seqOf(postId)] })
        .commit(),
    })),
    (failed) => (failed.includes("post") ? notFound() : undefined),
  );
  await Reactions.maybeTrim(userId);
});

export const unlike = fn(Target, async ({ postId }) => {
  const userId = useUserId();
  settle(
    await transact(({ like, post, reactions }) => ({
      like: like
        .delete({ postId, userId })
        .where(({ userId }, { exists }) => exists(userId))
        .commit(),
      post: post.patch({ postId }).subtract({ likes: 1 }).commit(),
      reactions: reactions
        .update({ feed: Reactions.feedOf(userId) })
        .delete({ liked: [Feed.seqOf(postId)] })
        .commit(),
    })),
    (failed) => (failed.includes("like") ? undefined : notFound()),
  );
});

/** Reposts a post onto one's profile (and so into followers' homes); reposting twice is a no-op. */
export const repost = fn(Target, async ({ postId }) => {
  const userId = useUserId();
  const seq = ulid();
  // Author and attachments ride on the feed entry so timelines read them in the page's one batch get.
  const original = await live(postId);
  const shared = { authorId: original.authorId, mediaIds: original.mediaIds };
  settle(
    await transact(({ repost, post, feedEntry: feed, reactions }) => ({
      repost: repost.create({ postId, userId, seq }).commit(),
      post: post.patch({ postId }).add({ reposts: 1 }).where(alive()).commit(),
      profileEntry: feed
        .put(entry(Feed.key.user(userId), { seq, postId, actorId: userId, repostedBy: userId, ...shared }))
        .commit(),
      reactions: reactions
        .update({ feed: Reactions.feedOf(userId) })
        .add({ reposted: [Feed.seqOf(postId)] })
        .commit(),
    })),
    (failed) => (failed.includes("post") ? notFound() : undefined),
  );
  await Reactions.maybeTrim(userId);
});

export const unrepost = fn(Target, async ({ postId }) => {
  const userId = useUserId();
  const { data: existing } = await RepostEntity.get({ postId, userId }).go();
  if (!existing) return;
  settle(
    await transact(({ repost, post, feedEntry: feed, reactions }) => ({
      repost: repost
        .delete({ postId, userId })
        .where(({ userId }, { exists }) => exists(userId))
        .commit(),
      post: post.patch({ postId }).subtract({ reposts: 1 }).commit(),
      profileEntry: feed.delete({ feed: Feed.key.user(userId), seq: existing.seq }).commit(),
      reactions: reactions
        .update({ feed: Reactions.feedOf(userId) })
        .delete({ reposted: [Feed.seqOf(postId)] })
        .commit(),
    })),
    () => undefined,
  );
});

type Shown = Pick<Feed.EntryRef, "postId" | "repostedBy" | "authorId" | "mediaIds">;

/**
 * Feed entries as the caller sees them. Entries carry their post's author and media ids, and posts their
 * author's card, so posts, reposters, "liked/reposted by me" and media are one BatchGetItem for the whole page;
 * entries written before they carried them cost one batch get of their posts first, posts from before cards one
 * of their authors after. Entries whose post was deleted are left out. With the caller's own reactions at hand
 * (the home page reads them with its entries), a post they cover needs no like or repost key; with keys read
 * `ahead`, only the others are read.
 */
export async function views(
  entries: Shown[],
  reactions?: Reactions.Reactions,
  ahead?: { items?: Batch.Prefetched; keys?: (keys: Batch.Key[]) => void },
): Promise<Info[]> {
  if (entries.length === 0) return [];
  const viewer = useUserId();
  const unique = (ids: string[]) => [...new Set(ids)];
  const bare = unique(entries.filter((e) => !e.authorId || !e.mediaIds).map((e) => e.postId));
  const early = bare.length ? (await PostEntity.get(bare.map((postId) => ({ postId }))).go()).data : [];
  const posts = new Map(early.map((p) => [p.postId, p]));
  const refs = entries.map((e) => {
    const post = posts.get(e.postId);
    return { ...e, authorId: e.authorId ?? post?.authorId, mediaIds: e.mediaIds ?? post?.mediaIds ?? [] };
  });
  const postIds = unique(refs.map((e) => e.postId));
  // Posts carry their author's card: profiles are read only for reposters (and authors of posts without one).
  const cardless = [...posts.values()].filter((p) => !p.author).map((p) => p.authorId);
  const userIds = unique([...refs.flatMap((e) => e.repostedBy ?? []), ...cardless]);
  const likedIds = new Set<string>();
  const repostedIds = new Set<string>();
  const uncovered: string[] = [];
  for (const postId of postIds) {
    const seq = Feed.seqOf(postId);
    if (!Reactions.covers(reactions, seq)) uncovered.push(postId);
    else {
      if (reactions.liked.has(seq)) likedIds.add(postId);
      if (reactions.reposted.has(seq)) repostedIds.add(postId);
    }
  }
  const keys = [
    ...postIds.filter((postId) => !posts.has(postId)).map((postId) => Batch.keyOf(PostEntity, { postId })),
    ...userIds.map((userId) => Batch.keyOf(UserEntity, { userId })),
    ...uncovered.map((postId) => Batch.keyOf(LikeEntity, { postId, userId: viewer })),
    ...uncovered.map((postId) => Batch.keyOf(RepostEntity, { postId, userId: viewer })),
    ...Attachments.keys(refs.flatMap((e) => e.mediaIds)),
  ];
  ahead?.keys?.(keys);
  const items = await Batch.readWith(keys, ahead?.items);
  const users = new Map<string, User.Info>();
  for (const Item of items) {
    switch (Item.__edb_e__) {
      case "post": {
        const { data } = PostEntity.parse({ Item });
        if (data) posts.set(data.postId, data);
        break;
      }
      case "user": {
        const { data } = UserEntity.parse({ Item });
        if (data) users.set(data.userId, User.toInfo(data));
        break;
      }
      case "like":
        likedIds.add(String(Item.postId));
        break;
      case "repost":
        repostedIds.add(String(Item.postId));
        break;
    }
  }
  const media = Attachments.fromItems(items);
  const late = [...posts.values()].filter((p) => !p.author && !users.has(p.authorId)).map((p) => p.authorId);
  if (late.length) for (const [id, user] of await User.many(late)) users.set(id, user);
  return refs.flatMap((e) => {
    const post = posts.get(e.postId);
    if (!post || post.deletedAt) return [];
    const author = post.author ? fromCard(post.authorId, post.author) : users.get(post.authorId);
    if (!author) return [];
    const reposter = e.repostedBy ? users.get(e.repostedBy) : undefined;
    return [
      {
        id: post.postId,
        author: authorOf(author),
        text: post.text,
        media: post.mediaIds.flatMap((id) => media.get(id) ?? []),
        hashtags: post.hashtags,
        mentions: post.mentions,
        createdAt: new Date(post.createdAt).toISOString(),
        ...(post.editedAt ? { editedAt: new Date(post.editedAt).toISOString() } : {}),
        ...(post.replyTo ? { replyTo: post.replyTo } : {}),
        likes: post.likes,
        reposts: post.reposts,
        replies: post.replies,
        likedByMe: likedIds.has(post.postId),
        repostedByMe: repostedIds.has(post.postId),
        ...(reposter ? { repostedBy: authorOf(reposter) } : {}),
      },
    ];
  });
}

const fromCard = (id: string, card: User.Card): Pick<User.Info, keyof Author> => ({
  id,
  handle: card.handle,
  displayName: card.displayName,
  avatarUrl: avatarUrlOf(card.avatarKey),
});

const authorOf = (user: Pick<User.Info, keyof Author>): Author => ({
  id: user.id,
  handle: user.handle,
  displayName: user.displayName,
  avatarUrl: user.avatarUrl,
});

async function mustView(postId: string): Promise<Info> {
  const [view] = await views([{ postId }]);
  if (!view) throw notFound();
  return view;
}

export const REPLIES_LIMIT = 50;

/** A post with its ancestors (deleted ones as placeholders) and a page of direct replies, oldest first. */
export async function thread(
  postId: string,
  options: { cursor?: string; limit?: number } = {},
): Promise<Thread> {
  if (!PostId.safeParse(postId).success) throw notFound();
  const post = await live(postId);
  const [self, ancestors, replies] = await Promise.all([
    mustView(postId),
    ancestorsOf(post.ancestors),
    repliesOf(postId, { limit: REPLIES_LIMIT, ...options }),
  ]);
  return { post: self, ancestors, replies };
}

async function ancestorsOf(ids: string[]): Promise<(Info | Deleted)[]> {
  const shown = new Map((await views(ids.map((postId) => ({ postId })))).map((v) => [v.id, v]));
  return ids.map((id) => shown.get(id) ?? { id, deleted: true as const });
}

export async function repliesOf(
  postId: string,
  options: { cursor?: string; limit?: number } = {},
): Promise<Page> {
  const limit = Feed.clampLimit(options.limit);
  const from = Feed.seqFromCursor(options.cursor);
  const entries = await Feed.read(Feed.key.replies(postId), { from, limit, order: "asc" });
  return {
    items: await views(entries),
    cursor: entries.length === limit ? Feed.cursorOf(entries.at(-1)?.seq) : null,
  };
}
