export * as Search from "./index";

import * as z from "zod";
import { useUserId } from "../actor";
import { Cursor } from "../cursor";
import { Follow } from "../follow";
import { Post } from "../post";
import { blockedIds } from "../safety/checks";
import { blockedFor } from "../safety/hidden";
import { hides } from "../safety/rules";
import { Timeline } from "../timeline";
import { User } from "../user";
import { fn } from "../util";
import { searchIndex } from "./client";
import type { SortValues } from "./opensearch";
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
  .object({ items: z.array(User.ListedInfo), cursor: z.string().nullable() })
  .meta({ id: "UserSearchPage" });

export const TagResults = z
  .object({ items: z.array(z.object({ tag: z.string(), count: z.number().int() })), cursor: z.null() })
  .meta({ id: "TagSuggestions" });

const limitOf = (limit?: number) => Math.min(Math.max(limit ?? DEFAULT_LIMIT, 1), MAX_LIMIT);

const encode = (sort: SortValues | null) => (sort ? Cursor.encode({ s: JSON.stringify(sort) }) : null);
function decode(cursor: string | undefined): SortValues | undefined {
  const key = Cursor.decode(cursor);
  if (!key) return undefined;
  const invalid = () => Q.invalid("The cursor is not valid; start again from the first page.");
  let sort: unknown;
  try {
    sort = JSON.parse(String(key.s ?? "null"));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(sort) || !sort.every((v) => typeof v === "string" || typeof v === "number"))
    throw invalid();
  return sort;
}

/** Posts matching a query, newest first or by relevance, each with what to highlight. */
export const posts = fn(
  z.object({
    q: z.string().max(Q.MAX_QUERY_BYTES),
    cursor: z.string().max(2048).optional(),
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
    // Blocks hide people either way; mutes do not (searching for what you muted finds it).
    const [views, hidden] = await Promise.all([Timeline.viewsOf(hits.ids), blockedFor(useUserId())]);
    const needles = Q.needles(query);
    return {
      items: views
        .filter((post) => !hides(hidden, post))
        .map((post) => ({ ...post, highlights: highlight(post.text, needles) as Range[] })),
      cursor: encode(hits.next),
    };
  },
);

/** People by handle or display-name prefix (kana in either script). */
export const users = fn(
  z.object({
    q: z.string().max(64),
    cursor: z.string().max(2048).optional(),
    limit: z.coerce.number().int().min(1).max(MAX_LIMIT).optional(),
  }),
  async (input) => {
    const prefix = foldKana(input.q.trim().replace(/^@/, ""));
    if (!prefix) return { items: [], cursor: null };
    const size = limitOf(input.limit);
    const hits = await searchIndex.searchUsers(prefix, size, decode(input.cursor));
    const viewer = useUserId();
    // With the follow relation both ways, so a result shows "follows you" and the right Follow button.
    const [found, followed, following, blocked] = await Promise.all([
      User.many(hits.ids),
      Follow.followedBy(viewer, hits.ids),
      Follow.followersAmong(viewer, hits.ids),
      blockedIds(viewer),
    ]);
    return {
      items: hits.ids.flatMap((id) => {
        const profile = blocked.has(id) ? undefined : found.get(id);
        return profile ? [{ ...profile, followedByMe: followed.has(id), followsMe: following.has(id) }] : [];
      }),
      cursor: encode(hits.next),
    };
  },
);

/** Hashtags starting with what was typed, most used first. */
export const tags = fn(
  z.object({ q: z.string().max(140), limit: z.coerce.number().int().min(1).max(20).optional() }),
  async (input) => {
    const prefix = input.q
      .trim()
      .replace(/^[#＃]/, "")
      .normalize("NFKC")
      .toLowerCase();
    if (!prefix) return { items: [], cursor: null };
    return { items: await searchIndex.suggestTags(prefix, input.limit ?? 10), cursor: null };
  },
);

export const TRENDING_WINDOW_MS = 24 * 60 * 60 * 1000;

export const TrendingResults = z
  .object({
    items: z.array(z.object({ tag: z.string(), authors: z.number().int(), posts: z.number().int() })),
  })
  .meta({ id: "TrendingTags" });

/** Hashtags of the last 24 hours, by how many different people used them. */
export const trending = fn(
  z.object({ limit: z.coerce.number().int().min(1).max(20).optional() }),
  async (input) => ({
    items: await searchIndex.trendingTags(Date.now() - TRENDING_WINDOW_MS, input.limit ?? 10),
  }),
);

/** Who posted most lately (a week): the "popular" end of suggestions, read from the index, never a scan. */
export const activeAuthors = (size: number) =>
  searchIndex.activeAuthors(Date.now() - 7 * TRENDING_WINDOW_MS, size);
