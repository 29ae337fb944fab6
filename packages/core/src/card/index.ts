export * as Cards from "./index";

import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { conditionally } from "../dynamo";
import { PostEntity } from "../post/post.entity";
import { FeedEntryEntity } from "../timeline/feed.entity";
import { type Card, cardOf } from "../user";

// Every post carries its author's card (handle, display name, picture), so a page of posts reads no profile per
// author. When a profile's card changes, this subscriber copies the new one onto each of the author's posts.

/** Posts updated at once while a card spreads. */
export const IN_FLIGHT = 16;

export interface StreamRecord {
  eventName?: string;
  dynamodb?: { NewImage?: Record<string, unknown>; OldImage?: Record<string, unknown> };
}

/** A profile whose card got a newer stamp (Profile.update sets `cardAt`), with that card; else nothing. */
export function changeOf(record: StreamRecord): { userId: string; card: Card } | undefined {
  if (record.eventName !== "MODIFY") return undefined;
  const [before, after] = [record.dynamodb?.OldImage, record.dynamodb?.NewImage].map((image) =>
    image ? unmarshall(image as Record<string, AttributeValue>) : undefined,
  );
  if (after?.__edb_e__ !== "user" || typeof after.userId !== "string") return undefined;
  if (typeof after.cardAt !== "number" || after.cardAt === before?.cardAt) return undefined;
  return {
    userId: after.userId,
    card: cardOf(after as { handle: string; displayName: string; avatarKey?: string; cardAt: number }),
  };
}

/**
 * Copies the card onto every post of the author's profile feed (their posts and replies; not what they
 * reposted), page by page. Each write is conditional on the post holding an older card, so a retried or
 * overtaken run never puts back an older name. Returns how many posts were updated.
 */
export async function spread(userId: string, card: Card): Promise<number> {
  let updated = 0;
  let cursor: string | null = null;
  do {
    const page: { data: { postId: string; repostedBy?: string }[]; cursor: string | null } =
      await FeedEntryEntity.query
        .byFeed({ feed: `user#${userId}` })
        .go({ cursor, attributes: ["postId", "repostedBy"], limit: 500 });
    const own = page.data.filter((entry) => !entry.repostedBy).map((entry) => entry.postId);
    for (let i = 0; i < own.length; i += IN_FLIGHT)
      updated += (
        await Promise.all(own.slice(i, i + IN_FLIGHT).map((postId) => copy(postId, userId, card)))
      ).filter(Boolean).length;
    cursor = page.cursor;
  } while (cursor);
  return updated;
}

/** False when the post already has this card or a newer one (or is gone): nothing to do. */
const copy = (postId: string, userId: string, card: Card) =>
  conditionally(
    PostEntity.patch({ postId })
      .set({ author: card })
      .where(
        ({ authorId, author }, { eq, notExists, lt }) =>
          `${eq(authorId, userId)} AND (${notExists(author)} OR ${lt(author.at, card.at)})`,
      )
      .go(),
  );
