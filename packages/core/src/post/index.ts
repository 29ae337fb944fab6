export * as Post from "./index";

import { ulid } from "ulid";
import * as z from "zod";
import { useUserId } from "../actor";
import { type Outcome, transact } from "../dynamo/service";
import { VisibleError } from "../error";
import { createId } from "../id";
import { Limit } from "../limit";
import { MAX_ATTACHMENTS } from "../media/limits";
import { Text } from "../text";
import * as Feed from "../timeline/feed";
import * as Reactions from "../timeline/reactions";
import * as Views from "../timeline/views";
import * as Users from "../user/read";
import { fn, freeText } from "../util";
import * as Attachments from "./attachments";
import { type Info, PostId } from "./info";
import { PostEntity, RepostEntity } from "./post.entity";
import { live, notFound } from "./read";

export * from "./info";
export { get, live, many, notFound, type PostItem } from "./read";

/** Tags beyond this are kept in the text but not indexed, so one post stays one transaction. */
export const MAX_INDEXED_TAGS = 10;
const MAX_MENTIONS = 20;
const MAX_ANCESTORS = 20;

const Body = freeText(Text.Limits.POST);

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

async function resolveMentions(handles: string[]): Promise<{ handle: string; userId: string }[]> {
  const wanted = handles.slice(0, MAX_MENTIONS);
  if (wanted.length === 0) return [];
  const byKey = await Users.idsOf(wanted);
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
    await Limit.consume("post");
    const parsed = Text.parse(input.text);
    const [mentions, parent] = await Promise.all([
      resolveMentions(parsed.mentions),
      input.replyTo ? live(input.replyTo) : undefined,
    ]);
    await Attachments.verify(mediaIds);
    const postId = createId("pst");
    const write = async (author: Users.Card, cardAt: number | undefined) => {
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
    // The card is checked in the transaction so a rename between read and write never leaves a stale one.
    for (let attempt = 0; ; attempt++) {
      const me = await Users.stored(userId, { consistent: true });
      if (!me) throw new VisibleError("not-found", "profile.not_found", "Create your profile first.");
      try {
        await write(Users.cardOf(me), me.cardAt);
        break;
      } catch (error) {
        if (error !== cardChanged || attempt >= 3) throw error === cardChanged ? busy() : error;
      }
    }
    return Views.view(postId);
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
  return Views.view(postId);
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
