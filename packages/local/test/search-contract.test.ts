// Search behaviours every engine must show: the local stand-in always, a real OpenSearch when OPENSEARCH_URL is set.
import { postDoc, userDoc } from "@asyncsns/core/search/documents";
import { searchClient } from "@asyncsns/core/search/http";
import { openSearchIndex, type SearchIndex, type Sort } from "@asyncsns/core/search/opensearch";
import { parse, timeRange } from "@asyncsns/core/search/query";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSearch, startSearch } from "../src/search";

type Engine = { name: string; start(): Promise<{ index: SearchIndex; stop(): Promise<void> }> };

const engines: Engine[] = [
  {
    name: "local stand-in",
    async start() {
      const search: RunningSearch = await startSearch({ dataDir: "/unused", inMemory: true });
      const client = searchClient({
        node: search.endpoint,
        username: search.username,
        password: search.password,
      });
      return { index: openSearchIndex(client, { prefix: "contract-" }), stop: () => search.stop() };
    },
  },
];
const url = process.env.OPENSEARCH_URL;
if (url) {
  engines.push({
    name: "OpenSearch",
    async start() {
      const client = searchClient({
        node: url,
        username: process.env.OPENSEARCH_USERNAME ?? "admin",
        password: process.env.OPENSEARCH_PASSWORD ?? "",
      });
      return {
        index: openSearchIndex(client, { prefix: `contract-${Date.now()}-`, refresh: true }),
        stop: async () => {},
      };
    },
  });
}

const T0 = Date.UTC(2025, 0, 10, 3, 0, 0);
let n = 0;
const post = (text: string, extra: Partial<Parameters<typeof postDoc>[0]> = {}) =>
  postDoc({
    postId: `pst_${String(++n).padStart(26, "0")}`,
    authorId: "u-alice",
    authorHandle: "alice",
    text,
    hashtags: [],
    mentions: [],
    mediaKinds: [],
    createdAt: T0 + n * 60_000,
    ...extra,
  });

for (const engine of engines) {
  describe(`search contract: ${engine.name}`, () => {
    let index: SearchIndex;
    let stop: () => Promise<void>;
    const docs = {
      tower: post("東京タワーに行った"),
      rain: post("東京は雨だった"),
      order: post("タワーの東京"),
      english: post("I went to Tokyo Tower with @bob #travel", {
        mentions: [{ handle: "bob" }],
        hashtags: ["travel"],
      }),
      photo: post("京都の写真", {
        authorId: "u-bob",
        authorHandle: "Bob",
        mediaKinds: ["image"],
        hashtags: ["旅行"],
      }),
      reply: post("返信です 東京", { replyTo: "pst_x", hashtags: ["旅行", "tokyo"] }),
      edited: post("最初の文章"),
      gone: post("消える投稿"),
    };
    const ids = async (q: string, sort: Sort = "latest", tz = "Asia/Tokyo") => {
      const query = parse(q);
      const hits = await index.searchPosts({ query, range: timeRange(query, tz), sort, size: 50 });
      return hits.ids;
    };

    beforeAll(async () => {
      ({ index, stop } = await engine.start());
      for (const doc of Object.values(docs)) await index.putPost(doc);
      await index.putPost({ ...docs.edited, body: "書き直した文章", version: docs.edited.version + 1 });
      await index.removePost(docs.gone.id, docs.gone.version + 1);
      await index.putUser(
        userDoc({ userId: "u-alice", handle: "alice", displayName: "山田 花子", updatedAt: 1 }),
      );
      await index.putUser(
        userDoc({ userId: "u-bob", handle: "Bob", displayName: "タナカ ボブ", updatedAt: 1 }),
      );
      await index.putUser(
        userDoc({ userId: "u-tanaka", handle: "tanaka", displayName: "田中太郎", updatedAt: 1 }),
      );
    });
    afterAll(() => stop?.());

    it("東京 finds 「東京タワーに行った」, and so does タワー (a part of a word)", async () => {
      expect(await ids("東京")).toContain(docs.tower.id);
      expect(await ids("タワー")).toContain(docs.tower.id);
      expect(await ids("タワー")).toContain(docs.order.id);
    });

    it("a phrase matches only in order; words match in any order", async () => {
      expect(await ids('"東京タワー"')).toEqual([docs.tower.id]);
      expect(await ids("タワー 東京")).toEqual(expect.arrayContaining([docs.tower.id, docs.order.id]));
      expect(await ids('"tokyo tower"')).toEqual([docs.english.id]);
      expect(await ids('"tower tokyo"')).toEqual([]);
    });

    it("-雨 excludes, OR unions, newest first", async () => {
      const east = await ids("東京 -雨");
      expect(east).not.toContain(docs.rain.id);
      expect(east).toEqual([docs.reply.id, docs.order.id, docs.tower.id]);
      expect(await ids("京都 OR 返信")).toEqual([docs.reply.id, docs.photo.id]);
    });

    it("from:, to:, #tag, has:image and is:reply filter", async () => {
      expect(await ids("from:bob")).toEqual([docs.photo.id]);
      expect(await ids("to:bob")).toEqual([docs.english.id]);
      expect(await ids("#旅行")).toEqual([docs.reply.id, docs.photo.id]);
      expect(await ids("has:image")).toEqual([docs.photo.id]);
      expect(await ids("has:video")).toEqual([]);
      expect(await ids("東京 is:reply")).toEqual([docs.reply.id]);
      expect(await ids("東京 -is:reply -from:bob")).toEqual([docs.order.id, docs.rain.id, docs.tower.id]);
    });

    it("lang: uses the language detected at index time; since:/until: are days in the caller's zone", async () => {
      expect(await ids("tokyo lang:en")).toEqual([docs.english.id]);
      expect(await ids("tokyo lang:ja")).toEqual([]);
      expect(await ids("京 lang:ja")).toHaveLength(5);
      // Every post is on 2025-01-10 in Tokyo (12:00 JST onwards) but 03:xx UTC: the zone decides.
      expect(await ids("東京 since:2025-01-10 until:2025-01-10", "latest", "Asia/Tokyo")).toHaveLength(4);
      expect(await ids("東京 until:2025-01-09", "latest", "America/Los_Angeles")).toHaveLength(4);
      expect(await ids("東京 since:2025-01-11")).toEqual([]);
    });

    it("an edited post matches its new text only; a deleted post is gone", async () => {
      expect(await ids("書き直した")).toEqual([docs.edited.id]);
      expect(await ids("最初")).toEqual([]);
      expect(await ids("消える")).toEqual([]);
      // A stale write (an older version replayed) does not bring old text back.
      await index.putPost(docs.edited);
      expect(await ids("最初")).toEqual([]);
    });

    it("full-width and case are folded; relevance puts the closer match first", async () => {
      expect(await ids("ＴＯＫＹＯ")).toEqual(await ids("tokyo"));
      const ranked = await ids("東京", "relevance");
      expect(new Set(ranked)).toEqual(new Set(await ids("東京")));
    });

    it("pages with search_after without repeats", async () => {
      const query = parse("東京");
      const first = await index.searchPosts({ query, range: {}, sort: "latest", size: 2 });
      const second = await index.searchPosts({
        query,
        range: {},
        sort: "latest",
        size: 2,
        after: first.next!,
      });
      expect(first.ids).toHaveLength(2);
      expect([...first.ids, ...second.ids]).toEqual(await ids("東京"));
    });

    it("people by handle or display-name prefix, kana in either script; tags by prefix", async () => {
      expect((await index.searchUsers("ali", 10)).ids).toEqual(["u-alice"]);
      expect((await index.searchUsers("山田", 10)).ids).toEqual(["u-alice"]);
      expect((await index.searchUsers("花子", 10)).ids).toEqual(["u-alice"]);
      expect((await index.searchUsers("たなか", 10)).ids).toEqual(["u-bob"]);
      expect((await index.searchUsers("田中", 10)).ids).toEqual(["u-tanaka"]);
      expect(await index.suggestTags("旅", 10)).toEqual([{ tag: "旅行", count: 2 }]);
      expect(await index.suggestTags("t", 10)).toEqual([
        { tag: "tokyo", count: 1 },
        { tag: "travel", count: 1 },
      ]);
    });

    it("trending tags since a moment, by distinct authors; active authors by posts", async () => {
      const since = T0 + 1_000 * 60_000;
      const at = (minutes: number) => ({ createdAt: since + minutes * 60_000 });
      const later = [
        post("a", { ...at(1), authorId: "u-t1", hashtags: ["shared"] }),
        post("b", { ...at(2), authorId: "u-t2", hashtags: ["shared"] }),
        post("c", { ...at(3), authorId: "u-t3", hashtags: ["shared", "solo"] }),
        post("d", { ...at(4), authorId: "u-t3", hashtags: ["solo"] }),
        post("e", { ...at(5), authorId: "u-t3", hashtags: ["solo"] }),
        post("f", { ...at(6), authorId: "u-t3", hashtags: ["solo"] }),
      ];
      for (const doc of later) await index.putPost(doc);
      expect(await index.trendingTags(since, 10)).toEqual([
        { tag: "shared", authors: 3, posts: 3 },
        { tag: "solo", authors: 1, posts: 4 },
      ]);
      expect(await index.trendingTags(since + 3.5 * 60_000, 10)).toEqual([
        { tag: "solo", authors: 1, posts: 3 },
      ]);
      expect(await index.activeAuthors(since, 2)).toEqual(["u-t3", "u-t1"]);
    });
  });
}
