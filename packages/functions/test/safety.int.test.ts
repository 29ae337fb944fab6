import type { NotificationItem } from "@asyncsns/realtime";
import { describe, expect, it, vi } from "vitest";
import { createTestMember, type TestMember } from "../../../tests/support/test-user";

// Blocks, mutes and muted words through the real local gateway, Lambdas, DynamoDB Local, its stream and search.
type PostView = { id: string; text: string; author: { id: string } };
type Page = { items: PostView[]; cursor: string | null };
type Profile = {
  followers: number;
  following: number;
  followedByMe: boolean;
  followsMe: boolean;
  blocking: boolean;
  blockedBy: boolean;
  muting: boolean;
};

const send = (user: TestMember, method: string, path: string, body?: unknown) =>
  user.api(path, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

async function status(res: Promise<Response>, expected: number, code?: string) {
  const r = await res;
  const text = await r.text();
  expect(r.status, text).toBe(expected);
  if (code) expect(JSON.parse(text).error.code).toBe(code);
  return text ? JSON.parse(text) : undefined;
}

const get = <T>(user: TestMember, path: string): Promise<T> => status(user.api(path), 200);
const ids = (p: Page) => p.items.map((i) => i.id);

async function post(user: TestMember, text: string, replyTo?: string): Promise<PostView> {
  return status(send(user, "POST", "/posts", { text, ...(replyTo ? { replyTo } : {}) }), 201);
}

/** Polls until the check passes: stream subscribers (fan-out, search, notifications) are asynchronous. */
const eventually = (check: () => Promise<void>, timeout = 20_000) =>
  vi.waitFor(check, { timeout, interval: 200 });

const profile = (viewer: TestMember, of: TestMember) => get<Profile>(viewer, `/users/${of.handle}`);
const follow = (a: TestMember, b: TestMember) => send(a, "POST", `/users/${b.handle}/follow`);
const block = (a: TestMember, b: TestMember) => send(a, "POST", `/users/${b.handle}/block`);
const unique = () => `w${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

describe("block", () => {
  it("ends both follows with the counters, shows on both profiles, and refuses a new follow either way", async () => {
    const [a, b] = await Promise.all([createTestMember("bla"), createTestMember("blb")]);
    await status(follow(a, b), 204);
    await status(follow(b, a), 204);
    expect(await profile(a, b)).toMatchObject({
      followers: 1,
      following: 1,
      followedByMe: true,
      followsMe: true,
    });

    await status(block(a, b), 204);
    await status(block(a, b), 204); // idempotent
    expect(await profile(a, b)).toMatchObject({
      followers: 0,
      following: 0,
      followedByMe: false,
      followsMe: false,
      blocking: true,
      blockedBy: false,
      muting: false,
    });
    expect(await profile(b, a)).toMatchObject({
      followers: 0,
      following: 0,
      blocking: false,
      blockedBy: true,
    });
    await status(follow(a, b), 403, "user.blocked");
    await status(follow(b, a), 403, "user.blocked");

    const blocks = await get<{ items: { handle: string }[] }>(a, "/me/blocks");
    expect(blocks.items.map((c) => c.handle)).toEqual([b.handle]);
    expect((await get<{ items: unknown[] }>(b, "/me/blocks")).items).toEqual([]);

    await status(send(a, "DELETE", `/users/${b.handle}/block`), 204);
    await status(send(a, "DELETE", `/users/${b.handle}/block`), 204);
    expect(await profile(b, a)).toMatchObject({ blockedBy: false, followers: 0 });
    await status(follow(b, a), 204);
    expect((await profile(b, a)).followers).toBe(1);
  });

  it("answers clear 4xx for oneself, an unknown handle and a bad one", async () => {
    const a = await createTestMember("blself");
    await status(block(a, a), 400, "block.self");
    await status(send(a, "POST", `/users/${a.handle}/mute`), 400, "mute.self");
    await status(send(a, "POST", "/users/nobody_here_zz/block"), 404, "profile.not_found");
    await status(send(a, "POST", `/users/${"x".repeat(80)}/block`), 400);
  });

  it("closes rooms, messages, group adds and calls either way; an existing 1:1 room goes read-only", async () => {
    const [a, b, c] = await Promise.all([
      createTestMember("blra"),
      createTestMember("blrb"),
      createTestMember("blrc"),
    ]);
    const roomId = (await status(send(a, "POST", "/rooms", { memberHandles: [b.handle] }), 201)).id as string;
    await status(send(a, "POST", `/rooms/${roomId}/messages`, { text: "hi" }), 201);
    const group = await status(send(a, "POST", "/rooms", { memberHandles: [c.handle], name: "g" }), 201);
    const groupId = group.id as string;

    await status(block(b, a), 204);
    // The existing room still opens, says it is blocked, and refuses messages from both sides.
    const seen = await get<{ blocked: boolean }>(a, `/rooms/${roomId}`);
    expect(seen.blocked).toBe(true);
    expect((await get<{ blocked: boolean }>(b, `/rooms/${roomId}`)).blocked).toBe(true);
    await status(send(a, "POST", `/rooms/${roomId}/messages`, { text: "still there?" }), 403, "user.blocked");
    await status(send(b, "POST", `/rooms/${roomId}/messages`, { text: "no" }), 403, "user.blocked");
    // The group is not read-only (only 1:1 rooms are).
    expect((await get<{ blocked: boolean }>(a, `/rooms/${groupId}`)).blocked).toBe(false);

    // No new room with the other, no group with them, no adding them.
    const d = await createTestMember("blrd");
    await status(send(d, "POST", "/rooms", { memberHandles: [a.handle] }), 201);
    await status(
      send(b, "POST", "/rooms", { memberHandles: [c.handle, a.handle], name: "x" }),
      403,
      "user.blocked",
    );
    await status(
      send(a, "POST", "/rooms", { memberHandles: [b.handle, c.handle], name: "y" }),
      403,
      "user.blocked",
    );
    await status(send(a, "POST", `/rooms/${groupId}/members`, { handles: [b.handle] }), 403, "user.blocked");
    // A fresh 1:1 between two who block each other and never talked is refused.
    const e = await createTestMember("blre");
    await status(block(e, a), 204);
    await status(send(a, "POST", "/rooms", { memberHandles: [e.handle] }), 403, "user.blocked");
    await status(send(e, "POST", "/rooms", { memberHandles: [a.handle] }), 403, "user.blocked");

    // Calls: they share a 1:1 room (which alone would allow it), but the block wins, either way.
    await status(send(a, "POST", "/calls", { handle: b.handle, kind: "audio" }), 403, "user.blocked");
    await status(send(b, "POST", "/calls", { handle: a.handle, kind: "video" }), 403, "user.blocked");

    // After an unblock the room is writable again.
    await status(send(b, "DELETE", `/users/${a.handle}/block`), 204);
    await status(send(a, "POST", `/rooms/${roomId}/messages`, { text: "back" }), 201);
  });

  it("hides each from the other's public and tag timelines, replies and search; not from a third person", async () => {
    const [a, b, c] = await Promise.all([
      createTestMember("blta"),
      createTestMember("bltb"),
      createTestMember("bltc"),
    ]);
    const tag = unique();
    await status(block(a, b), 204);
    const [pa, pb, pc] = [
      await post(a, `from a #${tag} ${tag}`),
      await post(b, `from b #${tag} ${tag}`),
      await post(c, `from c #${tag} ${tag}`),
    ];
    const search = (u: TestMember) => get<Page>(u, `/search/posts?q=${tag}`);
    await eventually(async () => {
      expect(ids(await search(c)).sort()).toEqual([pa.id, pb.id, pc.id].sort());
    });
    expect(ids(await search(a)).sort()).toEqual([pa.id, pc.id].sort());
    expect(ids(await search(b)).sort()).toEqual([pb.id, pc.id].sort());

    const tagged = (u: TestMember) => get<Page>(u, `/tags/${tag}/posts`);
    await eventually(async () => expect(ids(await tagged(c)).sort()).toEqual([pa.id, pb.id, pc.id].sort()));
    expect(ids(await tagged(a)).sort()).toEqual([pa.id, pc.id].sort());
    expect(ids(await tagged(b)).sort()).toEqual([pb.id, pc.id].sort());

    const pub = (u: TestMember) => get<Page>(u, "/timelines/public?limit=100");
    await eventually(async () =>
      expect(ids(await pub(c))).toEqual(expect.arrayContaining([pa.id, pb.id, pc.id])),
    );
    expect(ids(await pub(a))).not.toContain(pb.id);
    expect(ids(await pub(b))).not.toContain(pa.id);

    // Replies: b's reply under c's post is hidden from a, and a's from b.
    const [ra, rb] = [await post(a, "reply a", pc.id), await post(b, "reply b", pc.id)];
    const replies = async (u: TestMember) =>
      ids((await get<{ replies: Page }>(u, `/posts/${pc.id}`)).replies);
    await eventually(async () => expect((await replies(c)).sort()).toEqual([ra.id, rb.id].sort()));
    expect(await replies(a)).toEqual([ra.id]);
    expect(await replies(b)).toEqual([rb.id]);

    // People search leaves the other out.
    const people = (u: TestMember, q: string) =>
      get<{ items: { handle: string }[] }>(u, `/search/users?q=${q}`).then((r) =>
        r.items.map((i) => i.handle),
      );
    await eventually(async () => expect(await people(c, b.handle)).toContain(b.handle));
    expect(await people(a, b.handle)).not.toContain(b.handle);
    expect(await people(b, a.handle)).not.toContain(a.handle);
  });

  it("notifies no mention, reply or follow across a block; older notifications from them disappear", async () => {
    const [a, b, c] = await Promise.all([
      createTestMember("blna"),
      createTestMember("blnb"),
      createTestMember("blnc"),
    ]);
    const list = () => get<{ items: NotificationItem[] }>(a, "/notifications?limit=50");
    await status(follow(b, a), 204);
    await eventually(async () => expect((await list()).items.map((i) => i.type)).toContain("follow"));
    await status(block(a, b), 204);
    // The follow ended with the block: its notification is retracted or hidden.
    await eventually(async () => expect((await list()).items).toEqual([]));
    await post(b, `hey @${a.handle}`);
    const control = await post(c, `hello @${a.handle}`);
    await eventually(async () => {
      const items = (await list()).items;
      expect(items.some((i) => i.subject?.id === control.id)).toBe(true);
    });
    const actors = (await list()).items.flatMap((i) => i.actors.map((x) => x.id));
    expect(actors).not.toContain(b.sub);
  });
});

describe("mute", () => {
  it("hides a muted person from home, public and tag timelines and notifications, not from search", async () => {
    const [a, b, c] = await Promise.all([
      createTestMember("mua"),
      createTestMember("mub"),
      createTestMember("muc"),
    ]);
    await status(follow(a, b), 204);
    await status(follow(a, c), 204);
    const tag = unique();
    await status(send(a, "POST", `/users/${b.handle}/mute`), 204);
    await status(send(a, "POST", `/users/${b.handle}/mute`), 204);
    expect(await profile(a, b)).toMatchObject({ muting: true, followedByMe: true, blocking: false });
    // The muted never learn of it.
    expect(await profile(b, a)).toMatchObject({ muting: false, blockedBy: false });
    const mutes = await get<{ items: { handle: string }[] }>(a, "/me/mutes");
    expect(mutes.items.map((m) => m.handle)).toEqual([b.handle]);

    const [pb, pc] = [
      await post(b, `muted @${a.handle} #${tag} ${tag}`),
      await post(c, `shown @${a.handle} #${tag} ${tag}`),
    ];
    const home = () => get<Page>(a, "/timelines/home");
    await eventually(async () => expect(ids(await home())).toContain(pc.id));
    expect(ids(await home())).not.toContain(pb.id);
    expect(ids(await get<Page>(a, `/tags/${tag}/posts`))).toEqual([pc.id]);
    expect(ids(await get<Page>(a, "/timelines/public?limit=100"))).not.toContain(pb.id);
    await eventually(async () =>
      expect(ids(await get<Page>(a, `/search/posts?q=${tag}`)).sort()).toEqual([pb.id, pc.id].sort()),
    );
    const notified = async () =>
      (await get<{ items: NotificationItem[] }>(a, "/notifications?limit=50")).items.map(
        (i) => i.subject?.id,
      );
    await eventually(async () => expect(await notified()).toContain(pc.id));
    expect(await notified()).not.toContain(pb.id);

    await status(send(a, "DELETE", `/users/${b.handle}/mute`), 204);
    expect(ids(await home())).toContain(pb.id);
    expect((await get<{ items: unknown[] }>(a, "/me/mutes")).items).toEqual([]);
  });
});

describe("muted words", () => {
  it("hides posts with a muted word or #hashtag from timelines until it expires or is removed", async () => {
    const [a, b] = await Promise.all([createTestMember("mwa"), createTestMember("mwb")]);
    await status(follow(a, b), 204);
    const word = unique();
    const tag = unique();
    const added = await status(send(a, "POST", "/me/muted-words", { word: word.toUpperCase() }), 201);
    expect(added).toMatchObject({ id: expect.stringMatching(/^mwd_/), word: word.toUpperCase() });
    expect(added.expiresAt).toBeUndefined();
    const hashed = await status(
      send(a, "POST", "/me/muted-words", { word: `＃${tag}`, expiresIn: 3600 }),
      201,
    );
    expect(Date.parse(hashed.expiresAt) - Date.now()).toBeGreaterThan(3500_000);
    const list = await get<{ items: { id: string; word: string }[] }>(a, "/me/muted-words");
    expect(list.items.map((w) => w.id).sort()).toEqual([added.id, hashed.id].sort());

    const [p1, p2, p3] = [
      await post(b, `I like ${word} a lot`),
      await post(b, `see #${tag.toUpperCase()}`),
      await post(b, "nothing muted here"),
    ];
    const home = () => get<Page>(a, "/timelines/home");
    await eventually(async () => expect(ids(await home())).toContain(p3.id));
    expect(ids(await home())).not.toContain(p1.id);
    expect(ids(await home())).not.toContain(p2.id);
    expect(ids(await get<Page>(a, "/timelines/public?limit=100"))).not.toContain(p1.id);
    expect(ids(await get<Page>(a, `/tags/${tag}/posts`))).toEqual([]);
    expect(ids(await get<Page>(b, `/tags/${tag}/posts`))).toEqual([p2.id]);

    // Muting the same word again changes its expiry instead of adding a second.
    const again = await status(send(a, "POST", "/me/muted-words", { word, expiresIn: 60 }), 201);
    expect(again.id).toBe(added.id);
    expect(again.expiresAt).toBeDefined();

    await status(send(a, "DELETE", `/me/muted-words/${added.id}`), 204);
    await status(send(a, "DELETE", `/me/muted-words/${added.id}`), 204);
    expect(ids(await home())).toContain(p1.id);
    expect((await get<{ items: unknown[] }>(a, "/me/muted-words")).items).toHaveLength(1);
  });

  it("refuses bad words, expiries and ids with 400", async () => {
    const a = await createTestMember("mwbad");
    await status(send(a, "POST", "/me/muted-words", { word: "   " }), 400);
    await status(send(a, "POST", "/me/muted-words", { word: "x".repeat(101) }), 400);
    await status(send(a, "POST", "/me/muted-words", { word: "ok", expiresIn: 5 }), 400);
    await status(send(a, "POST", "/me/muted-words", { word: "ok", expiresIn: "soon" }), 400);
    await status(send(a, "POST", "/me/muted-words", {}), 400);
    await status(send(a, "DELETE", "/me/muted-words/nope"), 400);
  });
});
