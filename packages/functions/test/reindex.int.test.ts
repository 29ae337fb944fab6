import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { sigv4 } from "@asyncsns/core/search/sigv4";
import { describe, expect, inject, it, vi } from "vitest";
import { createTestMember, type TestMember, type TestUser } from "../../../tests/support/test-user";

// `npm run reindex` against the running local cloud: documents are wiped through the stand-in's REST API and
// rebuilt from the table by the script itself, in its own process, as an operator would run it.
const root = resolve(import.meta.dirname, "../../..");
const member = createTestMember;

const items = async (user: TestUser, path: string) => {
  const res = await user.api(path);
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: { id: string; handle?: string }[] }).items;
};
const postsFound = (user: TestUser, q: string) =>
  items(user, `/search/posts?q=${encodeURIComponent(q)}`).then((found) => found.map((p) => p.id));
const peopleFound = (user: TestUser, q: string) =>
  items(user, `/search/users?q=${encodeURIComponent(q)}`).then((found) => found.map((p) => p.handle));

describe("npm run reindex", () => {
  it("rebuilds wiped documents from the table: posts and people are found again, deleted posts are not", async () => {
    const dataDir = inject("localDataDir");
    const local = JSON.parse(await readFile(join(dataDir, "search.json"), "utf8")) as {
      search: { endpoint: string };
      dynamodb: { region: string };
      credentials: { accessKeyId: string; secretAccessKey: string };
    };
    // IAM access, as deployed: the stand-in takes requests signed with the local key pair only.
    const sign = sigv4({ region: local.dynamodb.region, credentials: local.credentials });
    const signed = async (method: string, path: string) => {
      const url = new URL(`${local.search.endpoint}/${path}`);
      return fetch(url, { method, headers: await sign({ method, url, headers: {} }) });
    };
    const marker = `ri${Date.now().toString(36)}`;
    const alias = `再索引 ${marker}`;
    const [alice, bob] = await Promise.all([member("ra", alias), member("rb", "Reindex Bob")]);
    const write = async (user: TestMember, text: string) => {
      const res = await user.api("/posts", { method: "POST", body: JSON.stringify({ text }) });
      expect(res.status).toBe(201);
      return ((await res.json()) as { id: string }).id;
    };
    const kept = [await write(alice, `東京タワー ${marker}`), await write(bob, `tokyo tower ${marker}`)];
    const gone = await write(alice, `消す投稿 ${marker}`);
    expect((await alice.api(`/posts/${gone}`, { method: "DELETE" })).status).toBe(204);
    await vi.waitFor(async () => expect((await postsFound(bob, marker)).sort()).toEqual([...kept].sort()), {
      timeout: 15_000,
      interval: 200,
    });

    await vi.waitFor(async () => expect(await peopleFound(bob, alias)).toEqual([alice.handle]), {
      timeout: 15_000,
      interval: 200,
    });

    // Only this test's documents: the index is shared with test files running at the same time.
    const docs = [
      ...kept.map((id) => `posts-v1/_doc/${id}`),
      ...[alice, bob].map((u) => `users-v1/_doc/${u.sub}`),
    ];
    for (const doc of docs) {
      const res = await signed("DELETE", doc);
      expect(res.status, doc).toBe(200);
    }
    expect(await postsFound(bob, marker)).toEqual([]);
    expect(await peopleFound(bob, alias)).toEqual([]);

    const { stdout } = await promisify(execFile)("npx", ["tsx", "scripts/reindex.ts"], {
      cwd: root,
      env: { ...process.env, ASYNCSNS_DATA_DIR: dataDir },
      timeout: 60_000,
    });
    const [, users] = /\[reindex\] (\d+) users, \d+ posts in/.exec(stdout) ?? [];
    // Each user once: no more than the index now holds (other test files only ever add users).
    const count = await signed("GET", "users-v1/_count");
    expect(Number(users)).toBeGreaterThanOrEqual(2);
    expect(Number(users)).toBeLessThanOrEqual(((await count.json()) as { count: number }).count);

    expect((await postsFound(bob, marker)).sort()).toEqual([...kept].sort());
    expect(await postsFound(bob, `"東京タワー" ${marker}`)).toEqual([kept[0]]);
    expect(await postsFound(alice, `消す ${marker}`)).toEqual([]);
    expect(await peopleFound(bob, alias)).toEqual([alice.handle]);
    expect(await peopleFound(alice, bob.handle)).toEqual([bob.handle]);
  }, 90_000);
});
