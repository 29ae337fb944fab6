// Message requests on the local cloud: a stranger's 1:1 room and a group invitation from someone one does not follow
// wait in Requests, quietly, until accepted, deleted (declined) or answered; a 1:1 room can be left.
import type { NotificationItem } from "@asyncsns/realtime";
import { describe, expect, it } from "vitest";
import { type ChatUser, chatUser, type Frame, json, listen, post } from "./chat-support";

interface Room {
  id: string;
  kind: string;
  status: "member" | "request" | "invited";
  archived: boolean;
  invitedBy: string | null;
  members: { id: string; status: string }[];
}
interface RoomList {
  items: Room[];
  requests: number;
}

const list = (user: ChatUser, folder?: string) =>
  json<RoomList>(user.api(`/rooms${folder ? `?folder=${folder}` : ""}`), 200);
const ids = (l: RoomList) => l.items.map((r) => r.id);
const follow = async (a: ChatUser, b: ChatUser) =>
  expect((await a.api(`/users/${b.handle}/follow`, { method: "POST" })).status).toBe(204);
const open = (a: ChatUser, ...others: ChatUser[]) =>
  json<Room>(a.api("/rooms", post({ memberHandles: others.map((o) => o.handle) })));
const group = (a: ChatUser, ...others: ChatUser[]) =>
  json<Room>(a.api("/rooms", post({ memberHandles: others.map((o) => o.handle), name: "Plans" })), 201);
const say = (a: ChatUser, roomId: string, text: string) =>
  json<{ id: string; seq: number }>(a.api(`/rooms/${roomId}/messages`, post({ text })), 201);
const answer = (a: ChatUser, roomId: string, verb: "accept" | "decline" | "leave") =>
  a.api(`/rooms/${roomId}/${verb}`, { method: "POST" });

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  let last = await read();
  while (!ok(last)) {
    if (Date.now() > until) throw new Error(`not reached in ${ms} ms; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 150));
    last = await read();
  }
  return last;
}

describe("message requests", () => {
  it("puts a stranger's first message in Requests, not the inbox, once there is a message", async () => {
    const [sender, recipient] = await Promise.all([chatUser("rs"), chatUser("rr")]);
    const room = await open(sender, recipient);
    expect(room.status).toBe("member");
    expect(room.members.find((m) => m.id === recipient.sub)?.status).toBe("request");
    // An empty room from a stranger is nothing to answer yet.
    expect(await list(recipient, "requests")).toEqual({ items: [], requests: 0 });
    await say(sender, room.id, "hello, we met at the meetup");
    const requests = await list(recipient, "requests");
    expect(ids(requests)).toEqual([room.id]);
    expect(requests.requests).toBe(1);
    expect(requests.items[0]).toMatchObject({ status: "request", archived: false, unread: 1 });
    const inbox = await list(recipient);
    expect(ids(inbox)).not.toContain(room.id);
    expect(inbox.requests).toBe(1);
    // The sender's own inbox has it as a normal room.
    expect(ids(await list(sender))).toContain(room.id);
    // The recipient can read the request before answering.
    const history = await json<{ items: { text: string }[] }>(
      recipient.api(`/rooms/${room.id}/messages`),
      200,
    );
    expect(history.items.map((m) => m.text)).toEqual(["hello, we met at the meetup"]);
  });

  it("puts a message from someone the recipient follows straight in the inbox", async () => {
    const [sender, recipient] = await Promise.all([chatUser("fs"), chatUser("fr")]);
    await follow(recipient, sender);
    const room = await open(sender, recipient);
    await say(sender, room.id, "hi");
    expect(ids(await list(recipient))).toContain(room.id);
    expect((await list(recipient, "requests")).requests).toBe(0);
  });

  it("sends a request's recipient only a quiet room.updated, and live messages once accepted", async () => {
    const [sender, recipient] = await Promise.all([chatUser("qs"), chatUser("qr")]);
    const room = await open(sender, recipient);
    const [ws, senderWs] = await Promise.all([listen(recipient), listen(sender)]);
    try {
      const first = await say(sender, room.id, "quiet please");
      await ws.next("room.updated", (f) => f.data.roomId === room.id && f.data.reason === "request");
      await senderWs.next("chat.message", (f) => f.data.id === first.id);
      expect(ws.frames.filter((f: Frame) => f.type === "chat.message")).toEqual([]);
      // Reading a request sends the stranger no receipt.
      expect((await recipient.api(`/rooms/${room.id}/read`, post({ seq: first.seq }))).status).toBe(204);

      const accepted = await json<Room>(answer(recipient, room.id, "accept"), 200);
      expect(accepted).toMatchObject({ status: "member", archived: false });
      await senderWs.next("room.updated", (f) => f.data.roomId === room.id && f.data.reason === "accepted");
      expect(senderWs.frames.filter((f: Frame) => f.type === "chat.read")).toEqual([]);
      // Idempotent: accepting again answers the same room.
      expect((await json<Room>(answer(recipient, room.id, "accept"), 200)).status).toBe("member");

      const second = await say(sender, room.id, "now you hear me");
      await ws.next("chat.message", (f) => f.data.id === second.id);
      expect(ids(await list(recipient))).toContain(room.id);
      expect(await list(recipient, "requests")).toMatchObject({ items: [], requests: 0 });
    } finally {
      await Promise.all([ws.close(), senderWs.close()]);
    }
  });

  it("deletes a request for the recipient only: the sender is not told and may go on writing", async () => {
    const [sender, recipient] = await Promise.all([chatUser("ds"), chatUser("dr")]);
    const room = await open(sender, recipient);
    await say(sender, room.id, "buy my thing");
    const senderWs = await listen(sender);
    try {
      expect((await answer(recipient, room.id, "decline")).status).toBe(204);
      expect((await answer(recipient, room.id, "decline")).status).toBe(204);
      expect(await list(recipient, "requests")).toMatchObject({ items: [], requests: 0 });
      expect(ids(await list(recipient))).not.toContain(room.id);
      expect(ids(await list(recipient, "archived"))).not.toContain(room.id);
      // The sender sees a normal room and can still send; nothing brings it back for the recipient.
      const sent = await say(sender, room.id, "hello??");
      await senderWs.next("chat.message", (f) => f.data.id === sent.id);
      expect(senderWs.frames.some((f: Frame) => f.type === "room.updated" && f.data.roomId === room.id)).toBe(
        false,
      );
      const seen = await json<Room>(sender.api(`/rooms/${room.id}`), 200);
      expect(seen.members.find((m) => m.id === recipient.sub)?.status).toBe("request");
      expect((await list(recipient, "requests")).requests).toBe(0);
    } finally {
      await senderWs.close();
    }
  });

  it("refuses to decline a room already accepted (409) and 404s an unknown room", async () => {
    const [sender, recipient] = await Promise.all([chatUser("ns"), chatUser("nr")]);
    const room = await open(sender, recipient);
    await say(sender, room.id, "hey");
    await json(answer(recipient, room.id, "accept"), 200);
    const res = await answer(recipient, room.id, "decline");
    expect(res.status).toBe(409);
    expect((await res.json()).error.code).toBe("room.not_request");
    expect((await answer(recipient, "rom_00000000000000000000000000", "accept")).status).toBe(404);
    expect((await answer(recipient, "not-a-room", "accept")).status).toBe(400);
    // A stranger to the room cannot answer for it.
    const outsider = await chatUser("no");
    expect((await answer(outsider, room.id, "accept")).status).toBe(403);
  });

  it("accepts a request by replying, or by opening the conversation oneself", async () => {
    const [sender, replier, opener] = await Promise.all([chatUser("os"), chatUser("or"), chatUser("oo")]);
    const replied = await open(sender, replier);
    await say(sender, replied.id, "one");
    await say(replier, replied.id, "hi back");
    expect((await json<Room>(replier.api(`/rooms/${replied.id}`), 200)).status).toBe("member");
    expect(ids(await list(replier))).toContain(replied.id);

    const opened = await open(sender, opener);
    await say(sender, opened.id, "two");
    const mine = await open(opener, sender);
    expect(mine).toMatchObject({ id: opened.id, status: "member" });
    expect((await list(opener, "requests")).requests).toBe(0);
  });

  it("invites to a group whoever does not follow the creator; they accept or decline", async () => {
    const [owner, friend, stranger, other] = await Promise.all([
      chatUser("go"),
      chatUser("gf"),
      chatUser("gs"),
      chatUser("gx"),
    ]);
    await follow(friend, owner);
    const room = await group(owner, friend, stranger, other);
    const status = Object.fromEntries(room.members.map((m) => [m.id, m.status]));
    expect(status).toEqual({
      [owner.sub]: "member",
      [friend.sub]: "member",
      [stranger.sub]: "invited",
      [other.sub]: "invited",
    });
    expect(ids(await list(friend))).toContain(room.id);
    const invitations = await list(stranger, "requests");
    expect(ids(invitations)).toEqual([room.id]);
    expect(invitations.items[0]).toMatchObject({ status: "invited", invitedBy: owner.sub, kind: "group" });

    // Invited members hear no messages meanwhile.
    const ws = await listen(stranger);
    try {
      await say(owner, room.id, "welcome");
      await ws.next("room.updated", (f) => f.data.roomId === room.id && f.data.reason === "request");
      expect(ws.frames.filter((f: Frame) => f.type === "chat.message")).toEqual([]);
      const joined = await json<Room>(answer(stranger, room.id, "accept"), 200);
      expect(joined.status).toBe("member");
      const after = await say(owner, room.id, "glad you came");
      await ws.next("chat.message", (f) => f.data.id === after.id);
    } finally {
      await ws.close();
    }

    expect((await answer(other, room.id, "decline")).status).toBe(204);
    // Out of the group now: answering again is refused as for anyone outside it.
    expect((await answer(other, room.id, "decline")).status).toBe(403);
    expect((await other.api(`/rooms/${room.id}`)).status).toBe(403);
    const seen = await json<Room>(owner.api(`/rooms/${room.id}`), 200);
    expect(seen.members.map((m) => m.id).sort()).toEqual([owner.sub, friend.sub, stranger.sub].sort());
  });

  it("invites people added later by an admin they do not follow", async () => {
    const [owner, friend, late] = await Promise.all([chatUser("ao"), chatUser("af"), chatUser("al")]);
    await follow(friend, owner);
    const room = await group(owner, friend);
    const added = await json<Room>(
      owner.api(`/rooms/${room.id}/members`, post({ handles: [late.handle] })),
      200,
    );
    expect(added.members.find((m) => m.id === late.sub)?.status).toBe("invited");
    expect(ids(await list(late, "requests"))).toEqual([room.id]);
  });

  it("leaves a 1:1 room: archived for the leaver, quiet, and back when they open it again", async () => {
    const [a, b] = await Promise.all([chatUser("la"), chatUser("lb")]);
    await Promise.all([follow(a, b), follow(b, a)]);
    const room = await open(a, b);
    await say(a, room.id, "before");
    expect((await answer(b, room.id, "leave")).status).toBe(204);
    expect((await answer(b, room.id, "leave")).status).toBe(204);
    expect(ids(await list(b))).not.toContain(room.id);
    const archived = await list(b, "archived");
    expect(ids(archived)).toEqual([room.id]);
    expect(archived.items[0]).toMatchObject({ archived: true, status: "member" });

    const ws = await listen(b);
    try {
      await say(a, room.id, "are you there?");
      expect(ids(await list(b))).not.toContain(room.id);
      // Opening the conversation again brings it back to the inbox.
      const back = await open(b, a);
      expect(back).toMatchObject({ id: room.id, archived: false, status: "member" });
      expect(ids(await list(b))).toContain(room.id);
      const next = await say(a, room.id, "welcome back");
      await ws.next("chat.message", (f) => f.data.id === next.id);
      expect(
        ws.frames.filter((f: Frame) => f.type === "chat.message").map((f: Frame) => f.data.text),
      ).toEqual(["welcome back"]);
    } finally {
      await ws.close();
    }
  });

  it("leaves a group as removing oneself does; then the room is closed to the leaver", async () => {
    const [owner, member] = await Promise.all([chatUser("lo"), chatUser("lm")]);
    await follow(member, owner);
    const room = await group(owner, member);
    expect((await answer(member, room.id, "leave")).status).toBe(204);
    expect((await answer(member, room.id, "leave")).status).toBe(403);
    const seen = await json<Room>(owner.api(`/rooms/${room.id}`), 200);
    expect(seen.members.map((m) => m.id)).toEqual([owner.sub]);
  });

  it("notifies no pending request of a message, while a friend's later message is notified", async () => {
    const [stranger, friend, recipient] = await Promise.all([chatUser("ps"), chatUser("pf"), chatUser("pr")]);
    await follow(recipient, friend);
    const request = await open(stranger, recipient);
    await say(stranger, request.id, "unseen request");
    const room = await open(friend, recipient);
    await say(friend, room.id, "from a friend");
    const page = () => json<{ items: NotificationItem[] }>(recipient.api("/notifications?limit=50"), 200);
    // The stream hands records on in order: once the later message is notified, the request's turn has passed.
    const got = await eventually(page, (p) =>
      p.items.some((i) => i.type === "chat.message" && i.subject?.text === "from a friend"),
    );
    expect(got.items.filter((i) => i.subject?.id === request.id)).toEqual([]);
  });
});
