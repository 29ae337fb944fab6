import { describe, expect, inject, it } from "vitest";
import { createTestMember, type TestMember } from "../../../tests/support/test-user";

// Discovery and public pages through the real local gateway: table → stream → search stand-in → Query Lambda.

const signedOut = (path: string) => fetch(`${inject("localCloud").apiUrl}${path}`);

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > end) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function post(user: TestMember, text: string): Promise<string> {
  const res = await user.api("/posts", { method: "POST", body: JSON.stringify({ text }) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

const follow = async (a: TestMember, b: TestMember) =>
  expect((await a.api(`/users/${b.handle}/follow`, { method: "POST" })).status).toBe(204);

type Trend = { tag: string; authors: number; posts: number };
type Suggestion = { handle: string; reason: string; mutuals: number; followsMe: boolean };

describe("discovery", () => {
  it("trending tags count different people in the last 24 hours, not posts", async () => {
    const [a, b, c] = await Promise.all([
      createTestMember("tra"),
      createTestMember("trb"),
      createTestMember("trc"),
    ]);
    const marker = Date.now().toString(36);
    const [shared, spammed] = [`tr${marker}x`, `tr${marker}y`];
    await Promise.all([a, b, c].map((u) => post(u, `hello #${shared}`)));
    for (let i = 0; i < 5; i++) await post(a, `again ${i} #${spammed}`);
    const read = async () =>
      ((await (await b.api("/search/trending?limit=20")).json()) as { items: Trend[] }).items;
    // Every post indexed: the stream reaches the index a post at a time, so wait for the full counts.
    const trends = await until(
      read,
      (items) =>
        items.some((t) => t.tag === shared && t.authors === 3) &&
        items.some((t) => t.tag === spammed && t.posts === 5),
    );
    const at = (tag: string) => trends.findIndex((t) => t.tag === tag);
    expect(trends[at(shared)]).toEqual({ tag: shared, authors: 3, posts: 3 });
    expect(trends[at(spammed)]).toEqual({ tag: spammed, authors: 1, posts: 5 });
    expect(at(shared)).toBeLessThan(at(spammed));
    expect((await b.api("/search/trending?limit=0")).status).toBe(400);
    expect((await signedOut("/search/trending")).status).toBe(401);
  });

  it("suggests friends of friends first, then popular people; never oneself or whom one follows", async () => {
    const [alice, bob, eve, carol, dave, frank] = await Promise.all([
      createTestMember("sga"),
      createTestMember("sgb"),
      createTestMember("sge"),
      createTestMember("sgc"),
      createTestMember("sgd"),
      createTestMember("sgf"),
    ]);
    await Promise.all([follow(alice, bob), follow(alice, eve), follow(carol, alice)]);
    await Promise.all([follow(bob, carol), follow(bob, dave), follow(eve, carol), follow(bob, eve)]);
    for (let i = 0; i < 8; i++) await post(frank, `popular ${i}`);
    const read = async () =>
      ((await (await alice.api("/users/suggestions?limit=20")).json()) as { items: Suggestion[] }).items;
    const items = await until(read, (list) => list.some((s) => s.handle === frank.handle));
    const handles = items.map((s) => s.handle);
    expect(handles.slice(0, 2)).toEqual([carol.handle, dave.handle]);
    expect(items[0]).toMatchObject({ reason: "friends", mutuals: 2, followsMe: true });
    expect(items[1]).toMatchObject({ reason: "friends", mutuals: 1, followsMe: false });
    const popular = items.find((s) => s.handle === frank.handle);
    // Popular is the most-followed of the 30 most active authors of the week. Alone, that is Frank; in the whole
    // suite others may outrank him, and then they fill every place the friends left.
    if (popular) expect(popular).toMatchObject({ reason: "popular", mutuals: 0 });
    else expect(items).toHaveLength(20);
    expect(items.slice(2).every((s) => s.reason === "popular" && s.mutuals === 0)).toBe(true);
    for (const never of [alice, bob, eve]) expect(handles).not.toContain(never.handle);

    await follow(alice, carol);
    expect((await read()).map((s) => s.handle)).not.toContain(carol.handle);
    // People search shows the relation both ways, for "follows you" and the Follow button.
    const found = await until(
      async () =>
        (
          (await (await alice.api(`/search/users?q=${carol.handle}`)).json()) as {
            items: { handle: string }[];
          }
        ).items,
      (list) => list.length > 0,
    );
    expect(found[0]).toMatchObject({ handle: carol.handle, followedByMe: true, followsMe: true });
    expect((await alice.api("/users/suggestions?limit=21")).status).toBe(400);
    expect((await signedOut("/users/suggestions")).status).toBe(401);
  });

  it("reserves the handle the suggestions route uses", async () => {
    const [someone] = await Promise.all([createTestMember("rsv")]);
    const res = await someone.api("/me", {
      method: "POST",
      body: JSON.stringify({ handle: "Suggestions", displayName: "x" }),
    });
    expect(res.status).toBe(400);
  });
});

describe("public pages", () => {
  it("show a profile, its posts and a thread signed out, cacheable; an opt-out hides them", async () => {
    const [alice, bob] = await Promise.all([createTestMember("pua"), createTestMember("pub")]);
    const id = await post(alice, "hello world #public");
    const replyRes = await bob.api("/posts", {
      method: "POST",
      body: JSON.stringify({ text: "hi", replyTo: id }),
    });
    expect(replyRes.status).toBe(201);
    const reply = (await replyRes.json()) as { id: string };

    const profile = await signedOut(`/public/users/${alice.handle}`);
    expect(profile.status).toBe(200);
    expect(profile.headers.get("cache-control")).toMatch(/^public, max-age=\d+, s-maxage=\d+$/);
    expect(await profile.json()).toMatchObject({ handle: alice.handle, signedInOnly: false });

    const posts = await signedOut(`/public/users/${alice.handle}/posts`);
    expect(posts.status).toBe(200);
    const page = (await posts.json()) as { items: { id: string; likedByMe: boolean }[] };
    expect(page.items.map((p) => p.id)).toEqual([id]);
    expect(page.items[0]?.likedByMe).toBe(false);

    const thread = await until(
      async () =>
        (await (await signedOut(`/public/posts/${id}`)).json()) as {
          post: { id: string };
          replies: { items: { id: string }[] };
        },
      (t) => t.replies?.items?.length === 1,
    );
    expect(thread.post.id).toBe(id);
    expect(thread.replies.items.map((r) => r.id)).toEqual([reply.id]);

    // Bob keeps his posts to signed-in people: his reply leaves Alice's public thread, his pages answer 404.
    const hide = await bob.api("/me", { method: "PATCH", body: JSON.stringify({ signedInOnly: true }) });
    expect(await hide.json()).toMatchObject({ signedInOnly: true });
    const hiddenProfile = await signedOut(`/public/users/${bob.handle}`);
    expect(hiddenProfile.status).toBe(404);
    expect(hiddenProfile.headers.get("cache-control")).toBe("no-store");
    expect(((await hiddenProfile.json()) as { error: { code: string } }).error.code).toBe("public.sign_in");
    expect((await signedOut(`/public/users/${bob.handle}/posts`)).status).toBe(404);
    expect((await signedOut(`/public/posts/${reply.id}`)).status).toBe(404);
    const after = (await (await signedOut(`/public/posts/${id}`)).json()) as {
      replies: { items: unknown[] };
    };
    expect(after.replies.items).toEqual([]);
    // Signed in, nothing changes.
    expect((await alice.api(`/users/${bob.handle}`)).status).toBe(200);
    expect((await alice.api(`/posts/${reply.id}`)).status).toBe(200);

    expect((await signedOut("/public/users/nobody_here_x")).status).toBe(404);
    expect((await signedOut("/public/posts/pst_nope")).status).toBe(404);
    // Other reads still need a token.
    expect((await signedOut(`/users/${alice.handle}`)).status).toBe(401);
  });
});
