import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { postsIndex } from "@asyncsns/core/search/opensearch";
import { Client } from "@opensearch-project/opensearch";
import { describe, expect, it } from "vitest";
import { createResolver } from "../src/resolve";
import { startSearch } from "../src/search";
import { loadTopology } from "../src/shim";
import type { RunningStandIns } from "../src/standins/types";

const root = resolve(import.meta.dirname, "../../..");

describe("search in the local cloud", () => {
  it("records sst.aws.OpenSearch and resolves its link to the stand-in", async () => {
    const topology = await loadTopology(join(root, "sst.config.ts"));
    const search = topology.resources.find((r) => r.type === "sst.aws.OpenSearch");
    expect(search?.name).toBe("Search");
    // IAM access: the link carries the URL only, no internal user or password.
    expect(Object.keys(search?.link ?? {}).sort()).toEqual(["url"]);
    expect(topology.functions.find((f) => f.name === "Query")?.link).toContain("Search");
    expect(topology.functions.find((f) => f.name === "TableSubscriberDispatchFunction")?.link).toContain(
      "Search",
    );
    const sub = topology.streamSubscriptions.find((s) => s.name === "TableSubscriberDispatch");
    expect(sub?.filters).toContainEqual({ dynamodb: { Keys: { sk: { S: ["$post_1", "$user_1"] } } } });
    expect(sub?.functionResponseTypes).toEqual(["ReportBatchItemFailures"]);
    const standIns = {
      region: "us-east-1",
      search: { endpoint: "http://127.0.0.1:9999", username: "admin", password: "pw" },
    } as RunningStandIns;
    const resolveRef = createResolver(topology, standIns, {
      publicOrigin: "",
      internalOrigin: "",
      wsPath: "/ws",
    });
    expect(resolveRef({ $ref: "Search", attribute: "url" })).toBe("http://127.0.0.1:9999");
  });

  it("keeps its index and mappings across restarts (journal), refuses wrong credentials and stale versions", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "asyncsns-search-"));
    try {
      const first = await startSearch({ dataDir });
      const client = new Client({
        node: first.endpoint,
        auth: { username: first.username, password: first.password },
      });
      await client.indices.create({ index: "posts-v1", body: postsIndex as never });
      await client.index({
        index: "posts-v1",
        id: "p1",
        body: { body: "東京タワー", createdAt: 1 },
        version: 2,
        version_type: "external_gte",
      });
      await expect(
        client.index({
          index: "posts-v1",
          id: "p1",
          body: { body: "old", createdAt: 1 },
          version: 1,
          version_type: "external_gte",
        }),
      ).rejects.toMatchObject({ statusCode: 409 });
      const wrong = new Client({ node: first.endpoint, auth: { username: "admin", password: "nope" } });
      await expect(wrong.search({ index: "posts-v1", body: {} })).rejects.toMatchObject({ statusCode: 401 });
      await first.stop();

      const second = await startSearch({ dataDir });
      const again = new Client({
        node: second.endpoint,
        auth: { username: second.username, password: second.password },
      });
      const { body } = await again.search({
        index: "posts-v1",
        body: { query: { match_phrase: { "body.ngram": "タワー" } } },
      });
      expect(body.hits.hits.map((h) => h._id)).toEqual(["p1"]);
      await second.stop();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
