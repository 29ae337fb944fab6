export * as Fanout from "./fanout";

import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { encodeTime } from "ulid";
import { Follow } from "../follow";
import * as Users from "../user/read";
import * as Feed from "./feed";
import { BIG, BigAuthorEntity, type EntryRef, FeedEntryEntity, HomeStateEntity } from "./feed";
import * as Live from "./live";

// The stream side of home timelines: the subscriber turns each table change into home-feed writes.

/** How many of a followee's latest posts and reposts land in a new follower's home. */
export const BACKFILL = 50;
/** Follow edges per query page (a page stops at 1 MB anyway); the next page loads while this one is written. */
export const FOLLOWERS_PAGE = 5000;
/** BatchWriteItem calls (25 entries each) in flight: a post to 5,000 followers is 200 calls. */
export const WRITES_IN_FLIGHT = 24;
const BATCH = 25;
/** Clocks of the Lambdas that stamp follows and posts may disagree by this much. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** Fan-out on write, unless the author has more followers than the threshold: then merge at read time. */
export function shouldFanOut(followers: number, threshold: number): boolean {
  return followers <= threshold;
}

export type Change =
  | { type: "activity.added" | "activity.removed"; entry: EntryRef }
  | { type: "follow.added"; followerId: string; followeeId: string }
  | { type: "follow.removed"; followerId: string; followeeId: string; since?: number };

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
  if (item.__edb_e__ === "feedEntry" && typeof item.feed === "string" && Feed.isProfile(item.feed)) {
    return { type: removed ? "activity.removed" : "activity.added", entry: Feed.toRef(item as EntryRef) };
  }
  // A follow item is never modified; only its birth and death matter.
  if (item.__edb_e__ === "follow" && record.eventName !== "MODIFY") {
    const edge = { followerId: String(item.followerId), followeeId: String(item.followeeId) };
    if (!removed) return { type: "follow.added", ...edge };
    return typeof item.createdAt === "number"
      ? { type: "follow.removed", ...edge, since: item.createdAt }
      : { type: "follow.removed", ...edge };
  }
  return undefined;
}

/** `threshold` and `page` (follow edges per query) come from the deploy (Resource.Timeline in the subscriber). */
export async function apply(change: Change, threshold: number, page = FOLLOWERS_PAGE): Promise<void> {
  switch (change.type) {
    case "activity.added":
      return fanOut(change.entry, threshold, page);
    case "activity.removed":
      return fanIn(change.entry, page);
    case "follow.added":
      return backfill(change.followerId, change.followeeId);
    case "follow.removed":
      return forget(change.followerId, change.followeeId, change.since);
  }
}

async function fanOut(entry: EntryRef, threshold: number, page: number) {
  const author = await Users.stored(entry.actorId);
  // Your own activity is always in your own home.
  await putAll([{ ...entry, feed: Feed.key.home(entry.actorId) }]);
  if (!shouldFanOut(author?.followers ?? 0, threshold)) {
    await markBig(entry.actorId, page);
    // Homes merge a big author at read time; only the followers online are told now, page by page.
    for await (const { ids } of followersOf(entry.actorId, page)) await Live.announce(entry, ids);
    return;
  }
  for await (const { ids } of followersOf(entry.actorId, page)) {
    const homes = Live.recipientsOf(entry, ids);
    await putAll(homes.map((id) => ({ ...entry, feed: Feed.key.home(id) })));
    await Live.announce(entry, homes);
  }
}

// Deletes go to every follower even for big authors: entries from before they were big must go too.
async function fanIn(entry: EntryRef, page: number) {
  await deleteAll([{ feed: Feed.key.home(entry.actorId), seq: entry.seq }]);
  for await (const { ids } of followersOf(entry.actorId, page))
    await deleteAll(ids.map((id) => ({ feed: Feed.key.home(id), seq: entry.seq })));
}

/** Listed before bumping so recomputing reads find the author; a saved cursor lets retries resume. */
async function markBig(userId: string, page: number) {
  const { data } = await BigAuthorEntity.get({ scope: BIG, userId }).go();
  if (data?.announced) return;
  if (!data) await BigAuthorEntity.put({ scope: BIG, userId }).go();
  for await (const { ids, cursor } of followersOf(userId, page, data?.announcedTo ?? null)) {
    await bumpAll(ids);
    if (cursor) await BigAuthorEntity.patch({ scope: BIG, userId }).set({ announcedTo: cursor }).go();
  }
  await BigAuthorEntity.patch({ scope: BIG, userId }).set({ announced: true }).remove(["announcedTo"]).go();
}

async function backfill(followerId: string, followeeId: string) {
  const big = await BigAuthorEntity.get({ scope: BIG, userId: followeeId }).go();
  // Bump again: markBig's follower query reads an eventually consistent index and may miss this follow.
  if (big.data) return bumpAll([followerId]);
  const recent = await Feed.read(Feed.key.user(followeeId), { limit: BACKFILL });
  // The follower's own posts reposted by the followee are in their home already.
  const mine = (entry: EntryRef) => Live.recipientsOf(entry, [followerId]).length === 0;
  await putAll(
    recent.filter((entry) => !mine(entry)).map((entry) => ({ ...entry, feed: Feed.key.home(followerId) })),
  );
}

/** Backfill plus later fan-out are both in the profile feed, so two key queries name every entry to drop. */
async function forget(followerId: string, followeeId: string, since?: number) {
  const profile = Feed.key.user(followeeId);
  const home = Feed.key.home(followerId);
  const floor =
    since === undefined
      ? undefined
      : `${encodeTime(Math.max(0, since - CLOCK_SKEW_MS), 10)}${"0".repeat(16)}`;
  let backfilled = floor ? await Feed.read(profile, { from: floor, limit: BACKFILL }) : [];
  let cursor: string | null = null;
  do {
    const query = FeedEntryEntity.query.byFeed({ feed: profile });
    const result: { data: { seq: string }[]; cursor: string | null } = await (floor
      ? query.gte({ seq: floor })
      : query
    ).go({ cursor, limit: 1000, attributes: ["seq"] });
    await deleteAll([...backfilled, ...result.data].map((e) => ({ feed: home, seq: e.seq })));
    backfilled = [];
    cursor = result.cursor;
  } while (cursor);
}

type FollowersPage = { ids: string[]; cursor: string | null };

/** Pages of `size` from `from` (null: the first), each with the cursor of the page after it. */
async function* followersOf(
  userId: string,
  size: number,
  from: string | null = null,
): AsyncGenerator<FollowersPage> {
  let next: Promise<FollowersPage> | undefined = Follow.followersPage(userId, from, size);
  while (next) {
    const page: FollowersPage = await next;
    next = page.cursor ? Follow.followersPage(userId, page.cursor, size) : undefined;
    // Observed here so a failed prefetch cannot go unhandled if the consumer stops first.
    next?.catch(() => {});
    if (page.ids.length) yield page;
  }
}

type HomeEntry = EntryRef & { feed: `home#${string}` };
type HomeKey = { feed: `home#${string}`; seq: string };

const keyOf = (k: { feed: string; seq: string }) => `${k.feed}\u0000${k.seq}`;

/** Runs `write` over chunks (of 25) with WRITES_IN_FLIGHT calls in flight (a pool, not waves). */
async function inFlight<T>(items: T[], write: (chunk: T[]) => Promise<void>, size = BATCH) {
  const chunks = Array.from({ length: Math.ceil(items.length / size) }, (_, i) =>
    items.slice(i * size, (i + 1) * size),
  );
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(WRITES_IN_FLIGHT, chunks.length) }, async () => {
      while (next < chunks.length) await write(chunks[next++]!);
    }),
  );
}

// BatchWriteItem may leave items unprocessed under throttling: retry just those, with backoff.
async function retrying<T extends HomeKey>(
  chunk: T[],
  send: (items: T[]) => Promise<HomeKey[]>,
  what: string,
) {
  let pending = chunk;
  for (let attempt = 0; pending.length; attempt++) {
    if (attempt > 8) throw new Error(`${what} left ${pending.length} entries unwritten`);
    if (attempt) await new Promise((r) => setTimeout(r, 25 * 2 ** attempt));
    const left = new Set((await send(pending)).map(keyOf));
    pending = pending.filter((item) => left.has(keyOf(item)));
  }
}

async function putAll(items: HomeEntry[]) {
  await inFlight(items, (chunk) =>
    retrying(chunk, async (p) => (await FeedEntryEntity.put(p).go()).unprocessed as HomeKey[], "fan-out"),
  );
}

async function deleteAll(keys: HomeKey[]) {
  await inFlight(keys, (chunk) =>
    retrying(chunk, async (p) => (await FeedEntryEntity.delete(p).go()).unprocessed as HomeKey[], "fan-in"),
  );
}

/** Readers' home states out of date: each one's next read recomputes the big authors it merges (one update each). */
async function bumpAll(userIds: string[]) {
  await inFlight(
    userIds,
    async ([id]) => {
      await HomeStateEntity.update({ feed: Feed.key.home(id!) })
        .add({ version: 1 })
        .go();
    },
    1,
  );
}
