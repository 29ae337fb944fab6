export * as Timeline from "./index";

import { useUserId } from "../actor";
import { VisibleError } from "../error";
import { FollowEntity } from "../follow/follow.entity";
import { Post } from "../post";
import { Text } from "../text";
import { User } from "../user";
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
