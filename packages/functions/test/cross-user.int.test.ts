// Cross-user matrix: every route that takes the id of something owned, called by someone else → 403/404, and
// nothing changed. The list comes from openapi.json: a new route with a path parameter fails until classified.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { PNG, upload } from "../../../tests/support/media";
import { createTestMember, type TestMember } from "../../../tests/support/test-user";

type Doc = { paths: Record<string, Record<string, unknown>> };
const doc = JSON.parse(readFileSync(join(import.meta.dirname, "../src/api/openapi.json"), "utf8")) as Doc;
const withIds = Object.entries(doc.paths)
  .filter(([path]) => path.includes("{"))
  .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));

/** Routes whose path names something anyone signed in may read or act on, each with why. */
const SHARED: Record<string, string> = {
  "GET /api/posts/{id}": "posts are public",
  "GET /api/posts/{id}/replies": "replies to a public post are public",
  "POST /api/posts/{id}/like": "anyone may like a post; the like is the caller's own item",
  "DELETE /api/posts/{id}/like": "removes the caller's own like",
  "POST /api/posts/{id}/repost": "anyone may repost a post; the repost is the caller's own item",
  "DELETE /api/posts/{id}/repost": "removes the caller's own repost",
  "GET /api/tags/{tag}/posts": "tags are public",
  "GET /api/users/{handle}": "profiles are public",
  "POST /api/users/{handle}/follow": "the follow edge is the caller's own",
  "DELETE /api/users/{handle}/follow": "removes the caller's own follow edge",
  "GET /api/users/{handle}/followers": "follower lists are public",
  "GET /api/users/{handle}/following": "following lists are public",
  "GET /api/users/{handle}/posts": "a profile's posts are public",
  "POST /api/users/{handle}/block": "the block is the caller's own item",
  "DELETE /api/users/{handle}/block": "removes the caller's own block",
  "POST /api/users/{handle}/mute": "the mute is the caller's own item",
  "DELETE /api/users/{handle}/mute": "removes the caller's own mute",
  "DELETE /api/me/muted-words/{id}":
    "keyed under the caller: another's id deletes nothing of theirs (the last test tries it)",
  "GET /api/public/users/{handle}":
    "public pages; an owner's signed-in-only setting is core's (discover.int)",
  "GET /api/public/users/{handle}/posts": "public pages; as above",
  "GET /api/public/posts/{id}": "public pages; as above",
  "POST /api/admin/reports/{id}/resolve":
    "moderators' own: every /api/admin route refuses others (moderation.int)",
  "POST /api/admin/users/{handle}/unsuspend": "moderators' own, as above",
};

interface World {
  alice: TestMember;
  bob: TestMember;
  carol: TestMember;
  mallory: TestMember;
  postId: string;
  mediaId: string;
  avatarId: string;
  roomId: string;
  messageId: string;
  malloryRoomId: string;
  /** Alice's notification row (Bob followed her). */
  notificationId: string;
  /** Alice's call to Bob (they follow each other). */
  callId: string;
  /** Alice's data export. */
  exportId: string;
  /** A word Alice mutes. */
  mutedWordId: string;
}

type Attempt = { as: "mallory" | "bob"; path: string; body?: unknown };

/** Each owned route with the attempts on it: by a stranger, and where roles matter by a plain member. */
const OWNED: Record<string, (w: World) => Attempt[]> = {
  "PATCH /api/media/{id}": (w) => [{ as: "mallory", path: `/media/${w.mediaId}`, body: { alt: "hacked" } }],
  "GET /api/media/{id}": (w) => [{ as: "mallory", path: `/media/${w.mediaId}` }],
  "PATCH /api/posts/{id}": (w) => [{ as: "mallory", path: `/posts/${w.postId}`, body: { text: "hacked" } }],
  "DELETE /api/posts/{id}": (w) => [{ as: "mallory", path: `/posts/${w.postId}` }],
  "PATCH /api/rooms/{id}": (w) => [
    { as: "mallory", path: `/rooms/${w.roomId}`, body: { name: "hacked" } },
    { as: "bob", path: `/rooms/${w.roomId}`, body: { name: "hacked" } },
  ],
  "GET /api/rooms/{id}": (w) => [{ as: "mallory", path: `/rooms/${w.roomId}` }],
  "POST /api/rooms/{id}/members": (w) => [
    { as: "mallory", path: `/rooms/${w.roomId}/members`, body: { handles: [w.mallory.handle] } },
    { as: "bob", path: `/rooms/${w.roomId}/members`, body: { handles: [w.mallory.handle] } },
  ],
  "DELETE /api/rooms/{id}/members/{handle}": (w) => [
    { as: "mallory", path: `/rooms/${w.roomId}/members/${w.carol.handle}` },
    { as: "bob", path: `/rooms/${w.roomId}/members/${w.carol.handle}` },
  ],
  "PATCH /api/rooms/{id}/members/{handle}": (w) => [
    { as: "mallory", path: `/rooms/${w.roomId}/members/${w.bob.handle}`, body: { role: "admin" } },
    { as: "bob", path: `/rooms/${w.roomId}/members/${w.bob.handle}`, body: { role: "admin" } },
  ],
  "POST /api/rooms/{id}/messages": (w) => [
    { as: "mallory", path: `/rooms/${w.roomId}/messages`, body: { text: "hacked" } },
    // Another user's upload in a message of a room the caller does belong to.
    { as: "mallory", path: `/rooms/${w.malloryRoomId}/messages`, body: { text: "x", mediaIds: [w.mediaId] } },
  ],
  "GET /api/rooms/{id}/messages": (w) => [{ as: "mallory", path: `/rooms/${w.roomId}/messages` }],
  "PATCH /api/rooms/{id}/messages/{messageId}": (w) => [
    { as: "mallory", path: `/rooms/${w.roomId}/messages/${w.messageId}`, body: { text: "hacked" } },
    { as: "bob", path: `/rooms/${w.roomId}/messages/${w.messageId}`, body: { text: "hacked" } },
  ],
  "DELETE /api/rooms/{id}/messages/{messageId}": (w) => [
    { as: "mallory", path: `/rooms/${w.roomId}/messages/${w.messageId}` },
    { as: "bob", path: `/rooms/${w.roomId}/messages/${w.messageId}` },
  ],
  "POST /api/rooms/{id}/messages/{messageId}/reactions/{emoji}": (w) => [
    {
      as: "mallory",
      path: `/rooms/${w.roomId}/messages/${w.messageId}/reactions/${encodeURIComponent("👍")}`,
    },
  ],
  "DELETE /api/rooms/{id}/messages/{messageId}/reactions/{emoji}": (w) => [
    {
      as: "mallory",
      path: `/rooms/${w.roomId}/messages/${w.messageId}/reactions/${encodeURIComponent("👍")}`,
    },
  ],
  "POST /api/rooms/{id}/read": (w) => [{ as: "mallory", path: `/rooms/${w.roomId}/read`, body: { seq: 1 } }],
  "POST /api/rooms/{id}/accept": (w) => [{ as: "mallory", path: `/rooms/${w.roomId}/accept` }],
  "POST /api/rooms/{id}/decline": (w) => [{ as: "mallory", path: `/rooms/${w.roomId}/decline` }],
  "POST /api/rooms/{id}/leave": (w) => [{ as: "mallory", path: `/rooms/${w.roomId}/leave` }],
  "GET /api/me/export/{id}": (w) => [
    { as: "mallory", path: `/me/export/${w.exportId}` },
    { as: "bob", path: `/me/export/${w.exportId}` },
  ],
  "GET /api/notifications/{id}/actors": (w) => [
    { as: "mallory", path: `/notifications/${w.notificationId}/actors` },
    { as: "bob", path: `/notifications/${w.notificationId}/actors` },
  ],
  "GET /api/calls/{id}": (w) => [{ as: "mallory", path: `/calls/${w.callId}` }],
  "POST /api/calls/{id}/accept": (w) => [{ as: "mallory", path: `/calls/${w.callId}/accept` }],
  "POST /api/calls/{id}/decline": (w) => [{ as: "mallory", path: `/calls/${w.callId}/decline` }],
  // The callee may not cancel the caller's call either.
  "POST /api/calls/{id}/cancel": (w) => [
    { as: "mallory", path: `/calls/${w.callId}/cancel` },
    { as: "bob", path: `/calls/${w.callId}/cancel` },
  ],
  "POST /api/calls/{id}/hangup": (w) => [
    { as: "mallory", path: `/calls/${w.callId}/hangup`, body: { reason: "failed" } },
  ],
  "POST /api/calls/{id}/ice-servers": (w) => [{ as: "mallory", path: `/calls/${w.callId}/ice-servers` }],
};

/** Owned ids carried in a body rather than a path: another user's upload attached as one's own. */
const IN_BODY: { route: string; attempt: (w: World) => Attempt }[] = [
  {
    route: "POST /api/posts",
    attempt: (w) => ({ as: "mallory", path: "/posts", body: { text: "x", mediaIds: [w.mediaId] } }),
  },
  {
    route: "PATCH /api/me",
    attempt: (w) => ({ as: "mallory", path: "/me", body: { avatarMediaId: w.avatarId } }),
  },
  {
    // Marking read up to someone else's row is refused, not a way to probe or clear their list.
    route: "POST /api/notifications/read",
    attempt: (w) => ({ as: "mallory", path: "/notifications/read", body: { upTo: w.notificationId } }),
  },
];

async function json<T>(res: Promise<Response>, status: number): Promise<T> {
  const r = await res;
  expect(r.status, await r.clone().text()).toBe(status);
  return r.json() as Promise<T>;
}

const send = (user: TestMember, method: string, path: string, body?: unknown) =>
  user.api(path, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

describe("cross-user matrix", () => {
  let w: World;
  beforeAll(async () => {
    const [alice, bob, carol, mallory] = await Promise.all([
      createTestMember("xa"),
      createTestMember("xb"),
      createTestMember("xc"),
      createTestMember("xm"),
    ]);
    const [mediaId, avatarId] = await Promise.all([
      upload(alice, PNG, "image/png"),
      upload(alice, PNG, "image/png", { purpose: "avatar" }),
    ]);
    const post = await json<{ id: string }>(send(alice, "POST", "/posts", { text: "original" }), 201);
    const room = await json<{ id: string }>(
      send(alice, "POST", "/rooms", { memberHandles: [bob.handle, carol.handle], name: "original" }),
      201,
    );
    const message = await json<{ id: string }>(
      send(alice, "POST", `/rooms/${room.id}/messages`, { text: "original" }),
      201,
    );
    const malloryRoom = await json<{ id: string }>(
      send(mallory, "POST", "/rooms", { memberHandles: [bob.handle] }),
      201,
    );
    expect((await send(bob, "POST", `/users/${alice.handle}/follow`)).status).toBe(204);
    const { id: exportId } = await json<{ id: string }>(send(alice, "POST", "/me/export"), 202);
    const { id: mutedWordId } = await json<{ id: string }>(
      send(alice, "POST", "/me/muted-words", { word: "matrix" }),
      201,
    );
    let notificationId: string | undefined;
    for (let i = 0; i < 200 && !notificationId; i++) {
      const page = await json<{ items: { id: string; type: string }[] }>(alice.api("/notifications"), 200);
      notificationId = page.items.find((n) => n.type === "follow")?.id;
      if (!notificationId) await new Promise((r) => setTimeout(r, 100));
    }
    if (!notificationId) throw new Error("Bob's follow never reached Alice's notifications");
    expect((await send(alice, "POST", `/users/${bob.handle}/follow`)).status).toBe(204);
    const call = await json<{ call: { id: string } }>(
      send(alice, "POST", "/calls", { handle: bob.handle, kind: "audio" }),
      201,
    );
    w = {
      alice,
      bob,
      carol,
      mallory,
      postId: post.id,
      mediaId,
      avatarId,
      roomId: room.id,
      messageId: message.id,
      malloryRoomId: malloryRoom.id,
      notificationId,
      callId: call.call.id,
      exportId,
      mutedWordId,
    };
  });

  it("classifies every route that takes an id: owned (in the matrix) or shared (with a reason)", () => {
    const unclassified = withIds.filter((r) => !(r in OWNED) && !(r in SHARED));
    expect(unclassified, "add the new route to OWNED (with attempts) or SHARED (with why)").toEqual([]);
    const stale = [...Object.keys(OWNED), ...Object.keys(SHARED), ...IN_BODY.map((b) => b.route)].filter(
      (r) => !doc.paths[r.split(" ")[1]!]?.[r.split(" ")[0]!.toLowerCase()],
    );
    expect(stale).toEqual([]);
  });

  it.each([...Object.keys(OWNED), ...IN_BODY.map((b) => `${b.route} (owned id in body)`)])(
    "%s: refused to another user",
    async (name) => {
      const route = name.replace(/ \(owned id in body\)$/, "");
      const [method] = route.split(" ") as [string];
      const attempts = OWNED[route]?.(w) ?? IN_BODY.filter((b) => b.route === route).map((b) => b.attempt(w));
      expect(attempts.length).toBeGreaterThan(0);
      for (const a of attempts) {
        const res = await send(w[a.as], method, a.path, a.body);
        const body = (await res.json().catch(() => ({}))) as { error?: { code?: string } };
        expect([403, 404], `${a.as} ${method} ${a.path}: ${res.status} ${JSON.stringify(body)}`).toContain(
          res.status,
        );
        expect(body.error?.code).toBeTypeOf("string");
      }
    },
  );

  it("left everything as the owners made it", async () => {
    const { alice, carol } = w;
    // Another's muted-word id, deleted by Mallory, names nothing of hers: Alice still mutes it.
    expect((await send(w.mallory, "DELETE", `/me/muted-words/${w.mutedWordId}`)).status).toBe(204);
    const words = await json<{ items: { id: string }[] }>(alice.api("/me/muted-words"), 200);
    expect(words.items.map((i) => i.id)).toContain(w.mutedWordId);
    const thread = await json<{ post: { text: string } }>(alice.api(`/posts/${w.postId}`), 200);
    expect(thread.post.text).toBe("original");
    expect(
      await json<{ alt: string; attachedTo: string | null }>(alice.api(`/media/${w.mediaId}`), 200),
    ).toMatchObject({ alt: "", attachedTo: null });
    const room = await json<{ name: string; members: { id: string }[] }>(
      alice.api(`/rooms/${w.roomId}`),
      200,
    );
    expect(room.name).toBe("original");
    expect(room.members.map((m) => m.id).sort()).toEqual([w.alice.sub, w.bob.sub, carol.sub].sort());
    expect((await json<{ myRole: string }>(w.bob.api(`/rooms/${w.roomId}`), 200)).myRole).toBe("member");
    const messages = await json<{ items: { id: string; text: string }[] }>(
      alice.api(`/rooms/${w.roomId}/messages`),
      200,
    );
    expect(messages.items.map((m) => m.text)).toEqual(["original"]);
    const me = await json<{ avatarUrl: string | null }>(w.mallory.api("/me"), 200);
    expect(me.avatarUrl).toBeNull();
    const inbox = await json<{ items: { id: string; read: boolean }[]; unread: number }>(
      alice.api("/notifications"),
      200,
    );
    expect(inbox.items.find((n) => n.id === w.notificationId)?.read).toBe(false);
    // Nobody but its two participants moved the call: it rang until the timer made it missed.
    const { call } = await json<{ call: { state: string } }>(alice.api(`/calls/${w.callId}`), 200);
    expect(["ringing", "missed"]).toContain(call.state);
  });
});
