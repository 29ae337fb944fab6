import { describe, expect, it } from "vitest";
import { createTestMember, type TestUser } from "../../../tests/support/test-user";

// Search through the real local gateway: post → table stream → indexer → search stand-in → Query Lambda.
type Hit = { id: string; text: string; highlights: { start: number; end: number }[] };

const member = createTestMember;

const get = async (user: TestUser, path: string) => {
  const res = await user.api(path);
  return { status: res.status, body: await res.json() };
};

/** Polls until the stream has carried the change through (eventually consistent by design). */
async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > end) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("search on the local cloud", () => {
  it("finds a new post by part of a word, with highlights; an edit and a delete follow", async () => {
    const [alice, bob] = await Promise.all([member("sa", "山田 花子"), member("sb", "ボブ")]);
    const marker = `z${Date.now().toString(36)}`;
    const res = await alice.api("/posts", {
      method: "POST",
      body: JSON.stringify({ text: `東京タワーに行った ${marker} #旅行` }),
    });
    expect(res.status).toBe(201);
    const { id } = await res.json();
    const q = (text: string) => `/search/posts?q=${encodeURIComponent(text)}&tz=Asia%2FTokyo`;
    const found = await until(
      () => get(bob, q(`タワー ${marker}`)),
      (r) => r.body.items?.length === 1,
    );
    expect(found.status).toBe(200);
    const hit: Hit = found.body.items[0];
    expect(hit.id).toBe(id);
    expect(hit.highlights.map((h) => hit.text.slice(h.start, h.end))).toEqual(["タワー", marker]);
    expect((await get(bob, q(`${marker} from:${alice.handle} #旅行`))).body.items).toHaveLength(1);
    expect((await get(bob, q(`${marker} -東京`))).body.items).toHaveLength(0);

    const people = await until(
      () => get(bob, `/search/users?q=${encodeURIComponent("山田")}`),
      (r) => r.body.items?.some((p: { handle: string }) => p.handle === alice.handle),
    );
    expect(people.body.items.map((p: { handle: string }) => p.handle)).toContain(alice.handle);
    const tags = await get(bob, `/search/tags?q=${encodeURIComponent("旅")}`);
    expect(tags.body.items.map((t: { tag: string }) => t.tag)).toContain("旅行");

    await alice.api(`/posts/${id}`, { method: "PATCH", body: JSON.stringify({ text: `大阪城 ${marker}` }) });
    const edited = await until(
      () => get(bob, q(`東京 ${marker}`)),
      (r) => r.body.items?.length === 0,
    );
    expect(edited.body.items).toHaveLength(0);
    expect((await get(bob, q(`大阪 ${marker}`))).body.items.map((p: Hit) => p.id)).toEqual([id]);

    await alice.api(`/posts/${id}`, { method: "DELETE" });
    const gone = await until(
      () => get(bob, q(marker)),
      (r) => r.body.items?.length === 0,
    );
    expect(gone.body.items).toHaveLength(0);
  });

  it("answers a malformed query with 400 search.invalid_query", async () => {
    const carol = await member("sc", "carol");
    for (const bad of ['"東京', "has:pdf", "since:2025-13-01", "OR"]) {
      const r = await get(carol, `/search/posts?q=${encodeURIComponent(bad)}`);
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe("search.invalid_query");
    }
    expect((await get(carol, "/search/posts?q=a&tz=Mars%2FBase")).status).toBe(400);
  });
});
