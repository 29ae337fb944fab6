import { QueryCommand } from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { Cursor } from "../cursor";
import { client, table } from "../dynamo";
import { keyOf } from "../dynamo/batch";
import { VisibleError } from "../error";
import { type Feed, FeedEntryEntity, HomeStateEntity, ReactionsEntity } from "./feed.entity";
import * as Reactions from "./reactions";

export {
  BigAuthorEntity,
  type Feed,
  FeedEntryEntity,
  type FeedEntryItem,
  HomeStateEntity,
  ReactionsEntity,
} from "./feed.entity";
export { isProfile, key } from "./keys";

import { key } from "./keys";

/** The one partition of the big-author list. */
export const BIG = "all";

/** One partition absorbs about 1,000 writes/s, so the public timeline is spread over shards. */
export const PUBLIC_SHARDS = 8;
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** The public partition a post's entry lives in: the ULID's last (random) character, evenly over the shards. */
export const publicFeed = (seq: string): Feed =>
  key.public(CROCKFORD.indexOf(seq.at(-1) ?? "0") % PUBLIC_SHARDS);

export const publicFeeds: Feed[] = Array.from({ length: PUBLIC_SHARDS }, (_, i) => key.public(i));

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

const SEQ = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** A prefixed id's time-sortable part: `pst_01J…` → `01J…`, the key it has in every feed. */
export const seqOf = (id: string) => id.slice(id.indexOf("_") + 1);

export const clampLimit = (limit?: number) =>
  Math.min(Math.max(Math.trunc(limit ?? DEFAULT_LIMIT), 1), MAX_LIMIT);

const invalid = () =>
  new VisibleError("input", "cursor.invalid", "The cursor is not valid; start again from the first page.");

// The cursor is the last seq shown: new entries sort above it, so paging never repeats or skips under writes.
export function cursorOf(seq: string | undefined): string | null {
  return seq ? Cursor.encode({ s: seq }) : null;
}

export function seqFromCursor(cursor: string | null | undefined): string | undefined {
  const key = Cursor.decode(cursor);
  if (!key) return undefined;
  if (typeof key.s !== "string" || !SEQ.test(key.s)) throw invalid();
  return key.s;
}

export interface EntryRef {
  seq: string;
  postId: string;
  actorId: string;
  repostedBy?: string;
  /** Copied from the post (both immutable), so a page's every key is known from its entries. */
  authorId: string;
  mediaIds: string[];
}

/** One page of a feed by key: newest first (timelines) or oldest first (replies), from after the cursor. */
export async function read(
  feed: Feed,
  options: { from?: string; limit: number; order?: "asc" | "desc" },
): Promise<EntryRef[]> {
  const order = options.order ?? "desc";
  const query = FeedEntryEntity.query.byFeed({ feed });
  const ranged = options.from
    ? order === "desc"
      ? query.lt({ seq: options.from })
      : query.gt({ seq: options.from })
    : query;
  const { data } = await ranged.go({ order, limit: options.limit });
  return data.map(toRef);
}

export const toRef = (item: EntryRef): EntryRef => ({
  seq: item.seq,
  postId: item.postId,
  actorId: item.actorId,
  ...(item.repostedBy ? { repostedBy: item.repostedBy } : {}),
  authorId: item.authorId,
  mediaIds: item.mediaIds,
});

/** A page of the posts a user wrote (not reposted), oldest first by key, with the next page's cursor. */
export async function ownPosts(
  userId: string,
  cursor: string | null,
  limit: number,
): Promise<{ postIds: string[]; cursor: string | null }> {
  const page: { data: { postId: string; repostedBy?: string }[]; cursor: string | null } =
    await FeedEntryEntity.query
      .byFeed({ feed: key.user(userId) })
      .go({ cursor, attributes: ["postId", "repostedBy"], limit });
  return { postIds: page.data.filter((e) => !e.repostedBy).map((e) => e.postId), cursor: page.cursor };
}

/** Newest first across sources, one entry per seq (a big author's post may also sit in a home feed). */
export function mergeNewest(sources: EntryRef[][], limit: number): EntryRef[] {
  const bySeq = new Map<string, EntryRef>();
  for (const source of sources)
    for (const entry of source) if (!bySeq.has(entry.seq)) bySeq.set(entry.seq, entry);
  return [...bySeq.values()].sort((a, b) => (a.seq < b.seq ? 1 : a.seq > b.seq ? -1 : 0)).slice(0, limit);
}

/** A reader's hybrid state as read: the big authors they follow, trustworthy only when `builtAt === version`. */
export interface HomeState {
  bigs: string[];
  version?: number;
  builtAt?: number;
}

const toState = (item: Record<string, unknown>): HomeState => ({
  bigs: Array.isArray(item.bigs) ? (item.bigs as string[]) : [],
  ...(typeof item.version === "number" ? { version: item.version } : {}),
  ...(typeof item.builtAt === "number" ? { builtAt: item.builtAt } : {}),
});

export interface HomePage {
  entries: EntryRef[];
  state?: HomeState;
  /** The reader's own likes and reposts, when they are kept exact (see Reactions). */
  reactions?: Reactions.Reactions;
}

/** Reactions and state sort above the entries, so a first page is one descending query. */
export async function home(userId: string, options: { from?: string; limit: number }): Promise<HomePage> {
  const feed = key.home(userId);
  if (options.from) {
    const [entries, state, reactions] = await Promise.all([
      read(feed, options),
      HomeStateEntity.get({ feed }).go({ attributes: ["bigs", "version", "builtAt"], consistent: true }),
      Reactions.read(userId),
    ]);
    return {
      entries,
      ...(state.data ? { state: toState(state.data) } : {}),
      ...(reactions ? { reactions } : {}),
    };
  }
  // One key range over three entities (reactions, state, entries): ElectroDB queries one entity at a time.
  const { Items = [] } = await client.send(
    new QueryCommand({
      TableName: table(),
      ...topOf(feed),
      // The state must show a follow or unfollow made the moment before, the reactions a like.
      ConsistentRead: true,
      ScanIndexForward: false,
      Limit: options.limit + 2,
    }),
  );
  const page: HomePage = { entries: [] };
  for (const item of Items.map((raw) => unmarshall(raw))) {
    if (item.__edb_e__ === "reactions") {
      const reactions = Reactions.fromItem(item);
      if (reactions) page.reactions = reactions;
    } else if (item.__edb_e__ === "homeState") page.state = toState(item);
    else if (page.entries.length < options.limit) page.entries.push(toRef(item as EntryRef));
  }
  return page;
}

/** The sort-key prefix of every feed entry, as ElectroDB writes it (the same for every feed). */
let entriesPrefix: string | undefined;

/** The key range from the reactions item (the top: above the state) down through every entry. */
function topOf(feed: `home#${string}`) {
  entriesPrefix ??= (
    FeedEntryEntity.query.byFeed({ feed }).params() as { ExpressionAttributeValues: { ":sk1": string } }
  ).ExpressionAttributeValues[":sk1"];
  const top = keyOf(ReactionsEntity, { feed });
  return {
    KeyConditionExpression: "#pk = :pk and #sk between :entries and :top",
    ExpressionAttributeNames: { "#pk": "pk", "#sk": "sk" },
    ExpressionAttributeValues: marshall({ ":pk": top.pk, ":entries": entriesPrefix, ":top": top.sk }),
  };
}
