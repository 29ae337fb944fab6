import { beforeAll, describe, expect, inject, it } from "vitest";
import { type ChatUser, chatUser, friends, json, listen, post } from "./chat-support";

const reaction = (roomId: string, messageId: string, emoji: string) =>
  `/rooms/${roomId}/messages/${messageId}/reactions/${encodeURIComponent(emoji)}`;

describe("chat extras on the local cloud", () => {
  let alice: ChatUser;
  let bob: ChatUser;
  let carol: ChatUser;
  beforeAll(async () => {
    [alice, bob, carol] = await Promise.all([chatUser("ra"), chatUser("rb"), chatUser("rc")]);
  });

  it("counts reactions once per member and emoji, live to members, with the reader's own marked", async () => {
    const room = await json(alice.api("/rooms", post({ memberHandles: [bob.handle, carol.handle] })), 201);
    const message = await json(alice.api(`/rooms/${room.id}/messages`, post({ text: "lunch?" })), 201);
    expect(message.reactions).toEqual([]);
    const [aliceWs, carolWs] = await Promise.all([listen(alice), listen(carol)]);

    const first = await json(bob.api(reaction(room.id, message.id, "👍"), { method: "POST" }), 200);
    expect(first.reactions).toEqual([{ emoji: "👍", count: 1, mine: true }]);
    const live = await aliceWs.next("chat.reaction");
    expect(live.data).toEqual({
      roomId: room.id,
      messageId: message.id,
      seq: message.seq,
      emoji: "👍",
      userId: bob.sub,
      reacted: true,
      count: 1,
    });
    await carolWs.next("chat.reaction", (f) => f.data.userId === bob.sub);

    // Twice is once, and tells no one again.
    const again = await json(bob.api(reaction(room.id, message.id, "👍"), { method: "POST" }), 200);
    expect(again.reactions).toEqual([{ emoji: "👍", count: 1, mine: true }]);
    await Promise.all([
      json(carol.api(reaction(room.id, message.id, "👍"), { method: "POST" }), 200),
      json(carol.api(reaction(room.id, message.id, "❤️"), { method: "POST" }), 200),
    ]);

    const page = await json(alice.api(`/rooms/${room.id}/messages`), 200);
    expect(page.items[0].reactions).toEqual([
      { emoji: "👍", count: 2, mine: false },
      { emoji: "❤️", count: 1, mine: false },
    ]);
    const carolPage = await json(carol.api(`/rooms/${room.id}/messages?afterSeq=0`), 200);
    expect(carolPage.items[0].reactions).toEqual([
      { emoji: "👍", count: 2, mine: true },
      { emoji: "❤️", count: 1, mine: true },
    ]);

    const taken = await json(bob.api(reaction(room.id, message.id, "👍"), { method: "DELETE" }), 200);
    expect(taken.reactions).toEqual([
      { emoji: "👍", count: 1, mine: false },
      { emoji: "❤️", count: 1, mine: false },
    ]);
    const back = await aliceWs.next("chat.reaction", (f) => f.data.reacted === false);
    expect(back.data).toMatchObject({ userId: bob.sub, emoji: "👍", count: 1 });
    // Taking back what is not there changes nothing.
    const none = await json(bob.api(reaction(room.id, message.id, "👍"), { method: "DELETE" }), 200);
    expect(none.reactions[0]).toEqual({ emoji: "👍", count: 1, mine: false });
    expect(aliceWs.frames.filter((f) => f.type === "chat.reaction")).toHaveLength(4);
    await Promise.all([aliceWs.close(), carolWs.close()]);
  });

  it("refuses bad emoji, strangers, other rooms' messages and deleted messages", async () => {
    const room = await json(alice.api("/rooms", post({ memberHandles: [bob.handle] })));
    const message = await json(alice.api(`/rooms/${room.id}/messages`, post({ text: "hi" })), 201);
    const other = await json(carol.api("/rooms", post({ memberHandles: [bob.handle] })));
    const elsewhere = await json(carol.api(`/rooms/${other.id}/messages`, post({ text: "yo" })), 201);

    const bad = await bob.api(reaction(room.id, message.id, "🦄"), { method: "POST" });
    expect(bad.status).toBe(400);
    expect((await carol.api(reaction(room.id, message.id, "👍"), { method: "POST" })).status).toBe(403);
    expect((await bob.api(reaction(room.id, elsewhere.id, "👍"), { method: "POST" })).status).toBe(404);
    expect((await bob.api(reaction(room.id, "msg_nope", "👍"), { method: "POST" })).status).toBe(400);
    const unknown = `msg_${"0".repeat(26)}`;
    expect((await bob.api(reaction(room.id, unknown, "👍"), { method: "POST" })).status).toBe(404);

    expect((await alice.api(`/rooms/${room.id}/messages/${message.id}`, { method: "DELETE" })).status).toBe(
      204,
    );
    const gone = await bob.api(reaction(room.id, message.id, "👍"), { method: "POST" });
    expect(gone.status).toBe(404);
    expect((await gone.json()).error.code).toBe("chat.message_not_found");
  });

  it("counts unread messages per room and in total, and a read moves them to zero", async () => {
    const [x, y, z] = await Promise.all([chatUser("ux"), chatUser("uy"), chatUser("uz")]);
    // Friends, so the rooms are not message requests (a pending member hears no read receipts).
    await friends(x, y, z);
    expect(await json(y.api("/rooms/unread"), 200)).toEqual({ unread: 0, rooms: [] });
    const direct = await json(x.api("/rooms", post({ memberHandles: [y.handle] })), 201);
    const group = await json(
      z.api("/rooms", post({ memberHandles: [x.handle, y.handle], name: "trio" })),
      201,
    );
    await json(x.api(`/rooms/${direct.id}/messages`, post({ text: "one" })), 201);
    await json(x.api(`/rooms/${direct.id}/messages`, post({ text: "two" })), 201);
    await json(z.api(`/rooms/${group.id}/messages`, post({ text: "three" })), 201);

    const counts = await json(y.api("/rooms/unread"), 200);
    expect(counts.unread).toBe(3);
    expect(
      [...counts.rooms].sort((a: { unread: number }, b: { unread: number }) => b.unread - a.unread),
    ).toEqual([
      { id: direct.id, seq: 2, unread: 2 },
      { id: group.id, seq: 1, unread: 1 },
    ]);
    // One's own messages are read: x has only z's message unread.
    expect(await json(x.api("/rooms/unread"), 200)).toEqual({
      unread: 1,
      rooms: [{ id: group.id, seq: 1, unread: 1 }],
    });

    const yWs = await listen(y);
    expect((await y.api(`/rooms/${direct.id}/read`, post({ seq: 1 }))).status).toBe(204);
    expect((await yWs.next("chat.read")).data).toEqual({ roomId: direct.id, userId: y.sub, seq: 1 });
    expect((await json(y.api("/rooms/unread"), 200)).unread).toBe(2);
    expect((await y.api(`/rooms/${direct.id}/read`, post({ seq: 2 }))).status).toBe(204);
    expect((await y.api(`/rooms/${group.id}/read`, post({ seq: 1 }))).status).toBe(204);
    expect(await json(y.api("/rooms/unread"), 200)).toEqual({ unread: 0, rooms: [] });
    await yWs.close();

    const doc = await json(fetch(`${inject("localCloud").apiUrl}/openapi.json`), 200);
    expect(Object.keys(doc.paths["/api/rooms/unread"])).toEqual(["get"]);
    expect(Object.keys(doc.paths["/api/rooms/{id}/messages/{messageId}/reactions/{emoji}"]).sort()).toEqual([
      "delete",
      "post",
    ]);
  });

  it("makes a group of two when asked, and still one 1:1 room by default", async () => {
    const [x, y] = await Promise.all([chatUser("gx"), chatUser("gy")]);
    const group = await json(x.api("/rooms", post({ memberHandles: [y.handle], kind: "group" })), 201);
    expect(group).toMatchObject({ kind: "group", name: null, myRole: "owner" });
    expect(group.members).toHaveLength(2);
    const second = await json(x.api("/rooms", post({ memberHandles: [y.handle], kind: "group" })), 201);
    expect(second.id).not.toBe(group.id);
    const direct = await json(x.api("/rooms", post({ memberHandles: [y.handle] })), 201);
    expect(direct.kind).toBe("direct");
    const wrong = await x.api("/rooms", post({ memberHandles: [y.handle, alice.handle], kind: "direct" }));
    expect(wrong.status).toBe(400);
  });
});
