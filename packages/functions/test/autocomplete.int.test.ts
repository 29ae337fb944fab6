import { describe, expect, it } from "vitest";
import { createTestMember, type TestMember } from "../../../tests/support/test-user";

// What the composer's autocomplete asks the API, and what the picked words do, through the real local gateway.

async function get<T>(user: TestMember, path: string): Promise<{ status: number; body: T }> {
  const res = await user.api(path);
  return { status: res.status, body: (await res.json()) as T };
}

/** Polls until the stream has carried the change into the index (eventually consistent by design). */
async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > end) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

type People = { items: { handle: string; followedByMe: boolean }[] };
type Tags = { items: { tag: string; count: number }[] };

describe("composer autocomplete on the local cloud", () => {
  it("offers people by a short handle prefix with whom one follows, and tags by a prefix typed with ＃", async () => {
    const [a, b] = await Promise.all([createTestMember("aca"), createTestMember("acb")]);
    expect((await a.api(`/users/${b.handle}/follow`, { method: "POST" })).status).toBe(204);
    const tag = `旅${Date.now().toString(36)}`;
    const posted = await b.api("/posts", {
      method: "POST",
      body: JSON.stringify({ text: `京都#${tag} に来た` }),
    });
    expect(posted.status).toBe(201);

    const prefix = b.handle.slice(0, -2);
    const people = await until(
      () => get<People>(a, `/search/users?q=${prefix}&limit=20`),
      (r) => r.body.items?.some((p) => p.handle === b.handle),
    );
    expect(people.status).toBe(200);
    expect(people.body.items.find((p) => p.handle === b.handle)?.followedByMe).toBe(true);

    // The tag right after Japanese ("京都#旅…") is a tag; a full-width sign and a partial word find it.
    const tags = await until(
      () => get<Tags>(a, `/search/tags?q=${encodeURIComponent(`＃${tag.slice(0, -1)}`)}&limit=8`),
      (r) => r.body.items?.some((t) => t.tag === tag),
    );
    expect(tags.body.items.find((t) => t.tag === tag)?.count).toBe(1);
  });

  it("notifies someone mentioned right after Japanese text", async () => {
    const [a, b] = await Promise.all([createTestMember("acm"), createTestMember("acn")]);
    const res = await a.api("/posts", {
      method: "POST",
      body: JSON.stringify({ text: `こんにちは@${b.handle}さん` }),
    });
    expect(res.status).toBe(201);
    const { mentions } = (await res.json()) as { mentions: string[] };
    expect(mentions).toHaveLength(1);
    const page = await until(
      () => get<{ items: { type: string }[] }>(b, "/notifications"),
      (r) => r.body.items?.some((n) => n.type === "post.mention"),
    );
    expect(page.body.items.map((n) => n.type)).toContain("post.mention");
  });

  it("answers a prefix that is too long or a bad limit with 400, not a crash", async () => {
    const a = await createTestMember("acx");
    expect((await a.api(`/search/tags?q=${"あ".repeat(141)}`)).status).toBe(400);
    expect((await a.api("/search/users?q=a&limit=99")).status).toBe(400);
    expect((await a.api(`/search/users?q=${"a".repeat(65)}`)).status).toBe(400);
  });
});
