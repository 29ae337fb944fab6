export * as Timeline from "./index";

import { useUserId } from "../actor";
import { VisibleError } from "../error";
import { FollowEntity } from "../follow/follow.entity";
import { Post } from "../post";
import { Text } from "../text";
import { User } from "../user";
import { UserEntity } from "../user/user.entity";
import * as Feed from "./feed";
import { BIG, BigAuthorEntity, type EntryRef } from "./feed";

export { type EntryRef, mergeNewest, seqFromCursor, seqOf } from "./feed";

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
 * The caller's home: one key query of their fanned-out entries, merged with the profile feeds of the (few)
 * big authors they follow, then one batch get for the whole page (Post.views). The big authors' feeds are
 * read in the same round as the home partition, from the list this Lambda remembers for the reader; the
 * list is checked in that round too and recomputed only when it changed.
 */
export async function home(options: Options = {}): Promise<Post.Page> {
  const me = useUserId();
  const limit = Feed.clampLimit(options.limit);
  const from = Feed.seqFromCursor(options.cursor);
  const feedOf = (id: string) => Feed.read(`user#${id}`, { from, limit });
  const remembered = followed.get(me);
  const [own, version, bigs, merged] = await Promise.all([
    Feed.read(`home#${me}`, { from, limit }),
    followVersion(me),
    bigAuthors(),
    Promise.all((remembered?.ids ?? []).map(feedOf)),
  ]);
  const fresh = remembered && remembered.version === version && remembered.bigs === bigs.join();
  if (fresh) return page(Feed.mergeNewest([own, ...merged], limit), limit);
  const ids = await followedAmong(me, bigs);
  remember(me, { version, bigs: bigs.join(), ids });
  const feeds = await Promise.all(ids.map(feedOf));
  return page(Feed.mergeNewest([own, ...feeds], limit), limit);
}

/** Per reader: the big authors they follow, valid while their follows and the big-author list are unchanged. */
type Followed = { version: number; bigs: string; ids: string[] };
const followed = new Map<string, Followed>();
const REMEMBERED_READERS = 10_000;

function remember(userId: string, value: Followed) {
  followed.delete(userId);
  // Oldest first in insertion order: forget the least recently refreshed reader.
  if (followed.size >= REMEMBERED_READERS) followed.delete(followed.keys().next().value!);
  followed.set(userId, value);
}

/** Changes whenever the user follows or unfollows: both patch their user item, which stamps updatedAt. */
async function followVersion(userId: string): Promise<number> {
  const { data } = await UserEntity.get({ userId }).go({ attributes: ["updatedAt"] });
  return data?.updatedAt ?? 0;
}

async function bigAuthors(): Promise<string[]> {
  const { data } = await BigAuthorEntity.query
    .all({ scope: BIG })
    .go({ pages: "all", attributes: ["userId"] });
  return data.map((b) => b.userId).sort();
}

/** Big authors the user follows: one batch get of follow edges to the big-author list. */
async function followedAmong(userId: string, bigs: string[]): Promise<string[]> {
  const candidates = bigs.filter((id) => id !== userId);
  if (candidates.length === 0) return [];
  const edges = await FollowEntity.get(
    candidates.map((followeeId) => ({ followerId: userId, followeeId })),
  ).go();
  return edges.data.map((edge) => edge.followeeId);
}

/** Big authors the user follows, read afresh. */
export async function followedBigAuthors(userId: string): Promise<string[]> {
  return followedAmong(userId, await bigAuthors());
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
