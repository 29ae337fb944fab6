export * as Fanout from "./index";

import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { FollowEntity } from "../follow/follow.entity";
import * as Feed from "../timeline/feed";
import { BIG, BigAuthorEntity, type EntryRef, FeedEntryEntity } from "../timeline/feed";
import { UserEntity } from "../user/user.entity";

// The stream side of home timelines: the subscriber turns each table change into home-feed writes.

/** How many of a followee's latest posts and reposts land in a new follower's home. */
export const BACKFILL = 50;
const FOLLOWERS_PAGE = 1000;

/** Fan-out on write, unless the author has more followers than the threshold: then merge at read time. */
export function shouldFanOut(followers: number, threshold: number): boolean {
  return followers <= threshold;
}

export type Change =
  | { type: "activity.added" | "activity.removed"; entry: EntryRef }
  | { type: "follow.added" | "follow.removed"; followerId: string; followeeId: string };

export interface StreamRecord {
  eventName?: string;
  dynamodb?: { NewImage?: Record<string, unknown>; OldImage?: Record<string, unknown> };
}

/** What a table change means for timelines: profile-feed activity or a follow edge; anything else is ignored. */
export function changeOf(record: StreamRecord): Change | undefined {
  const removed = record.eventName === "REMOVE";
  const image = removed ? record.dynamodb?.OldImage : record.dynamodb?.NewImage;
  if (!image) return undefined;
  const item = unmarshall(image as Record<string, AttributeValue>);
  if (item.__edb_e__ === "feedEntry" && typeof item.feed === "string" && item.feed.startsWith("user#")) {
    return { type: removed ? "activity.removed" : "activity.added", entry: Feed.toRef(item as EntryRef) };
  }
  // A follow item is never modified; only its birth and death matter.
  if (item.__edb_e__ === "follow" && record.eventName !== "MODIFY") {
    return {
      type: removed ? "follow.removed" : "follow.added",
      followerId: String(item.followerId),
      followeeId: String(item.followeeId),
    };
  }
  return undefined;
}

/** `threshold` comes from the deploy (Resource.Timeline in the subscriber). */
export async function apply(change: Change, threshold: number): Promise<void> {
  switch (change.type) {
    case "activity.added":
      return fanOut(change.entry, threshold);
    case "activity.removed":
      return fanIn(change.entry);
    case "follow.added":
      return backfill(change.followerId, change.followeeId);
    case "follow.removed":
      return forget(change.followerId, change.followeeId);
  }
}

async function fanOut(entry: EntryRef, threshold: number) {
  const author = await UserEntity.get({ userId: entry.actorId }).go();
  // Your own activity is always in your own home.
  await putAll([{ ...entry, feed: `home#${entry.actorId}` }]);
  if (!shouldFanOut(author.data?.followers ?? 0, threshold)) {
    await BigAuthorEntity.put({ scope: BIG, userId: entry.actorId }).go();
    return;
  }
  for await (const followers of followersOf(entry.actorId))
    await putAll(followers.map((id) => ({ ...entry, feed: `home#${id}` as const })));
}

// Deletes go to every follower even for big authors: entries from before they were big must go too.
async function fanIn(entry: EntryRef) {
  await deleteAll([{ feed: `home#${entry.actorId}`, seq: entry.seq }]);
  for await (const followers of followersOf(entry.actorId))
    await deleteAll(followers.map((id) => ({ feed: `home#${id}` as const, seq: entry.seq })));
}

async function backfill(followerId: string, followeeId: string) {
  const big = await BigAuthorEntity.get({ scope: BIG, userId: followeeId }).go();
  // A big author's feed is merged at read time already.
  if (big.data) return;
  const recent = await Feed.read(`user#${followeeId}`, { limit: BACKFILL });
  await putAll(recent.map((entry) => ({ ...entry, feed: `home#${followerId}` as const })));
}

async function forget(followerId: string, followeeId: string) {
  let cursor: string | null = null;
  do {
    const result: { data: { seq: string }[]; cursor: string | null } = await FeedEntryEntity.query
      .byActor({ feed: `home#${followerId}`, actorId: followeeId })
      .go({ cursor, limit: 500 });
    await deleteAll(result.data.map((e) => ({ feed: `home#${followerId}` as const, seq: e.seq })));
    cursor = result.cursor;
  } while (cursor);
}

async function* followersOf(userId: string) {
  let cursor: string | null = null;
  do {
    const result: { data: { followerId: string }[]; cursor: string | null } = await FollowEntity.query
      .byFollowee({ followeeId: userId })
      .go({ cursor, limit: FOLLOWERS_PAGE });
    if (result.data.length) yield result.data.map((edge) => edge.followerId);
    cursor = result.cursor;
  } while (cursor);
}

type HomeEntry = EntryRef & { feed: `home#${string}` };

const keyOf = (k: { feed: string; seq: string }) => `${k.feed}\u0000${k.seq}`;

// BatchWriteItem may leave items unprocessed under throttling: retry just those, with backoff.
async function putAll(items: HomeEntry[]) {
  let pending = items;
  for (let attempt = 0; pending.length; attempt++) {
    if (attempt > 8) throw new Error(`fan-out left ${pending.length} entries unwritten`);
    if (attempt) await new Promise((r) => setTimeout(r, 25 * 2 ** attempt));
    const { unprocessed } = await FeedEntryEntity.put(pending).go({ concurrency: 4 });
    const left = new Set(unprocessed.map(keyOf));
    pending = pending.filter((item) => left.has(keyOf(item)));
  }
}

async function deleteAll(keys: { feed: `home#${string}`; seq: string }[]) {
  let pending = keys;
  for (let attempt = 0; pending.length; attempt++) {
    if (attempt > 8) throw new Error(`fan-in left ${pending.length} entries undeleted`);
    if (attempt) await new Promise((r) => setTimeout(r, 25 * 2 ** attempt));
    const { unprocessed } = await FeedEntryEntity.delete(pending).go({ concurrency: 4 });
    const left = new Set(unprocessed.map(keyOf));
    pending = pending.filter((key) => left.has(keyOf(key)));
  }
}
