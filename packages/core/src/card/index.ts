export * as Cards from "./index";

import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import * as Posts from "../post/read";
import type { StreamRecord } from "../timeline/fanout";
import * as Feed from "../timeline/feed";
import { type Card, cardOf, User } from "../user";

// Every post carries its author's card (handle, display name, picture), so a page of posts reads no profile per
// author. When a profile's card changes, this subscriber copies the new one onto each of the author's posts.

/** Posts updated at once while a card spreads. */
export const IN_FLIGHT = 16;

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

/** Feed entries per page; the progress is saved after each. */
export const PAGE = 500;

/**
 * Copies the card onto every post of the author's profile feed (their posts and replies; not what they
 * reposted), page by page, oldest first. Each write is conditional on the post holding an older card, so an
 * overtaken run never puts back an older name. After each page the cursor is saved on the profile: a run that
 * timed out (an author with very many posts) is retried by the stream and carries on where it stopped. A card
 * already replaced by a newer one is left to that one's own run. Returns how many posts were updated.
 */
export async function spread(userId: string, card: Card): Promise<number> {
  const user = await User.stored(userId, { consistent: true });
  if (!user || (user.cardAt ?? 0) !== card.at) return 0;
  const resuming = user.cardSpreadAt === card.at;
  if (resuming && !user.cardSpreadTo) return 0;
  let cursor: string | null = resuming ? user.cardSpreadTo! : null;
  let updated = 0;
  do {
    const page = await Feed.ownPosts(userId, cursor, PAGE);
    const own = page.postIds;
    for (let i = 0; i < own.length; i += IN_FLIGHT)
      updated += (
        await Promise.all(own.slice(i, i + IN_FLIGHT).map((postId) => Posts.copyCard(postId, userId, card)))
      ).filter(Boolean).length;
    cursor = page.cursor;
    if (!(await User.saveCardProgress(userId, card.at, cursor))) break;
  } while (cursor);
  return updated;
}
