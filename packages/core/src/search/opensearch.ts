// The SearchIndex on the OpenSearch REST API: Amazon OpenSearch Service in AWS, the local stand-in offline.
import type { PostDoc, UserDoc } from "./documents";
import { OpenSearchError, type SearchClient } from "./http";
import type { Query, Term } from "./query";

export type Sort = "latest" | "relevance";
export type SortValues = (string | number)[];

export interface PostSearch {
  query: Query;
  /** Epoch ms, from since:/until: in the caller's time zone (lt is exclusive). */
  range: { gte?: number; lt?: number };
  sort: Sort;
  size: number;
  after?: SortValues;
}

export interface Hits {
  ids: string[];
  /** Sort values of the last hit, when there may be more. */
  next: SortValues | null;
}

export interface TagCount {
  tag: string;
  count: number;
}

export interface TrendingTag {
  tag: string;
  /** How many different people used it in the window. */
  authors: number;
  posts: number;
}

/** The port: how the app keeps and asks its search index. */
export interface SearchIndex {
  putPost(doc: PostDoc): Promise<void>;
  removePost(id: string, version: number): Promise<void>;
  putUser(doc: UserDoc): Promise<void>;
  removeUser(id: string, version: number): Promise<void>;
  searchPosts(search: PostSearch): Promise<Hits>;
  searchUsers(prefix: string, size: number, after?: SortValues): Promise<Hits>;
  suggestTags(prefix: string, size: number): Promise<TagCount[]>;
  /** Tags of posts since `since` (epoch ms), by how many different people used them. */
  trendingTags(since: number, size: number): Promise<TrendingTag[]>;
  /** Ids of the people who posted most since `since` (epoch ms), most posts first. */
  activeAuthors(since: number, size: number): Promise<string[]>;
}

export const INDEX_VERSION = 1;

/** Settings and mappings of the posts index (kuromoji for Japanese, english, and a 1–2-gram field for partial words). */
export const postsIndex = {
  settings: {
    index: { number_of_shards: 1, max_ngram_diff: 1 },
    analysis: {
      tokenizer: {
        ja_tokenizer: { type: "kuromoji_tokenizer", mode: "search" },
        // Every character, spaces included, so a phrase on this field is an exact, in-order match.
        gram_tokenizer: { type: "ngram", min_gram: 1, max_gram: 2, token_chars: [] },
      },
      analyzer: {
        ja: {
          type: "custom",
          tokenizer: "ja_tokenizer",
          filter: [
            "kuromoji_baseform",
            "kuromoji_part_of_speech",
            "cjk_width",
            "ja_stop",
            "kuromoji_stemmer",
            "lowercase",
          ],
        },
        gram: { type: "custom", tokenizer: "gram_tokenizer" },
      },
    },
  },
  mappings: {
    dynamic: "strict",
    properties: {
      id: { type: "keyword" },
      authorId: { type: "keyword" },
      author: { type: "keyword" },
      body: {
        type: "text",
        analyzer: "ja",
        fields: { ngram: { type: "text", analyzer: "gram" }, en: { type: "text", analyzer: "english" } },
      },
      tags: { type: "keyword" },
      mentions: { type: "keyword" },
      media: { type: "keyword" },
      reply: { type: "boolean" },
      lang: { type: "keyword" },
      createdAt: { type: "long" },
      version: { type: "long" },
    },
  },
} as const;

export const usersIndex = {
  settings: { index: { number_of_shards: 1 } },
  mappings: {
    dynamic: "strict",
    properties: {
      id: { type: "keyword" },
      handle: { type: "keyword" },
      name: { type: "keyword" },
      nameWords: { type: "keyword" },
      version: { type: "long" },
    },
  },
} as const;

function clause(term: Term): Record<string, unknown> {
  switch (term.type) {
    case "word":
    case "phrase":
      return { match_phrase: { "body.ngram": term.value } };
    case "from":
      return { term: { author: term.handle } };
    case "to":
      return { term: { mentions: term.handle } };
    case "tag":
      return { term: { tags: term.tag } };
    case "has":
      return { term: { media: term.media } };
    case "is":
      return { term: { reply: true } };
  }
}

/** The request body for a post search: matching is all filters (the same on every engine); words only score. */
export function postsRequest(search: PostSearch): Record<string, unknown> {
  const { query, range, sort, size, after } = search;
  const filter: unknown[] = query.all.map((group) =>
    group.length === 1 ? clause(group[0]!) : { bool: { should: group.map(clause), minimum_should_match: 1 } },
  );
  if (range.gte !== undefined || range.lt !== undefined) filter.push({ range: { createdAt: range } });
  if (query.lang) filter.push({ term: { lang: query.lang } });
  const texts = query.all.flat().flatMap((t) => (t.type === "word" || t.type === "phrase" ? [t.value] : []));
  const should = texts.length
    ? [{ match: { body: { query: texts.join(" ") } } }, { match: { "body.en": { query: texts.join(" ") } } }]
    : [];
  return {
    size,
    track_total_hits: false,
    _source: false,
    query: {
      bool: {
        filter,
        ...(query.none.length ? { must_not: query.none.map(clause) } : {}),
        ...(should.length ? { should } : {}),
      },
    },
    sort:
      sort === "relevance"
        ? [{ _score: "desc" }, { createdAt: "desc" }, { id: "desc" }]
        : [{ createdAt: "desc" }, { id: "desc" }],
    ...(after ? { search_after: after } : {}),
  };
}

export function usersRequest(prefix: string, size: number, after?: SortValues): Record<string, unknown> {
  return {
    size,
    track_total_hits: false,
    _source: false,
    query: {
      bool: {
        should: [
          { prefix: { handle: prefix } },
          { prefix: { name: prefix } },
          { prefix: { nameWords: prefix } },
        ],
        minimum_should_match: 1,
      },
    },
    sort: [{ handle: "asc" }],
    ...(after ? { search_after: after } : {}),
  };
}

const escapeRegex = (s: string) => s.replace(/[.?+*|{}[\]()"\\#@&<>~]/g, "\\$&");

export function tagsRequest(prefix: string, size: number): Record<string, unknown> {
  return {
    size: 0,
    track_total_hits: false,
    query: { prefix: { tags: prefix } },
    aggs: { tags: { terms: { field: "tags", include: `${escapeRegex(prefix)}.*`, size } } },
  };
}

/** Distinct authors per tag: one spammer posting a tag a hundred times does not make it trend. */
export function trendingRequest(since: number, size: number): Record<string, unknown> {
  return {
    size: 0,
    track_total_hits: false,
    query: { bool: { filter: [{ range: { createdAt: { gte: since } } }] } },
    aggs: {
      tags: {
        terms: { field: "tags", size, order: { authors: "desc" } },
        aggs: { authors: { cardinality: { field: "authorId" } } },
      },
    },
  };
}

export function activeAuthorsRequest(since: number, size: number): Record<string, unknown> {
  return {
    size: 0,
    track_total_hits: false,
    query: { bool: { filter: [{ range: { createdAt: { gte: since } } }] } },
    aggs: { authors: { terms: { field: "authorId", size } } },
  };
}

type HitsResponse = { hits: { hits: { _id: string; sort?: SortValues }[] } };
type Bucket = { key: string; doc_count: number; authors?: { value: number } };
type TagsResponse = { aggregations?: Record<string, { buckets?: Bucket[] } | undefined> };

/** One copy of each shard per other data node, so every replica can be allocated (cluster green). */
export const replicasFor = (dataNodes: number) => Math.max(0, Math.floor(dataNodes) - 1);

/** The adapter; `refresh` makes writes visible at once (tests), otherwise within the index's refresh interval. */
export function openSearchIndex(
  client: SearchClient,
  options: { prefix?: string; refresh?: boolean } = {},
): SearchIndex {
  const prefix = options.prefix ?? "";
  const posts = `${prefix}posts-v${INDEX_VERSION}`;
  const users = `${prefix}users-v${INDEX_VERSION}`;
  const refresh = options.refresh ? ("wait_for" as const) : undefined;
  let ready: Promise<void> | undefined;

  // Created on first use and never changed in place: a new mapping is a new INDEX_VERSION and a re-index.
  const setup = () => {
    let replicas: Promise<number> | undefined;
    ready ??= Promise.all(
      (
        [
          [posts, postsIndex],
          [users, usersIndex],
        ] as const
      ).map(async ([index, body]) => {
        if (await client.indexExists(index)) return;
        // OpenSearch's default of one replica never allocates on a single node: the cluster would stay yellow.
        replicas ??= client.dataNodes().then(replicasFor);
        const settings = {
          ...body.settings,
          index: { ...body.settings.index, number_of_replicas: await replicas },
        };
        try {
          await client.createIndex(index, { ...body, settings });
        } catch (error) {
          if (!(error instanceof OpenSearchError && error.type === "resource_already_exists_exception"))
            throw error;
        }
      }),
    ).then(
      () => undefined,
      (error) => {
        ready = undefined;
        throw error;
      },
    );
    return ready;
  };

  // A version conflict means a newer document won; a deleted index is recreated rather than the write dropped.
  const versioned = async (write: () => Promise<unknown>, attempt = 0): Promise<void> => {
    await setup();
    try {
      await write();
    } catch (error) {
      if (!(error instanceof OpenSearchError)) throw error;
      if (error.type === "index_not_found_exception" && attempt === 0) {
        ready = undefined;
        return versioned(write, attempt + 1);
      }
      if (error.status === 409 || (error.status === 404 && error.type !== "index_not_found_exception"))
        return;
      throw error;
    }
  };

  const hitsOf = (body: HitsResponse, size: number): Hits => {
    const hits = body.hits.hits;
    return { ids: hits.map((h) => h._id), next: hits.length === size ? (hits.at(-1)?.sort ?? null) : null };
  };

  return {
    putPost: (doc) =>
      versioned(() =>
        client.index(posts, doc.id, doc, { version: doc.version, version_type: "external_gte", refresh }),
      ),
    removePost: (id, version) =>
      versioned(() => client.delete(posts, id, { version, version_type: "external_gte", refresh })),
    putUser: (doc) =>
      versioned(() =>
        client.index(users, doc.id, doc, { version: doc.version, version_type: "external_gte", refresh }),
      ),
    removeUser: (id, version) =>
      versioned(() => client.delete(users, id, { version, version_type: "external_gte", refresh })),
    async searchPosts(search) {
      await setup();
      return hitsOf(await client.search<HitsResponse>(posts, postsRequest(search)), search.size);
    },
    async searchUsers(q, size, after) {
      await setup();
      return hitsOf(await client.search<HitsResponse>(users, usersRequest(q, size, after)), size);
    },
    async suggestTags(q, size) {
      await setup();
      const body = await client.search<TagsResponse>(posts, tagsRequest(q, size));
      const buckets = body.aggregations?.tags?.buckets;
      return (buckets ?? []).map((b) => ({ tag: b.key, count: b.doc_count }));
    },
    async trendingTags(since, size) {
      await setup();
      const body = await client.search<TagsResponse>(posts, trendingRequest(since, size));
      return (body.aggregations?.tags?.buckets ?? []).map((b) => ({
        tag: b.key,
        authors: b.authors?.value ?? 0,
        posts: b.doc_count,
      }));
    },
    async activeAuthors(since, size) {
      await setup();
      const body = await client.search<TagsResponse>(posts, activeAuthorsRequest(since, size));
      return (body.aggregations?.authors?.buckets ?? []).map((b) => b.key);
    },
  };
}
