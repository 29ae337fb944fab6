// The fetch-based search client against the real stand-in, and request for request against the official client.
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { postDoc } from "@asyncsns/core/search/documents";
import { OpenSearchError, searchClient } from "@asyncsns/core/search/http";
import { INDEX_VERSION, openSearchIndex, postsIndex } from "@asyncsns/core/search/opensearch";
import { parse } from "@asyncsns/core/search/query";
import { Client } from "@opensearch-project/opensearch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSearch, startSearch } from "../src/search";

type Seen = { method?: string; url?: string; authorization?: string; type?: string; body: string };

/** A proxy in front of the stand-in that records each request; `faults` spoils the first ones (drop or a status). */
async function proxy(target: string, faults: ("drop" | number)[] = []) {
  const seen: Seen[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const fault = faults.shift();
    seen.push({
      method: req.method,
      url: req.url,
      authorization: req.headers.authorization,
      type: req.headers["content-type"],
      body: body.toString("utf8"),
    });
    if (fault === "drop") return req.socket.destroy();
    if (fault) return res.writeHead(fault).end();
    const upstream = request(
      `${target}${req.url}`,
      { method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    stop: () => close(server),
  };
}

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

describe("search client", () => {
  let search: RunningSearch;
  const connect = (node: string, password = search.password) =>
    searchClient({ node, username: search.username, password });

  beforeAll(async () => {
    search = await startSearch({ dataDir: "/unused", inMemory: true });
  });
  afterAll(() => search?.stop());

  it("creates an index once, writes with external versions and searches", async () => {
    const client = connect(search.endpoint);
    expect(await client.indexExists("c-posts")).toBe(false);
    await client.createIndex("c-posts", postsIndex);
    expect(await client.indexExists("c-posts")).toBe(true);
    await expect(client.createIndex("c-posts", postsIndex)).rejects.toMatchObject({
      status: 400,
      type: "resource_already_exists_exception",
    });

    const doc = { id: "p1", body: "東京タワー", createdAt: 1, version: 2 };
    expect(
      await client.index("c-posts", "p1", doc, { version: 2, version_type: "external_gte" }),
    ).toMatchObject({
      _id: "p1",
      result: "created",
    });
    const stale = client.index(
      "c-posts",
      "p1",
      { ...doc, body: "old" },
      { version: 1, version_type: "external_gte" },
    );
    await expect(stale).rejects.toBeInstanceOf(OpenSearchError);
    await expect(stale).rejects.toMatchObject({ status: 409, type: "version_conflict_engine_exception" });
    await expect(stale).rejects.toThrow(
      "OpenSearch PUT /c-posts/_doc/p1 → 409 version_conflict_engine_exception: [p1]: version conflict",
    );

    const found = await client.search<{ hits: { hits: { _id: string }[] } }>("c-posts", {
      query: { match_phrase: { "body.ngram": "タワー" } },
    });
    expect(found.hits.hits.map((h) => h._id)).toEqual(["p1"]);

    expect(await client.delete("c-posts", "p1", { version: 3, version_type: "external_gte" })).toMatchObject({
      result: "deleted",
    });
    await expect(
      client.delete("c-posts", "p1", { version: 4, version_type: "external_gte" }),
    ).rejects.toMatchObject({ status: 404, message: "OpenSearch DELETE /c-posts/_doc/p1 → 404: not_found" });
  });

  it("sends basic auth: wrong credentials are a 401 security_exception, a missing index a 404", async () => {
    await expect(connect(search.endpoint, "nope").search("c-posts", {})).rejects.toMatchObject({
      status: 401,
      type: "security_exception",
    });
    await expect(connect(search.endpoint).search("no-such-index", {})).rejects.toMatchObject({
      status: 404,
      type: "index_not_found_exception",
    });
  });

  it("sends the requests the official client sends", async () => {
    const ours = await proxy(search.endpoint);
    const theirs = await proxy(search.endpoint);
    try {
      const client = connect(ours.url);
      const official = new Client({
        node: theirs.url,
        auth: { username: search.username, password: search.password },
      });
      const doc = { id: "u/1 é", handle: "alice", version: 1 };
      const write = { version: 1, version_type: "external_gte", refresh: "wait_for" } as const;
      const query = { size: 1, query: { prefix: { handle: "al" } }, sort: [{ handle: "asc" as const }] };

      await client.indexExists("wire-a");
      await client.createIndex("wire-a", { mappings: { properties: { id: { type: "keyword" } } } });
      await client.index("wire-a", doc.id, doc, write);
      await client.search("wire-a", query);
      await client.delete("wire-a", doc.id, { ...write, version: 2 });

      await official.indices.exists({ index: "wire-b" });
      await official.indices.create({
        index: "wire-b",
        body: { mappings: { properties: { id: { type: "keyword" } } } },
      });
      await official.index({ index: "wire-b", id: doc.id, body: doc, ...write });
      await official.search({ index: "wire-b", body: query });
      await official.delete({ index: "wire-b", id: doc.id, ...write, version: 2 });

      expect(ours.seen).toHaveLength(5);
      expect(ours.seen).toEqual(theirs.seen.map((r) => ({ ...r, url: r.url?.replace("wire-b", "wire-a") })));
      expect(ours.seen[2]?.url).toBe(
        "/wire-a/_doc/u%2F1%20%C3%A9?version=1&version_type=external_gte&refresh=wait_for",
      );
    } finally {
      await Promise.all([ours.stop(), theirs.stop()]);
    }
  });

  it("retries a dropped connection and a 503, like the official client", async () => {
    const flaky = await proxy(search.endpoint, ["drop", 503]);
    try {
      expect(await connect(flaky.url).indexExists("c-none")).toBe(false);
      expect(flaky.seen.map((r) => r.method)).toEqual(["HEAD", "HEAD", "HEAD"]);
    } finally {
      await flaky.stop();
    }
  });

  it("gives up with a clear error when the server does not answer in time", async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const client = searchClient({
        node: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
        username: "admin",
        password: "pw",
        timeoutMs: 200,
      });
      await expect(client.search("posts-v1", {})).rejects.toThrow(
        "OpenSearch POST /posts-v1/_search: no answer within 200 ms",
      );
    } finally {
      await close(silent);
    }
  });
});

describe("search adapter", () => {
  it("creates an index deleted under it again on the next write, instead of dropping the write", async () => {
    const search = await startSearch({ dataDir: "/unused", inMemory: true });
    try {
      const client = searchClient({
        node: search.endpoint,
        username: search.username,
        password: search.password,
      });
      const index = openSearchIndex(client, { prefix: "gone-" });
      const doc = (id: string, text: string) =>
        postDoc({
          postId: id,
          authorId: "u-a",
          authorHandle: "a",
          text,
          hashtags: [],
          mentions: [],
          mediaKinds: [],
          createdAt: Date.UTC(2025, 0, 1),
        });
      await index.putPost(doc("pst_1", "最初の投稿"));
      const auth = `Basic ${Buffer.from(`${search.username}:${search.password}`).toString("base64")}`;
      const deleted = await fetch(`${search.endpoint}/gone-posts-v${INDEX_VERSION}`, {
        method: "DELETE",
        headers: { authorization: auth },
      });
      expect(deleted.status).toBe(200);
      await index.putPost(doc("pst_2", "消された後の投稿"));
      const query = parse("投稿");
      expect((await index.searchPosts({ query, range: {}, sort: "latest", size: 10 })).ids).toEqual([
        "pst_2",
      ]);
    } finally {
      await search.stop();
    }
  });
});
