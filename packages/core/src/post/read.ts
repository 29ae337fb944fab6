import * as Batch from "../dynamo/batch";
import { VisibleError } from "../error";
import type { Card } from "../user/read";
import { LikeEntity, PostEntity, type PostItem, RepostEntity } from "./post.entity";

export type { PostItem } from "./post.entity";

// What other domains read of posts (timelines, search, cards), by function rather than by entity.

export const notFound = () =>
  new VisibleError("not-found", "post.not_found", "This post does not exist or was deleted.");

/** A post that exists and is not deleted. */
export async function live(postId: string): Promise<PostItem> {
  const data = await get(postId);
  if (!data || data.deletedAt) throw notFound();
  return data;
}

/** A post as stored, tombstone or not. */
export async function get(postId: string): Promise<PostItem | undefined> {
  const { data } = await PostEntity.get({ postId }).go();
  return data ?? undefined;
}

/** Posts by id in one batch get (missing ones left out). */
export async function many(postIds: string[]): Promise<Map<string, PostItem>> {
  const unique = [...new Set(postIds)];
  if (unique.length === 0) return new Map();
  const { data } = await PostEntity.get(unique.map((postId) => ({ postId }))).go();
  return new Map(data.map((post) => [post.postId, post]));
}

/** Table keys of posts, and of a viewer's likes and reposts of them, for a mixed batch get. */
export const keys = (postIds: string[]) => postIds.map((postId) => Batch.keyOf(PostEntity, { postId }));
export const reactionKeys = (postIds: string[], userId: string) => [
  ...postIds.map((postId) => Batch.keyOf(LikeEntity, { postId, userId })),
  ...postIds.map((postId) => Batch.keyOf(RepostEntity, { postId, userId })),
];

/** The posts, likes and reposts among raw items of a mixed batch get. */
export function fromItems(items: Batch.Item[]) {
  const posts = new Map<string, PostItem>();
  const liked = new Set<string>();
  const reposted = new Set<string>();
  for (const Item of items) {
    if (Item.__edb_e__ === "post") {
      const { data } = PostEntity.parse({ Item });
      if (data) posts.set(data.postId, data);
    } else if (Item.__edb_e__ === "like") liked.add(String(Item.postId));
    else if (Item.__edb_e__ === "repost") reposted.add(String(Item.postId));
  }
  return { posts, liked, reposted };
}

/** Puts the author's newer card on a post; false when it already has this card or a newer one (or is gone). */
export async function copyCard(postId: string, userId: string, card: Card): Promise<boolean> {
  try {
    await PostEntity.patch({ postId })
      .set({ author: card })
      .where(({ authorId, author }, { eq, lt }) => `${eq(authorId, userId)} AND ${lt(author.at, card.at)}`)
      .go();
    return true;
  } catch (error) {
    if ((error as { cause?: { name?: string } }).cause?.name === "ConditionalCheckFailedException")
      return false;
    throw error;
  }
}
