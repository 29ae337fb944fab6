export * as Cards from "./index";

import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import * as Posts from "../post/read";
import type { StreamRecord } from "../timeline/fanout";
import * as Feed from "../timeline/feed";
import { type Card, cardOf, User } from "../user";

// Posts carry their author's card so a page of posts reads no profile per author.

/** Posts updated at once while a card spreads. */
export const IN_FLIGHT = 16;

/** A profile whose card got a newer stamp (a profile edit, a suspension or its lift), with that card; else nothing. */
export function changeOf(record: StreamRecord): { userId: string; card: Card } | undefined {
  if (record.eventName !== "MODIFY") return undefined;
  const [before, after] = [record.dynamodb?.OldImage, record.dynamodb?.NewImage].map((image) =>
    image ? unmarshall(image as Record<string, AttributeValue>) : undefined,
  );
  if (after?.__edb_e__ !== "user" || typeof after.userId !== "string") return undefined;
  if (typeof after.cardAt !== "number" || after.cardAt === before?.cardAt) return undefined;
  return {
    userId: after.userId,
    card: cardOf(after as Parameters<typeof cardOf>[0]),
  };
}

/** Feed entries per page; the progress is saved after each. */
export const PAGE = 500;

/** Conditional per post and resumed from a saved cursor, so no stale or timed-out run restores a name. */
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
