export * as Timeline from "./index";

import { useUserId } from "../actor";
import { conditionally } from "../dynamo";
import * as Batch from "../dynamo/batch";
import { VisibleError } from "../error";
import { Follow } from "../follow";
import type { Page } from "../post/info";
import { hiddenFor } from "../safety/hidden";
import { type Hidden, hides, NOTHING } from "../safety/rules";
import { Text } from "../text";
import { User } from "../user";
import * as Feed from "./feed";
import { BIG, BigAuthorEntity, type EntryRef, HomeStateEntity } from "./feed";
import * as Reactions from "./reactions";
import * as ReadAhead from "./read-ahead";
import * as Views from "./views";

export { type EntryRef, mergeNewest, seqFromCursor, seqOf } from "./feed";
export * as ReadAhead from "./read-ahead";
export { REPLIES_LIMIT, repliesOf, thread, view, views, viewsOf } from "./views";

type Options = { cursor?: string; limit?: number };

// A page left short by what the reader hides keeps the cursor of the entries read, so paging goes on.
async function page(
  entries: EntryRef[],
  limit: number,
  reactions?: Reactions.Reactions,
  ahead?: Views.Ahead,
  hidden: Hidden = NOTHING,
): Promise<Page> {
  const items = await Views.views(entries, reactions, ahead);
  return {
    items: items.filter((post) => !hides(hidden, post)),
    cursor: entries.length === limit ? Feed.cursorOf(entries.at(-1)?.seq) : null,
  };
}

async function feedPage(feed: Feed.Feed, options: Options, hidden?: Promise<Hidden>): Promise<Page> {
  const limit = Feed.clampLimit(options.limit);
  const [entries, hide] = await Promise.all([
    Feed.read(feed, { from: Feed.seqFromCursor(options.cursor), limit }),
    hidden,
  ]);
  return page(entries, limit, undefined, undefined, hide);
}

/** Starts from what the last read learnt (`ahead`), so an unchanged first page is one round. */
export async function home(options: Options = {}, ahead: ReadAhead.ReadAhead = readAhead): Promise<Page> {
  const me = useUserId();
  const limit = Feed.clampLimit(options.limit);
  const from = Feed.seqFromCursor(options.cursor);
  const feedOf = (id: string) => Feed.read(Feed.key.user(id), { from, limit });
  const learnt = ahead.recall(me);
  const guessed = learnt.followed ?? [];
  const head = from ? undefined : learnt.head;
  const hidden = hiddenFor(me);
  const [{ entries, state, reactions }, prefetched, ...guesses] = await Promise.all([
    Feed.home(me, { from, limit }),
    head ? Batch.prefetch(head) : undefined,
    ...guessed.map(feedOf),
  ]);
  const bigs =
    state?.builtAt !== undefined && state.builtAt === state.version ? state.bigs : await rebuild(me, state);
  ahead.remember(me, { followed: bigs });
  const read = new Map(guessed.map((id, i) => [id, guesses[i]!]));
  const [feeds] = await Promise.all([
    Promise.all(bigs.map((id) => read.get(id) ?? feedOf(id))),
    // Seldom a write: once per KEEP new reactions.
    reactions ? Reactions.trim(me, reactions) : undefined,
  ]);
  return page(
    Feed.mergeNewest([entries, ...feeds], limit),
    limit,
    reactions,
    {
      ...(prefetched ? { items: prefetched } : {}),
      ...(from ? {} : { keys: (keys: Batch.Key[]) => ahead.remember(me, { head: keys }) }),
    },
    await hidden,
  );
}

/** This instance's read-ahead: a home read without its own `ahead` uses it. */
export const readAhead: ReadAhead.ReadAhead = ReadAhead.inMemory();

/** Stored as of the version read, so a concurrent bump skips the store and the next read recomputes. */
async function rebuild(userId: string, state: Feed.HomeState | undefined): Promise<string[]> {
  const bigs = await followedBigAuthors(userId);
  const version = state?.version;
  await conditionally(
    HomeStateEntity.update({ feed: Feed.key.home(userId) })
      .set({ bigs, builtAt: version ?? 0, ...(version === undefined ? { version: 0 } : {}) })
      .where((attr, op) =>
        version === undefined ? op.notExists(attr.version) : op.eq(attr.version, version),
      )
      .go(),
  );
  return bigs;
}

async function bigAuthors(): Promise<string[]> {
  const { data } = await BigAuthorEntity.query
    .all({ scope: BIG })
    .go({ pages: "all", attributes: ["userId"], consistent: true });
  return data.map((b) => b.userId).sort();
}

/** Big authors the user follows: one batch get of follow edges to the big-author list. */
async function followedAmong(userId: string, bigs: string[]): Promise<string[]> {
  const candidates = bigs.filter((id) => id !== userId);
  if (candidates.length === 0) return [];
  // Consistent: an unfollow the moment before must not come back from a stale replica.
  const followed = await Follow.followedBy(userId, candidates, { consistent: true });
  return candidates.filter((id) => followed.has(id));
}

/** Big authors the user follows, read afresh. */
export async function followedBigAuthors(userId: string): Promise<string[]> {
  return followedAmong(userId, await bigAuthors());
}

const noProfile = (handle: string) =>
  new VisibleError("not-found", "profile.not_found", `No one has the handle @${handle}.`);

/** A user's posts and reposts, newest first. */
export async function profile(handle: string, options: Options = {}): Promise<Page> {
  const user = await User.fromHandle(handle);
  if (!user) throw noProfile(handle);
  return feedPage(Feed.key.user(user.id), options);
}

/** Every top-level post, newest first: one query per public shard, in one round, merged. */
export async function everyone(options: Options = {}): Promise<Page> {
  const limit = Feed.clampLimit(options.limit);
  const from = Feed.seqFromCursor(options.cursor);
  const [shards, hidden] = await Promise.all([
    Promise.all(Feed.publicFeeds.map((feed) => Feed.read(feed, { from, limit }))),
    hiddenFor(useUserId()),
  ]);
  return page(Feed.mergeNewest(shards, limit), limit, undefined, undefined, hidden);
}

/** Posts with a hashtag; `#東京`, `東京` and full-width forms are one tag. */
export async function tagged(tag: string, options: Options = {}): Promise<Page> {
  const normalized = Text.normalizeTag(tag.replace(/^[#＃]/, ""));
  if (!normalized) throw new VisibleError("input", "tag.invalid", "A hashtag needs at least one letter.");
  // No post makes a longer tag, and NFKC may have grown it past what a DynamoDB key can hold.
  if (normalized.length > Text.MAX_TAG_LENGTH) return { items: [], cursor: null };
  return feedPage(Feed.key.tag(normalized), options, hiddenFor(useUserId()));
}
