// IAM access to search, as deployed: the stand-in takes only SigV4 signed with the local key pair (403 otherwise),
// checked with the official client's signer (aws4) as well as the app's own, and reports replicas it cannot place.
import { searchClient } from "@asyncsns/core/search/http";
import { openSearchIndex } from "@asyncsns/core/search/opensearch";
import { sigv4 } from "@asyncsns/core/search/sigv4";
import { Client } from "@opensearch-project/opensearch";
import { AwsSigv4Signer } from "@opensearch-project/opensearch/aws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSearch, startSearch } from "../src/search";
import { verifySigV4 } from "../src/search/sigv4";
import { LOCAL_CREDENTIALS } from "../src/standins";

const region = "us-east-1";
let search: RunningSearch;

beforeAll(async () => {
  search = await startSearch({ dataDir: "/unused", inMemory: true, credentials: LOCAL_CREDENTIALS });
});
afterAll(() => search?.stop());

const official = (credentials = LOCAL_CREDENTIALS) =>
  new Client({
    ...AwsSigv4Signer({ region, service: "es", getCredentials: async () => credentials }),
    node: search.endpoint,
  });

const health = async () =>
  (await (
    await fetch(`${search.endpoint}/_cluster/health`, {
      headers: await sigv4({ region, credentials: LOCAL_CREDENTIALS })({
        method: "GET",
        url: new URL(`${search.endpoint}/_cluster/health`),
        headers: {},
      }),
    })
  ).json()) as { status: string; number_of_data_nodes: number; unassigned_shards: number };

describe("search stand-in with IAM access", () => {
  it("accepts requests the official client signs with aws4, and the app's own signer", async () => {
    const client = official();
    expect((await client.cluster.health()).body).toMatchObject({ number_of_data_nodes: 1 });
    await client.indices.create({
      index: "signed",
      body: { settings: { index: { number_of_replicas: 0 } } },
    });
    await client.index({ index: "signed", id: "1", body: { text: "日本語 and English" }, refresh: true });
    expect((await client.get({ index: "signed", id: "1" })).body).toMatchObject({ found: true });

    const own = searchClient({
      node: search.endpoint,
      sign: sigv4({ region, credentials: LOCAL_CREDENTIALS }),
    });
    expect(await own.indexExists("signed")).toBe(true);
    expect(await own.dataNodes()).toBe(1);
  });

  it("refuses unsigned, basic-auth, wrongly signed, tampered and stale requests with 403", async () => {
    const url = `${search.endpoint}/signed/_search`;
    const body = JSON.stringify({ query: { match_all: {} } });
    const sign = (credentials = LOCAL_CREDENTIALS) =>
      sigv4({ region, credentials })({
        method: "POST",
        url: new URL(url),
        headers: { "content-type": "application/json" },
        body,
      });
    const post = async (headers: Record<string, string>, payload = body) =>
      fetch(url, { method: "POST", headers, body: payload });
    expect((await post(await sign())).status).toBe(200);

    const refusals = await Promise.all([
      post({ "content-type": "application/json" }),
      post({
        authorization: `Basic ${Buffer.from(`${search.username}:${search.password}`).toString("base64")}`,
      }),
      post(await sign({ ...LOCAL_CREDENTIALS, secretAccessKey: "not-the-secret" })),
      post(
        await sign({ accessKeyId: "AKIDSOMEONEELSE", secretAccessKey: LOCAL_CREDENTIALS.secretAccessKey }),
      ),
      post(await sign(), JSON.stringify({ query: { match: { text: "tampered" } } })),
    ]);
    const messages = await Promise.all(refusals.map(async (r) => [r.status, (await r.json()).message]));
    expect(messages).toEqual([
      [403, "the request is not signed with AWS Signature Version 4"],
      [403, "the request is not signed with AWS Signature Version 4"],
      [403, "the request signature we calculated does not match the signature you provided"],
      [403, "the security token included in the request is invalid (AKIDSOMEONEELSE)"],
      [403, "the x-amz-content-sha256 header does not match the body"],
    ]);
    await expect(
      official({ ...LOCAL_CREDENTIALS, secretAccessKey: "wrong" }).cluster.health(),
    ).rejects.toMatchObject({
      meta: { statusCode: 403 },
    });
    // A signature replayed 20 minutes later is past AWS's 15-minute window.
    const headers = Object.fromEntries(Object.entries(await sign()).map(([k, v]) => [k.toLowerCase(), v]));
    const request = {
      method: "POST",
      url: "/signed/_search",
      headers: { ...headers, host: new URL(url).host },
      body,
    };
    expect(await verifySigV4(request, LOCAL_CREDENTIALS, "es")).toBeUndefined();
    expect(await verifySigV4(request, LOCAL_CREDENTIALS, "es", Date.now() + 20 * 60_000)).toBe(
      "signature expired: the request time is too skewed",
    );
  });

  it("creates the app's indexes with replicas for the nodes there are, so the cluster stays green", async () => {
    const index = openSearchIndex(
      searchClient({ node: search.endpoint, sign: sigv4({ region, credentials: LOCAL_CREDENTIALS }) }),
      { prefix: "green-", refresh: true },
    );
    await index.suggestTags("a", 5);
    expect(await health()).toMatchObject({ status: "green", unassigned_shards: 0 });
    // An index left at OpenSearch's default (one replica) cannot place it on one node: yellow, as in AWS.
    await official().indices.create({ index: "default-replicas" });
    expect(await health()).toMatchObject({ status: "yellow", unassigned_shards: 1 });
  });
});
