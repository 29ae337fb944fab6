export * as Timeline from "./index";

import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { Resource } from "sst";
import { useUserId } from "../actor";
import { VisibleError } from "../error";
import { FollowEntity } from "../follow/follow.entity";
import { Post } from "../post";
import { Text } from "../text";
import { User } from "../user";
import { UserEntity } from "../user/user.entity";
import * as Feed from "./feed";
import { BigAuthorEntity, type EntryRef, FeedEntryEntity } from "./feed";

export { type EntryRef, mergeNewest, seqFromCursor, seqOf } from "./feed";

/** How many of a followee's latest posts and reposts land in a new follower's home. */
export const BACKFILL = 50;
const FOLLOWERS_PAGE = 1000;
const BIG = "all";

/** Fan-out on write, unless the author has more followers than the threshold: then merge at read time. */
export function shouldFanOut(followers: number, threshold: number): boolean {
  return followers <= threshold;
}

/** Set per stage in infra (Resource.Timeline), so a deploy can trade write cost against read cost. */
export const fanoutThreshold = () => Number(Resource.Timeline.fanoutThreshold);

type Options = { cursor?: string; limit?: number };

async function page(entries: EntryRef[], limit: number): Promise<Post.Page> {
  return {
    items: await Post.views(entries),
    cursor: entries.length === limit ? Feed.cursorOf(entries.at(-1)?.seq) : null,
  };
}

async function feedPage(feed: Feed.Feed, options: Options): Promise<Post.Page> {
  const limit = Feed.clampLimit(options.limit);
  const entries = await Feed.read(feed, { from: Feed.seqFromCursor(options.cursor), limit });
  return page(entries, limit);
}

/**
 * The caller's home: one key query of their fanned-out entries, merged with the profile feeds of the
 * (few) big authors they follow, then one batch get per kind of data for the page.
 */
export async function home(options: Options = {}): Promise<Post.Page> {
  const me = useUserId();
  const limit = Feed.clampLimit(options.limit);
  const from = Feed.seqFromCursor(options.cursor);
  const [own, bigs] = await Promise.all([Feed.read(`home#${me}`, { from, limit }), followedBigAuthors(me)]);
  const merged = await Promise.all(bigs.map((id) => Feed.read(`user#${id}`, { from, limit })));
  return page(Feed.mergeNewest([own, ...merged], limit), limit);
}

/** Big authors the user follows: the short big-author list, then one batch get of follow edges. */
export async function followedBigAuthors(userId: string): Promise<string[]> {
  const { data } = await BigAuthorEntity.query.all({ scope: BIG }).go({ pages: "all" });
  const candidates = data.map((b) => b.userId).filter((id) => id !== userId);
  if (candidates.length === 0) return [];
  const edges = await FollowEntity.get(
    candidates.map((followeeId) => ({ followerId: userId, followeeId })),
  ).go();
  return edges.data.map((edge) => edge.followeeId);
}

const noProfile = (handle: string) =>
  new VisibleError("not-found", "profile.not_found", `No one has the handle @${handle}.`);

/** A user's posts and reposts, newest first. */
export async function profile(handle: string, options: Options = {}): Promise<Post.Page> {
  const user = await User.fromHandle(handle);
  if (!user) throw noProfile(handle);
  return feedPage(`user#${user.id}`, options);
}

/** Every top-level post, newest first. */
export async function everyone(options: Options = {}): Promise<Post.Page> {
  return feedPage("public", options);
}

/** Posts with a hashtag; `#東京`, `東京` and full-width forms are one tag. */
export async function tagged(tag: string, options: Options = {}): Promise<Post.Page> {
  const normalized = Text.normalizeTag(tag.replace(/^[#＃]/, ""));
  if (!normalized) throw new VisibleError("input", "tag.invalid", "A hashtag needs at least one letter.");
  return feedPage(`tag#${normalized}`, options);
}

// ---- Stream side: the fan-out subscriber applies one change per record. ----

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

export async function apply(change: Change, threshold = fanoutThreshold()): Promise<void> {
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
