// The stand-in follows the mappings an index is created with, as OpenSearch does, not fields it knows in advance.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LocalIndex, startSearch } from "../src/search";

const catalog = {
  mappings: {
    dynamic: "strict",
    properties: {
      sku: { type: "keyword" },
      blurb: { type: "text", analyzer: "standard" },
      title: { type: "text", fields: { raw: { type: "keyword" } } },
      inStock: { type: "boolean" },
      price: { type: "long" },
    },
  },
};

const items = {
  a: { sku: "red shoe", blurb: "red shoe for runners", title: "red shoe", inStock: true, price: 10 },
  b: { sku: "blue hat", blurb: "a blue hat", title: "blue hat", inStock: false, price: 5 },
  c: { sku: "red", blurb: "plain red socks", title: "socks", inStock: true, price: 7 },
};

type Hits = { hits: { hits: { _id: string }[] } };
type Answer = Partial<Hits> & { error?: { type: string }; [key: string]: unknown };
const ids = (index: LocalIndex, query: unknown, extra: Record<string, unknown> = {}) =>
  (index.search({ query, size: 10, sort: [{ sku: "asc" }], ...extra }) as Hits).hits.hits.map((h) => h._id);

function filled(): LocalIndex {
  const index = new LocalIndex("catalog", catalog);
  for (const [id, item] of Object.entries(items)) index.put(id, item);
  return index;
}

describe("search stand-in mappings", () => {
  it("matches keyword fields by whole value and text fields by their words and phrases", () => {
    const index = filled();
    expect(ids(index, { term: { sku: "red shoe" } })).toEqual(["a"]);
    expect(ids(index, { term: { sku: "red" } })).toEqual(["c"]);
    expect(ids(index, { term: { blurb: "red" } })).toEqual(["c", "a"]);
    expect(ids(index, { term: { blurb: "red shoe" } })).toEqual([]);
    expect(ids(index, { match_phrase: { blurb: "shoe for" } })).toEqual(["a"]);
    expect(ids(index, { match_phrase: { sku: "shoe" } })).toEqual([]);
    expect(ids(index, { match_phrase: { sku: "red shoe" } })).toEqual(["a"]);
    expect(ids(index, { prefix: { sku: "sho" } })).toEqual([]);
    expect(ids(index, { prefix: { blurb: "sho" } })).toEqual(["a"]);
    expect(ids(index, { prefix: { sku: "red s" } })).toEqual(["a"]);
  });

  it("reads multi-fields, booleans and numbers as mapped, and finds nothing in an unmapped field", () => {
    const index = filled();
    expect(ids(index, { term: { "title.raw": "red shoe" } })).toEqual(["a"]);
    expect(ids(index, { term: { title: "red shoe" } })).toEqual([]);
    expect(ids(index, { term: { inStock: false } })).toEqual(["b"]);
    expect(ids(index, { range: { price: { gte: 7 } } })).toEqual(["c", "a"]);
    expect(ids(index, { term: { colour: "red" } })).toEqual([]);
    expect(ids(index, { match_all: {} }, { sort: [{ price: "desc" }], size: 1 })).toEqual(["a"]);
  });

  it("refuses a field a strict mapping lacks, and maps new fields of a dynamic index as OpenSearch does", () => {
    const strict = filled();
    expect(() => strict.put("d", { sku: "x", colour: "red" })).toThrow(
      /strict, dynamic introduction of \[colour\]/,
    );
    expect(strict.get("d")).toBeUndefined();

    const dynamic = new LocalIndex("notes", {});
    dynamic.put("n1", { note: "big box", size: 3 });
    expect(ids(dynamic, { term: { note: "big" } }, { sort: [] })).toEqual(["n1"]);
    expect(ids(dynamic, { term: { "note.keyword": "big box" } }, { sort: [] })).toEqual(["n1"]);
    expect(ids(dynamic, { term: { "note.keyword": "big" } }, { sort: [] })).toEqual([]);
    expect(ids(dynamic, { range: { size: { gt: 2 } } }, { sort: [] })).toEqual(["n1"]);
  });

  it("keeps an index's mappings across restarts", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "local-search-mapping-"));
    try {
      const call = async (
        s: { endpoint: string; username: string; password: string },
        method: string,
        path: string,
        body?: unknown,
      ) => {
        const res = await fetch(`${s.endpoint}${path}`, {
          method,
          headers: {
            authorization: `Basic ${Buffer.from(`${s.username}:${s.password}`).toString("base64")}`,
            "content-type": "application/json",
          },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
        return { status: res.status, body: (await res.json()) as Answer };
      };
      const first = await startSearch({ dataDir });
      expect((await call(first, "PUT", "/catalog", catalog)).status).toBe(200);
      expect((await call(first, "PUT", "/catalog/_doc/a", items.a)).status).toBe(201);
      await first.stop();

      const second = await startSearch({ dataDir });
      try {
        const search = async (query: unknown) =>
          ((await call(second, "POST", "/catalog/_search", { query })).body as Hits).hits.hits.map(
            (h) => h._id,
          );
        expect(await search({ term: { sku: "red" } })).toEqual([]);
        expect(await search({ term: { blurb: "red" } })).toEqual(["a"]);
        const mapping = await call(second, "GET", "/catalog/_mapping");
        expect(mapping.body).toEqual({ catalog: { mappings: catalog.mappings } });
        const refused = await call(second, "PUT", "/catalog/_doc/b", { sku: "b", colour: "blue" });
        expect(refused.status).toBe(400);
        expect(refused.body.error?.type).toBe("strict_dynamic_mapping_exception");
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
