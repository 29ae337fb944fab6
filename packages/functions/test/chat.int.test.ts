import sharp from "sharp";
import { beforeAll, describe, expect, inject, it } from "vitest";
import WebSocket from "ws";
import {
  httpHistory,
  RealtimeClient,
  type WebSocketConstructor,
  webSocketTransport,
} from "../../realtime/src";
import { type ChatUser, chatUser, friends, json, listen, post } from "./chat-support";

const wsUrl = () => inject("localCloud").wsUrl;

describe("chat on the local cloud", () => {
  let alice: ChatUser;
  let bob: ChatUser;
  let carol: ChatUser;
  beforeAll(async () => {
    [alice, bob, carol] = await Promise.all([chatUser("al"), chatUser("bo"), chatUser("ca")]);
    // Rooms between people who follow each other skip message requests (message-requests.int.test.ts).
    await friends(alice, bob, carol);
  });

  it("gives the same 1:1 room however often, and from either side, it is created", async () => {
    const first = await alice.api("/rooms", post({ memberHandles: [bob.handle] }));
    expect(first.status).toBe(201);
    const room = await first.json();
    expect(room).toMatchObject({ kind: "direct", seq: 0, unread: 0 });
    expect(room.members.map((m: { id: string }) => m.id).sort()).toEqual([alice.sub, bob.sub].sort());
    const [again, fromBob] = await Promise.all([
      alice.api("/rooms", post({ memberHandles: [bob.handle] })),
      bob.api("/rooms", post({ memberHandles: [alice.handle.toUpperCase()] })),
    ]);
    expect(again.status).toBe(200);
    expect((await again.json()).id).toBe(room.id);
    expect((await fromBob.json()).id).toBe(room.id);
  });

  it("documents every chat route in the OpenAPI document", async () => {
    const doc = await json(fetch(`${inject("localCloud").apiUrl}/openapi.json`), 200);
    expect(Object.keys(doc.paths["/api/rooms"]).sort()).toEqual(["get", "post"]);
    expect(Object.keys(doc.paths["/api/rooms/{id}"]).sort()).toEqual(["get", "patch"]);
    expect(Object.keys(doc.paths["/api/rooms/{id}/messages"]).sort()).toEqual(["get", "post"]);
    expect(Object.keys(doc.paths["/api/rooms/{id}/messages/{messageId}"]).sort()).toEqual([
      "delete",
      "patch",
    ]);
    expect(Object.keys(doc.paths["/api/rooms/{id}/members"])).toEqual(["post"]);
    expect(Object.keys(doc.paths["/api/rooms/{id}/members/{handle}"]).sort()).toEqual(["delete", "patch"]);
    expect(Object.keys(doc.paths["/api/rooms/{id}/read"])).toEqual(["post"]);
  });

  it("creates the 1:1 room once even when both sides create it at the same moment", async () => {
    const [x, y] = await Promise.all([chatUser("x"), chatUser("y")]);
    const answers = await Promise.all([
      x.api("/rooms", post({ memberHandles: [y.handle] })),
      y.api("/rooms", post({ memberHandles: [x.handle] })),
      x.api("/rooms", post({ memberHandles: [y.handle] })),
    ]);
    const ids = await Promise.all(answers.map((r) => r.json().then((b) => b.id)));
    expect(new Set(ids).size).toBe(1);
    expect(answers.map((r) => r.status).filter((s) => s === 201)).toHaveLength(1);
  });

  it("refuses non-members with 403 on every route and leaks nothing to their socket", async () => {
    const room = await json(alice.api("/rooms", post({ memberHandles: [bob.handle] })));
    const sent = await json(alice.api(`/rooms/${room.id}/messages`, post({ text: "secret" })), 201);
    const [bobWs, carolWs] = await Promise.all([listen(bob), listen(carol)]);
    const base = `/rooms/${room.id}`;
    const attempts: [string, RequestInit?][] = [
      [base],
      [`${base}/messages?afterSeq=0`],
      [`${base}/messages`, post({ text: "let me in" })],
      [`${base}/messages/${sent.id}`, { method: "PATCH", body: JSON.stringify({ text: "x" }) }],
      [`${base}/messages/${sent.id}`, { method: "DELETE" }],
      [`${base}/members`, post({ handles: [carol.handle] })],
      [`${base}/members/${bob.handle}`, { method: "DELETE" }],
      [`${base}/read`, post({ seq: 1 })],
    ];
    for (const [path, init] of attempts) {
      const res = await carol.api(path, init);
      expect(res.status, `${init?.method ?? "GET"} ${path}`).toBe(403);
      expect((await res.json()).error.code).toBe("room.not_member");
    }
    expect((await json(carol.api("/rooms"))).items.map((r: { id: string }) => r.id)).not.toContain(room.id);

    // Typing from a non-member: an error to them, nothing to the members.
    carolWs.socket.send(JSON.stringify({ action: "typing", roomId: room.id }));
    expect((await carolWs.next("system.error")).data.code).toBe("room.not_member");

    await json(alice.api(`/rooms/${room.id}/messages`, post({ text: "for bob only" })), 201);
    await bobWs.next("chat.message", (f) => f.data.text === "for bob only");
    expect(bobWs.frames.some((f) => f.type === "chat.typing")).toBe(false);
    expect(carolWs.frames.filter((f) => f.data.roomId === room.id)).toEqual([]);
    await Promise.all([bobWs.close(), carolWs.close()]);
  });

  it("hands out seq 1..20 with no gap or duplicate under 20 concurrent sends, and reads them back in order", async () => {
    const [x, y] = await Promise.all([chatUser("sx"), chatUser("sy")]);
    await friends(x, y);
    const room = await json(x.api("/rooms", post({ name: "race", memberHandles: [y.handle] })), 201);
    const yWs = await listen(y);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? y : x).api(`/rooms/${room.id}/messages`, post({ text: `n${i}` })),
      ),
    );
    expect(answers.map((r) => r.status)).toEqual(Array(20).fill(201));
    const seqs = (await Promise.all(answers.map((r) => r.json()))).map((m) => m.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const { items } = await json(x.api(`/rooms/${room.id}/messages?afterSeq=0&limit=100`), 200);
    expect(items.map((m: { seq: number }) => m.seq)).toEqual(seqs);
    const page = await json(x.api(`/rooms/${room.id}/messages?afterSeq=5&beforeSeq=9`), 200);
    expect(page.items.map((m: { seq: number }) => m.seq)).toEqual([6, 7, 8]);
    const latest = await json(x.api(`/rooms/${room.id}/messages?limit=3`), 200);
    expect(latest.items.map((m: { seq: number }) => m.seq)).toEqual([18, 19, 20]);
    // Every message reached the other member's socket exactly once.
    await yWs.next("chat.message", () => yWs.frames.filter((f) => f.type === "chat.message").length >= 20);
    const live = yWs.frames.filter((f) => f.type === "chat.message").map((f) => f.data.seq);
    expect([...live].sort((a, b) => a - b)).toEqual(seqs);
    await yWs.close();
  });

  it("lists rooms by last message with unread counts, and read receipts reach the other member", async () => {
    const [x, y] = await Promise.all([chatUser("rx"), chatUser("ry")]);
    await friends(x, y);
    const older = await json(x.api("/rooms", post({ name: "older", memberHandles: [y.handle] })), 201);
    const newer = await json(x.api("/rooms", post({ memberHandles: [y.handle] })), 201);
    await json(x.api(`/rooms/${newer.id}/messages`, post({ text: "1" })), 201);
    await json(x.api(`/rooms/${older.id}/messages`, post({ text: "2" })), 201);
    await json(x.api(`/rooms/${older.id}/messages`, post({ text: "3" })), 201);
    const list = (await json(y.api("/rooms"), 200)).items;
    expect(list.map((r: { id: string }) => r.id)).toEqual([older.id, newer.id]);
    expect(list.map((r: { unread: number }) => r.unread)).toEqual([2, 1]);
    expect(list[0].lastMessage).toMatchObject({ text: "3", seq: 2 });
    // The sender's own messages are read.
    expect((await json(x.api("/rooms"), 200)).items.map((r: { unread: number }) => r.unread)).toEqual([0, 0]);

    const xWs = await listen(x);
    expect((await y.api(`/rooms/${older.id}/read`, post({ seq: 2 }))).status).toBe(204);
    const read = await xWs.next("chat.read");
    expect(read.data).toEqual({ roomId: older.id, userId: y.sub, seq: 2 });
    // Never backwards, never past the end.
    expect((await y.api(`/rooms/${older.id}/read`, post({ seq: 1 }))).status).toBe(204);
    expect((await y.api(`/rooms/${older.id}/read`, post({ seq: 99 }))).status).toBe(204);
    const room = await json(y.api(`/rooms/${older.id}`), 200);
    expect(room.members.find((m: { id: string }) => m.id === y.sub).lastReadSeq).toBe(2);
    expect(room.unread).toBe(0);
    await xWs.close();
  });

  it("relays typing to the other members only, at most once per 2 s per connection", async () => {
    const [x, y] = await Promise.all([chatUser("tx"), chatUser("ty")]);
    const room = await json(x.api("/rooms", post({ memberHandles: [y.handle] })), 201);
    // An unanswered request hears no typing; accepting (before the sockets open) makes it a normal room.
    await json(y.api(`/rooms/${room.id}/accept`, { method: "POST" }), 200);
    const [xWs, yWs] = await Promise.all([listen(x), listen(y)]);
    for (let i = 0; i < 5; i++) xWs.socket.send(JSON.stringify({ action: "typing", roomId: room.id }));
    const typing = await yWs.next("chat.typing");
    expect(typing.data).toEqual({ roomId: room.id, userId: x.sub, handle: x.handle });
    await new Promise((r) => setTimeout(r, 500));
    expect(yWs.frames.filter((f) => f.type === "chat.typing")).toHaveLength(1);
    // Throttled signals are dropped silently: no echo, no error frame to the typist.
    expect(xWs.frames).toEqual([]);
    await Promise.all([xWs.close(), yWs.close()]);
  });

  it("answers typing in a room id that cannot exist with a system.error, not a gateway error", async () => {
    const x = await chatUser("tz");
    const xWs = await listen(x);
    xWs.socket.send(JSON.stringify({ action: "typing", roomId: "not_a_room" }));
    expect((await xWs.next("system.error")).data.code).toBe("request.invalid");
    await xWs.close();
  });

  it("edits and deletes only one's own messages, leaving a tombstone at the seq", async () => {
    const room = await json(alice.api("/rooms", post({ memberHandles: [bob.handle] })));
    const m = await json(alice.api(`/rooms/${room.id}/messages`, post({ text: "typo" })), 201);
    const reply = await json(bob.api(`/rooms/${room.id}/messages`, post({ text: "ok", replyTo: m.id })), 201);
    expect(reply.replyTo).toEqual({ id: m.id, seq: m.seq });
    const bobWs = await listen(bob);
    const path = `/rooms/${room.id}/messages/${m.id}`;
    expect((await bob.api(path, { method: "PATCH", body: JSON.stringify({ text: "x" }) })).status).toBe(403);
    const edited = await json(
      alice.api(path, { method: "PATCH", body: JSON.stringify({ text: "fixed" }) }),
      200,
    );
    expect(edited).toMatchObject({ text: "fixed", seq: m.seq });
    expect(edited.editedAt).not.toBeNull();
    expect((await bobWs.next("chat.message_updated")).data.text).toBe("fixed");
    expect((await alice.api(path, { method: "DELETE" })).status).toBe(204);
    expect((await bobWs.next("chat.message_deleted")).data).toMatchObject({ deleted: true, text: "" });
    const { items } = await json(bob.api(`/rooms/${room.id}/messages?afterSeq=${m.seq - 1}`), 200);
    expect(items[0]).toMatchObject({ id: m.id, seq: m.seq, deleted: true, text: "" });
    expect((await alice.api(`/rooms/${room.id}/messages`, post({ text: "x".repeat(4001) }))).status).toBe(
      400,
    );
    expect((await alice.api(`/rooms/${room.id}/messages`, post({ text: "あ".repeat(4000) }))).status).toBe(
      201,
    );
    await bobWs.close();
  });

  it("keeps groups to 50 members; only the owner or admins add; members leave; owners remove", async () => {
    const owner = await chatUser("go");
    const people = await Promise.all(Array.from({ length: 49 }, () => chatUser("gm")));
    const handles = people.map((p) => p.handle);
    const tooMany = await owner.api("/rooms", post({ name: "big", memberHandles: [...handles, "nobody_x"] }));
    expect(tooMany.status).toBe(400);
    expect((await tooMany.json()).error.code).toBe("room.too_many_members");
    const room = await json(
      owner.api("/rooms", post({ name: "big", memberHandles: handles.slice(0, 48) })),
      201,
    );
    expect(room.members).toHaveLength(49);
    expect(room.myRole).toBe("owner");
    const [outsider, another] = [people[48]!, await chatUser("gz")];
    const member = people[0]!;
    const denied = await member.api(`/rooms/${room.id}/members`, post({ handles: [outsider.handle] }));
    expect(denied.status).toBe(403);
    expect((await denied.json()).error.code).toBe("room.not_admin");
    const full = await json(
      owner.api(`/rooms/${room.id}/members`, post({ handles: [outsider.handle] })),
      200,
    );
    expect(full.members).toHaveLength(50);
    const over = await owner.api(`/rooms/${room.id}/members`, post({ handles: [another.handle] }));
    expect(over.status).toBe(400);
    expect((await over.json()).error.code).toBe("room.too_many_members");

    const memberWs = await listen(member);
    expect(
      (await member.api(`/rooms/${room.id}/members/${people[1]!.handle}`, { method: "DELETE" })).status,
    ).toBe(403);
    expect(
      (await owner.api(`/rooms/${room.id}/members/${people[1]!.handle}`, { method: "DELETE" })).status,
    ).toBe(204);
    expect((await people[1]!.api(`/rooms/${room.id}`)).status).toBe(403);
    expect(
      (await member.api(`/rooms/${room.id}/members/${member.handle}`, { method: "DELETE" })).status,
    ).toBe(204);
    const left = await memberWs.next("room.updated", (f) => f.data.reason === "member_left");
    expect(left.data).toMatchObject({ roomId: room.id, member: false });
    expect((await member.api(`/rooms/${room.id}/messages`, post({ text: "still here?" }))).status).toBe(403);
    expect((await json(owner.api(`/rooms/${room.id}`), 200)).members).toHaveLength(48);
    // The owner makes an admin; admins add people and rename, but cannot remove the owner or set roles.
    const admin = people[2]!;
    const promote = (by: ChatUser, who: ChatUser, role: string) =>
      by.api(`/rooms/${room.id}/members/${who.handle}`, {
        method: "PATCH",
        body: JSON.stringify({ role }),
      });
    expect((await promote(people[3]!, admin, "admin")).status).toBe(403);
    const promoted = await json(promote(owner, admin, "admin"), 200);
    expect(promoted.members.find((m: { id: string }) => m.id === admin.sub).role).toBe("admin");
    expect((await promote(admin, people[3]!, "admin")).status).toBe(403);
    expect(
      (await json(admin.api(`/rooms/${room.id}/members`, post({ handles: [another.handle] })), 200)).members,
    ).toHaveLength(49);
    const rename = (by: ChatUser) =>
      by.api(`/rooms/${room.id}`, { method: "PATCH", body: JSON.stringify({ name: "大きな部屋" }) });
    expect((await rename(people[3]!)).status).toBe(403);
    expect((await json(rename(admin), 200)).name).toBe("大きな部屋");
    expect((await admin.api(`/rooms/${room.id}/members/${owner.handle}`, { method: "DELETE" })).status).toBe(
      403,
    );
    // 1:1 rooms have fixed members.
    const direct = await json(owner.api("/rooms", post({ memberHandles: [member.handle] })));
    expect((await owner.api(`/rooms/${direct.id}/members`, post({ handles: [another.handle] }))).status).toBe(
      400,
    );
    await memberWs.close();
  }, 120_000);

  it("removes a connection that answers 410 when publishing, and still delivers to the live one", async () => {
    const { endpoint, tables } = inject("localDynamo");
    process.env.AWS_ENDPOINT_URL_DYNAMODB = endpoint;
    process.env.AWS_ACCESS_KEY_ID ??= "local";
    process.env.AWS_SECRET_ACCESS_KEY ??= "local";
    process.env.SST_RESOURCE_Table = JSON.stringify({ name: tables[0], type: "sst.aws.Dynamo" });
    const { Connection } = await import("@asyncsns/core/connection");
    const room = await json(alice.api("/rooms", post({ memberHandles: [bob.handle] })));
    const bobWs = await listen(bob);
    await Connection.add("stale-connection-id=", bob.sub);
    expect(await Connection.ofUser(bob.sub)).toContain("stale-connection-id=");
    await json(alice.api(`/rooms/${room.id}/messages`, post({ text: "after the crash" })), 201);
    await bobWs.next("chat.message", (f) => f.data.text === "after the crash");
    const left = await Connection.ofUser(bob.sub);
    expect(left).not.toContain("stale-connection-id=");
    expect(left).toHaveLength(1);
    await bobWs.close();
  });

  it("refuses $connect without a token, with a bad one, or with an id token", async () => {
    const refused = (url: string) =>
      new Promise<boolean>((resolve) => {
        const socket = new WebSocket(url);
        socket.once("open", () => {
          socket.close();
          resolve(false);
        });
        socket.once("error", () => resolve(true));
      });
    expect(await refused(wsUrl())).toBe(true);
    expect(await refused(`${wsUrl()}?token=not-a-jwt`)).toBe(true);
    expect(await refused(`${wsUrl()}?token=${alice.accessToken.slice(0, -4)}AAAA`)).toBe(true);
    expect(await refused(`${wsUrl()}?token=${alice.idToken}`)).toBe(true);
    expect(await refused(`${wsUrl()}?token=${alice.accessToken}`)).toBe(false);
  });

  it("the browser client resumes after its socket drops: every message once, in order", async () => {
    const [x, y] = await Promise.all([chatUser("px"), chatUser("py")]);
    const room = await json(x.api("/rooms", post({ memberHandles: [y.handle] })), 201);
    const say = (text: string) => json(x.api(`/rooms/${room.id}/messages`, post({ text })), 201);
    let socket: WebSocket | undefined;
    const Tracked = class extends WebSocket {
      constructor(url: string) {
        super(url);
        socket = this;
      }
    };
    // While `gate` is shut the client cannot get a token, so it stays disconnected.
    let release = () => {};
    let gate: Promise<void> = Promise.resolve();
    const token = async () => {
      await gate;
      return y.accessToken;
    };
    const client = new RealtimeClient({
      url: wsUrl(),
      token,
      history: httpHistory({ apiUrl: inject("localCloud").apiUrl, token, limit: 2 }),
      transport: webSocketTransport(Tracked as unknown as WebSocketConstructor),
      backoff: { baseMs: 50, capMs: 200 },
    });
    const got: { seq: number; source: string }[] = [];
    const states: string[] = [];
    client.on("chat.message", (m, meta) => got.push({ seq: m.seq, source: meta.source }));
    client.onState((s) => states.push(s));
    client.track(room.id, 0);
    client.connect();
    const until = async (ok: () => boolean) => {
      for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 25));
      expect(ok()).toBe(true);
    };
    await until(() => client.state === "open");
    for (const t of ["a", "b", "c"]) await say(t);
    await until(() => got.length === 3);
    gate = new Promise((r) => {
      release = r;
    });
    socket!.terminate();
    await until(() => client.state === "reconnecting");
    for (const t of ["d", "e", "f", "g", "h"]) await say(t);
    release();
    await until(() => client.state === "open");
    for (const t of ["i", "j"]) await say(t);
    await until(() => got.length >= 10);
    await new Promise((r) => setTimeout(r, 300));
    expect(got.map((g) => g.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(got.slice(3, 8).every((g) => g.source === "resume")).toBe(true);
    expect(states).toEqual(["connecting", "open", "reconnecting", "open"]);
    client.close();
  });

  it("attaches one's own verified upload to a message, served to members by a short-lived signed URL", async () => {
    const [x, y, z] = await Promise.all([chatUser("mx"), chatUser("my"), chatUser("mz")]);
    const room = await json(x.api("/rooms", post({ memberHandles: [y.handle] })), 201);
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: "#c33" } })
      .png()
      .toBuffer();
    const upload = async (purpose?: string) => {
      const { mediaId, upload } = await json(
        x.api("/media/uploads", post({ contentType: "image/png", size: png.length, purpose })),
        201,
      );
      const form = new FormData();
      for (const [k, v] of Object.entries(upload.fields as Record<string, string>)) form.append(k, v);
      form.append("file", new Blob([new Uint8Array(png)], { type: "image/png" }), "dot.png");
      expect((await fetch(upload.url, { method: "POST", body: form })).status).toBeLessThan(300);
      return mediaId as string;
    };
    const [mediaId, forPost] = await Promise.all([upload("chat"), upload()]);

    // A chat file never goes on a post (it would become public), nor a post's file in a chat.
    const onPost = await x.api("/posts", post({ text: "leak", mediaIds: [mediaId] }));
    expect(onPost.status).toBe(400);
    expect((await onPost.json()).error.code).toBe("media.wrong_purpose");
    const inChat = await x.api(`/rooms/${room.id}/messages`, post({ text: "", mediaIds: [forPost] }));
    expect(inChat.status).toBe(400);
    expect((await inChat.json()).error.code).toBe("media.wrong_purpose");

    const stolen = await y.api(`/rooms/${room.id}/messages`, post({ text: "", mediaIds: [mediaId] }));
    expect(stolen.status).toBe(403);
    const sent = await json(
      x.api(`/rooms/${room.id}/messages`, post({ text: "", mediaIds: [mediaId] })),
      201,
    );
    expect(sent.media).toEqual([
      expect.objectContaining({ id: mediaId, kind: "image", contentType: "image/png" }),
    ]);
    const url = new URL(sent.media[0].url);
    expect(url.searchParams.get("X-Amz-Expires")).toBe("900");
    expect(url.searchParams.get("X-Amz-Signature")).toBeTruthy();
    expect(url.pathname).not.toMatch(/^\/media\//);
    const reused = await x.api(`/rooms/${room.id}/messages`, post({ text: "again", mediaIds: [mediaId] }));
    expect(reused.status).toBe(409);
    expect((await reused.json()).error.code).toBe("media.in_use");

    // Processing is asynchronous: wait until the owner sees it ready, then the EXIF-free copy exists.
    let owned: { status: string; url: string } = { status: "pending", url: "" };
    for (let i = 0; i < 80 && owned.status === "pending"; i++) {
      owned = await json(x.api(`/media/${mediaId}`), 200);
      if (owned.status === "pending") await new Promise((r) => setTimeout(r, 250));
    }
    expect(owned.status).toBe("ready");
    expect(new URL(owned.url).pathname).toMatch(new RegExp(`/private/${mediaId}/image\\.png$`));

    // A member's freshly signed URL fetches the processed copy (re-encoded: not the uploaded bytes).
    const { items } = await json(y.api(`/rooms/${room.id}/messages?afterSeq=0`), 200);
    const signed = new URL(items[0].media[0].url);
    expect(signed.pathname).toMatch(new RegExp(`/private/${mediaId}/image\\.png$`));
    const fetched = await fetch(signed);
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get("content-type")).toBe("image/png");
    expect(fetched.headers.get("cache-control")).toMatch(/^private/);
    expect((await sharp(Buffer.from(await fetched.arrayBuffer())).metadata()).width).toBe(40);

    // Nothing of it is public: no /media path reaches the copy, the thumbnail or the original.
    const web = inject("localCloud").webUrl;
    for (const path of [
      `/media/${mediaId}/image.png`,
      `/media/${mediaId}/thumb.webp`,
      `/media/private/${mediaId}/image.png`,
      `/media/..%2fprivate/${mediaId}/image.png`,
      `/media/uploads/${x.sub}/${mediaId}`,
    ]) {
      const res = await fetch(new URL(path, web));
      expect([403, 404], path).toContain(res.status);
      await res.body?.cancel();
    }
    // The media route shows it to its owner only; a member gets it with the messages, others get 403.
    expect((await y.api(`/media/${mediaId}`)).status).toBe(404);
    const outsider = await z.api(`/rooms/${room.id}/messages?afterSeq=0`);
    expect(outsider.status).toBe(403);
    expect((await outsider.json()).error.code).toBe("room.not_member");

    // Deleting the message deletes its files: even a URL signed before stops working.
    expect((await x.api(`/rooms/${room.id}/messages/${sent.id}`, { method: "DELETE" })).status).toBe(204);
    const after = await fetch(signed);
    expect(after.status).toBe(404);
    await after.body?.cancel();
  });
});
