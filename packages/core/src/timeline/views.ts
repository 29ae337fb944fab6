import { useActor } from "../actor";
import * as Batch from "../dynamo/batch";
import { Media } from "../media";
import { avatarUrlOf } from "../media/urls";
import type { Author, Deleted, Info, Page, Thread } from "../post/info";
import { PostId } from "../post/info";
import * as Posts from "../post/read";
import { blockedFor } from "../safety/hidden";
import { hides } from "../safety/rules";
import * as Users from "../user/read";
import * as Feed from "./feed";
import * as Reactions from "./reactions";

// The read model of posts lives with timelines, which (with threads and search) are its readers.

type Shown = Pick<Feed.EntryRef, "postId" | "repostedBy" | "authorId" | "mediaIds">;

/** Keys read ahead of this page, and who to tell the keys it needed (the next read's read-ahead). */
export interface Ahead {
  items?: Batch.Prefetched;
  keys?: (keys: Batch.Key[]) => void;
}

/** Entries carry author and media ids and posts their author's card, so a whole page is one batch get. */
export async function views(
  entries: Shown[],
  reactions?: Reactions.Reactions,
  ahead?: Ahead,
  known: Map<string, Posts.PostItem> = new Map(),
): Promise<Info[]> {
  if (entries.length === 0) return [];
  // A signed-out reader (public pages) has no likes or reposts of their own.
  const actor = useActor();
  const viewer = actor.type === "user" ? actor.properties.userId : undefined;
  const unique = (ids: string[]) => [...new Set(ids)];
  const postIds = unique(entries.map((e) => e.postId));
  const reposters = unique(entries.flatMap((e) => e.repostedBy ?? []));
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
    ...Posts.keys(postIds.filter((postId) => !known.has(postId))),
    ...Users.keys(reposters),
    ...(viewer ? Posts.reactionKeys(uncovered, viewer) : []),
    ...Media.keys(entries.flatMap((e) => e.mediaIds)),
  ];
  ahead?.keys?.(keys);
  const items = await Batch.readWith(keys, ahead?.items);
  const read = Posts.fromItems(items);
  const posts = new Map<string, Posts.PostItem>([...known, ...read.posts]);
  for (const id of read.liked) likedIds.add(id);
  for (const id of read.reposted) repostedIds.add(id);
  const users = Users.fromItems(items);
  const media = Media.fromItems(items);
  return entries.flatMap((e) => {
    const post = posts.get(e.postId);
    if (!post || post.deletedAt) return [];
    // A suspended author's card says so (Cards.spread): hidden here, on every page, with no read of its own.
    if (Users.cardHidden(post.authorId, post.author)) return [];
    const reposter = e.repostedBy ? users.get(e.repostedBy) : undefined;
    // A repost by someone suspended (or deleted) is theirs, so it goes with them.
    if (e.repostedBy && !reposter) return [];
    return [
      {
        id: post.postId,
        author: {
          id: post.authorId,
          handle: post.author.handle,
          displayName: post.author.displayName,
          avatarUrl: avatarUrlOf(post.author.avatarKey),
        },
        text: post.text,
        media: post.mediaIds.flatMap((id: string) => media.get(id) ?? []),
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

const authorOf = (user: Users.Info): Author => ({
  id: user.id,
  handle: user.handle,
  displayName: user.displayName,
  avatarUrl: user.avatarUrl,
});

/** Posts by id as the caller sees them (a thread names posts, not entries): their posts are read first. */
export async function viewsOf(postIds: string[]): Promise<Info[]> {
  const posts = await Posts.many(postIds);
  const refs = postIds.flatMap((postId) => {
    const post = posts.get(postId);
    return post ? [{ postId, authorId: post.authorId, mediaIds: post.mediaIds }] : [];
  });
  return views(refs, undefined, undefined, posts);
}

/** One post as the caller sees it; 404 when it does not exist or was deleted. */
export async function view(postId: string): Promise<Info> {
  const [shown] = await viewsOf([postId]);
  if (!shown) throw Posts.notFound();
  return shown;
}

export const REPLIES_LIMIT = 50;

/** A post with its ancestors (deleted ones as placeholders) and a page of direct replies, oldest first. */
export async function thread(
  postId: string,
  options: { cursor?: string; limit?: number } = {},
): Promise<Thread> {
  if (!PostId.safeParse(postId).success) throw Posts.notFound();
  const post = await Posts.live(postId);
  const [self, ancestors, replies] = await Promise.all([
    view(postId),
    ancestorsOf(post.ancestors),
    repliesOf(postId, { limit: REPLIES_LIMIT, ...options }),
  ]);
  return { post: self, ancestors, replies };
}

async function ancestorsOf(ids: string[]): Promise<(Info | Deleted)[]> {
  const shown = new Map((await viewsOf(ids)).map((v) => [v.id, v]));
  return ids.map((id) => shown.get(id) ?? { id, deleted: true as const });
}

/** A page of a post's direct replies, oldest first. */
export async function repliesOf(
  postId: string,
  options: { cursor?: string; limit?: number } = {},
): Promise<Page> {
  const limit = Feed.clampLimit(options.limit);
  const from = Feed.seqFromCursor(options.cursor);
  // A signed-out reader (public pages) has no blocks to apply.
  const actor = useActor();
  const [entries, hidden] = await Promise.all([
    Feed.read(Feed.key.replies(postId), { from, limit, order: "asc" }),
    actor.type === "user" ? blockedFor(actor.properties.userId) : { users: new Set<string>(), words: [] },
  ]);
  return {
    items: (await views(entries)).filter((post) => !hides(hidden, post)),
    cursor: entries.length === limit ? Feed.cursorOf(entries.at(-1)?.seq) : null,
  };
}
