export * as Search from "./index";

import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { z } from "zod";
import { Cursor } from "../cursor";
import { MediaEntity } from "../media/media.entity";
import { Post } from "../post";
import { PostEntity, type PostItem } from "../post/post.entity";
import * as Feed from "../timeline/feed";
import { User } from "../user";
import { UserEntity } from "../user/user.entity";
import { fn } from "../util";
import { searchIndex } from "./client";
import { postDoc, userDoc } from "./documents";
import type { SearchIndex, SortValues } from "./opensearch";
import * as Q from "./query";
import { foldKana, highlight, type Range } from "./text";

export type { PostDoc, UserDoc } from "./documents";
export type { SearchIndex } from "./opensearch";
export { parse } from "./query";

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 50;

const Highlight = z.object({ start: z.number().int(), end: z.number().int() });

export const PostHit = Post.Info.extend({
  /** UTF-16 ranges of `text` that matched the words and phrases searched for. */
  highlights: z.array(Highlight),
}).meta({ id: "PostHit" });
export type PostHit = z.infer<typeof PostHit>;

export const PostResults = z
  .object({ items: z.array(PostHit), cursor: z.string().nullable() })
  .meta({ id: "PostSearchPage" });

export const UserResults = z
  .object({ items: z.array(User.Info), cursor: z.string().nullable() })
  .meta({ id: "UserSearchPage" });

export const TagResults = z
  .object({ items: z.array(z.object({ tag: z.string(), count: z.number().int() })), cursor: z.null() })
  .meta({ id: "TagSuggestions" });

const limitOf = (limit?: number) => Math.min(Math.max(limit ?? DEFAULT_LIMIT, 1), MAX_LIMIT);

const encode = (sort: SortValues | null) => (sort ? Cursor.encode({ s: JSON.stringify(sort) }) : null);
function decode(cursor: string | undefined): SortValues | undefined {
  const key = Cursor.decode(cursor);
  if (!key) return undefined;
  const sort = JSON.parse(String(key.s ?? "null"));
  if (!Array.isArray(sort) || !sort.every((v) => typeof v === "string" || typeof v === "number"))
    throw Q.invalid("The cursor is not valid; start again from the first page.");
  return sort;
}

/** Posts matching a query, newest first or by relevance, each with what to highlight. */
export const posts = fn(
  z.object({
    q: z.string().max(Q.MAX_QUERY_LENGTH * 2),
    cursor: z.string().optional(),
    sort: z.enum(["latest", "relevance"]).default("latest"),
    tz: z.string().max(64).default("UTC"),
    limit: z.coerce.number().int().min(1).max(MAX_LIMIT).optional(),
  }),
  async (input) => {
    const query = Q.parse(input.q);
    const range = Q.timeRange(query, Q.checkTimeZone(input.tz));
    const size = limitOf(input.limit);
    const hits = await searchIndex.searchPosts({
      query,
      range,
      sort: input.sort,
      size,
      after: decode(input.cursor),
    });
    // The table is the truth: a post deleted since it was indexed is left out, an edited one shows its new text.
    const views = await Post.views(hits.ids.map((postId) => ({ postId })));
    const needles = Q.needles(query);
    return {
      items: views.map((post) => ({ ...post, highlights: highlight(post.text, needles) as Range[] })),
      cursor: encode(hits.next),
    };
  },
);

/** People by handle or display-name prefix (kana in either script). */
export const users = fn(
  z.object({
    q: z.string().max(64),
    cursor: z.string().optional(),
    limit: z.coerce.number().int().optional(),
  }),
  async (input) => {
    const prefix = foldKana(input.q.trim().replace(/^@/, ""));
    if (!prefix) return { items: [], cursor: null };
    const size = limitOf(input.limit);
    const hits = await searchIndex.searchUsers(prefix, size, decode(input.cursor));
    const found = await User.many(hits.ids);
    return { items: hits.ids.flatMap((id) => found.get(id) ?? []), cursor: encode(hits.next) };
  },
);

/** Hashtags starting with what was typed, most used first. */
export const tags = fn(
  z.object({ q: z.string().max(140), limit: z.coerce.number().int().optional() }),
  async (input) => {
    const prefix = input.q
      .trim()
      .replace(/^[#＃]/, "")
      .normalize("NFKC")
      .toLowerCase();
    if (!prefix) return { items: [], cursor: null };
    return { items: await searchIndex.suggestTags(prefix, Math.min(input.limit ?? 10, 20)), cursor: null };
  },
);

// --- Indexing: the stream subscriber's side ---

export type Change =
  | { type: "post"; postId: string; removed: boolean }
  | { type: "user"; userId: string; removed: boolean };

export interface StreamRecord {
  eventName?: string;
  dynamodb?: { NewImage?: Record<string, unknown>; OldImage?: Record<string, unknown> };
}

const SEARCHED_POST_FIELDS = ["text", "hashtags", "mentions", "deletedAt", "editedAt"] as const;

/** What a table change means for the index; counters (likes, followers) changing is nothing. */
export function changeOf(record: StreamRecord): Change | undefined {
  const image = record.dynamodb?.NewImage ?? record.dynamodb?.OldImage;
  if (!image) return undefined;
  const item = unmarshall(image as Record<string, AttributeValue>);
  const old = record.dynamodb?.OldImage
    ? unmarshall(record.dynamodb.OldImage as Record<string, AttributeValue>)
    : undefined;
  const removed = record.eventName === "REMOVE";
  const same = (fields: readonly string[]) =>
    record.eventName === "MODIFY" &&
    old &&
    fields.every((f) => JSON.stringify(old[f]) === JSON.stringify(item[f]));
  if (item.__edb_e__ === "post") {
    if (same(SEARCHED_POST_FIELDS)) return undefined;
    return { type: "post", postId: String(item.postId), removed };
  }
  if (item.__edb_e__ === "user") {
    if (same(["handle", "displayName"])) return undefined;
    return { type: "user", userId: String(item.userId), removed };
  }
  return undefined;
}

/** Brings one item's document in step with the table, reading the item as it is now (so replays are harmless). */
export async function apply(change: Change, index: SearchIndex = searchIndex): Promise<void> {
  if (change.type === "post") {
    const { data } = await PostEntity.get({ postId: change.postId }).go();
    if (!data || data.deletedAt) return index.removePost(change.postId, data?.deletedAt ?? Date.now());
    const doc = await toPostDoc(data);
    if (doc) await index.putPost(doc);
    return;
  }
  const { data } = await UserEntity.get({ userId: change.userId }).go();
  if (data) await index.putUser(userDoc(data));
}

async function toPostDoc(post: PostItem) {
  const ids: { mediaId: string }[] = post.mediaIds.map((mediaId: string) => ({ mediaId }));
  const [author, media] = await Promise.all([
    UserEntity.get({ userId: post.authorId }).go(),
    ids.length ? MediaEntity.get(ids).go() : undefined,
  ]);
  if (!author.data) return undefined;
  return postDoc({
    ...post,
    authorHandle: author.data.handle,
    mediaKinds: (media?.data ?? []).map((m) => m.kind),
  });
}

/**
 * Rebuilds the index from the table (an admin command, never a request path): one pass over user items
 * (no index lists every user, so this is a filtered, segmented scan), then each user's profile feed by key
 * query and their posts by batch get. Writes are idempotent, so it can run beside the live subscriber.
 */
export async function reindex(
  options: { segments?: number; log?: (line: string) => void; index?: SearchIndex } = {},
): Promise<{ users: number; posts: number }> {
  const index = options.index ?? searchIndex;
  const segments = options.segments ?? 4;
  let usersDone = 0;
  let postsDone = 0;
  await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let cursor: string | null = null;
      do {
        const page: { data: Parameters<typeof userDoc>[0][]; cursor: string | null } =
          await UserEntity.scan.go({
            cursor,
            segments: { total: segments, segment },
            limit: 100,
          } as never);
        for (const user of page.data) {
          await index.putUser(userDoc(user));
          usersDone++;
          postsDone += await reindexAuthor(user.userId, index);
        }
        cursor = page.cursor;
        options.log?.(`users ${usersDone}, posts ${postsDone}`);
      } while (cursor);
    }),
  );
  return { users: usersDone, posts: postsDone };
}

async function reindexAuthor(userId: string, index: SearchIndex): Promise<number> {
  let count = 0;
  let from: string | undefined;
  for (;;) {
    const entries = await Feed.read(`user#${userId}`, { limit: 100, ...(from ? { from } : {}) });
    const own = entries.filter((e) => !e.repostedBy).map((e) => ({ postId: e.postId }));
    const { data } = own.length ? await PostEntity.get(own).go() : { data: [] as PostItem[] };
    for (const post of data) {
      if (post.deletedAt) continue;
      const doc = await toPostDoc(post);
      if (doc) await index.putPost(doc);
      count++;
    }
    if (entries.length < 100) return count;
    from = entries.at(-1)?.seq;
  }
}
