// Calls on the local cloud, end to end: the Call Lambda through the gateway, call.* events over real sockets, the
// SQS-delayed ring timer (4 s here), the call.signal route, missed-call notifications and the room's history.
import type { Call, IceServer, NotificationItem } from "@asyncsns/realtime";
import { MAX_SIGNAL_BYTES } from "@asyncsns/realtime";
import { beforeAll, describe, expect, it } from "vitest";
import { useLocalTable } from "../../../tests/support/in-process-core";
import { type ChatUser, chatUser, type Frame, json, type Listener, listen, post } from "./chat-support";

const RING_SECONDS = Number(process.env.ASYNCSNS_CALL_RING_SECONDS ?? 4);

interface Answer {
  call: Call;
  iceServers: IceServer[];
  signals?: unknown[];
}

const start = (from: ChatUser, to: ChatUser, kind: "audio" | "video" = "video") =>
  from.api("/calls", post({ handle: to.handle, kind }));
const act = (user: ChatUser, id: string, command: string, body?: unknown) =>
  user.api(`/calls/${id}/${command}`, body === undefined ? { method: "POST" } : post(body));
const forCall = (id: string) => (f: Frame) => f.data.call?.id === id || f.data.callId === id;
const signal = (socket: Listener, callId: string, data: unknown) =>
  socket.socket.send(JSON.stringify({ action: "call.signal", callId, data }));

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

async function room(a: ChatUser, b: ChatUser): Promise<string> {
  const res = await a.api("/rooms", post({ memberHandles: [b.handle] }));
  expect([200, 201]).toContain(res.status);
  return ((await res.json()) as { id: string }).id;
}

async function mutual(a: ChatUser, b: ChatUser) {
  expect((await a.api(`/users/${b.handle}/follow`, { method: "POST" })).status).toBe(204);
  expect((await b.api(`/users/${a.handle}/follow`, { method: "POST" })).status).toBe(204);
}

/** Two people who share a 1:1 room, each with a socket (the callee with two devices). */
async function pair() {
  const [a, b] = await Promise.all([chatUser("ca"), chatUser("cb")]);
  const roomId = await room(a, b);
  const [sa, sb1, sb2] = await Promise.all([listen(a), listen(b), listen(b)]);
  return { a, b, roomId, sa, sb1, sb2, close: () => Promise.all([sa, sb1, sb2].map((s) => s.close())) };
}

/** TURN REST usernames are `<expiry>:<user id>`: credentials are the requester's own. */
const usernamesOf = (servers: IceServer[]) => servers.map((s) => s.username);
function expectCredentialsFor(servers: IceServer[], userId: string) {
  expect(servers.length).toBeGreaterThan(0);
  for (const name of usernamesOf(servers)) expect(name).toMatch(new RegExp(`^\\d+:${userId}$`));
}

let stranger: ChatUser;
let strangerSocket: Listener;
// The call item as stored (what a ringing call holds is not in any answer until the accept).
let Store: typeof import("@asyncsns/core/call").Call.Store;
beforeAll(async () => {
  useLocalTable();
  ({ Store } = (await import("@asyncsns/core/call")).Call);
  stranger = await chatUser("cs");
  strangerSocket = await listen(stranger);
});

describe("a call that is answered", () => {
  it("holds the caller's signals while it rings and hands them, in order, to the device whose accept wins", async () => {
    const { a, b, sa, sb1, sb2, close } = await pair();
    const id = (await json<Answer>(start(a, b), 201)).call.id;
    await Promise.all([sb1.next("call.ringing", forCall(id)), sb2.next("call.ringing", forCall(id))]);
    const offer = { type: "offer", sdp: "v=0 held offer" };
    const candidates = { batch: [{ type: "candidate", candidate: { candidate: "candidate:held" } }] };
    signal(sa, id, offer);
    await eventually(
      async () => (await Store.get(id))?.held?.length ?? 0,
      (n) => n === 1,
    );
    signal(sa, id, candidates);
    await eventually(
      async () => (await Store.get(id))?.held?.length ?? 0,
      (n) => n === 2,
    );
    // The callee's own signals while it rings are refused; its sockets got none of the caller's.
    signal(sb1, id, { type: "answer", sdp: "too early" });
    await sb1.next("system.error", (f) => f.data.code === "call.not_active");
    expect([...sb1.frames, ...sb2.frames].some((f) => f.type === "call.signal")).toBe(false);

    const accepted = await json<Answer>(act(b, id, "accept"), 200);
    expect(accepted.signals).toEqual([offer, candidates]);
    // Taken by that accept: a repeat (or the callee's other device) gets none.
    expect((await json<Answer>(act(b, id, "accept"), 200)).signals).toBeUndefined();
    expect((await Store.get(id))?.held).toBeUndefined();
    // After the accept the caller's signals are relayed as usual, and the callee's answer reaches the caller.
    signal(sa, id, { type: "candidate", candidate: { candidate: "candidate:after" } });
    await sb1.next("call.signal", (f) => f.data.data?.candidate?.candidate === "candidate:after");
    signal(sb1, id, { type: "answer", sdp: "v=0 answer" });
    expect((await sa.next("call.signal", (f) => f.data.data?.sdp === "v=0 answer")).data.from).toBe(b.sub);
    await act(a, id, "hangup");
    await close();
  });

  it("rings every callee device, the first accept wins, the other device hears answered_elsewhere within 1 s", async () => {
    const { a, b, roomId, sa, sb1, sb2, close } = await pair();
    const started = await json<Answer>(start(a, b), 201);
    expect(started.call).toMatchObject({
      state: "ringing",
      kind: "video",
      roomId,
      caller: { id: a.sub, handle: a.handle },
      callee: { id: b.sub, handle: b.handle },
    });
    expectCredentialsFor(started.iceServers, a.sub);
    const id = started.call.id;
    const rings = await Promise.all([
      sb1.next("call.ringing", forCall(id)),
      sb2.next("call.ringing", forCall(id)),
    ]);
    // The ring brings the callee's own credentials, so a ringing device can gather relay candidates early.
    for (const r of rings) expectCredentialsFor(r.data.iceServers as IceServer[], b.sub);
    expect(sa.frames.some((f) => f.type === "call.ringing")).toBe(false);

    const acceptedAt = Date.now();
    const accepted = await json<Answer>(act(b, id, "accept"), 200);
    expect(accepted.call.state).toBe("accepted");
    expectCredentialsFor(accepted.iceServers, b.sub);
    const elsewhere = await sb2.next("call.ended", forCall(id), 1_000);
    expect(Date.now() - acceptedAt).toBeLessThan(1_000 + 500);
    expect(elsewhere.data).toMatchObject({ reason: "answered_elsewhere", call: { state: "accepted" } });
    expect((await sa.next("call.accepted", forCall(id))).data.call.state).toBe("accepted");
    // A repeated accept answers the call as it is.
    expect((await json<Answer>(act(b, id, "accept"), 200)).call.state).toBe("accepted");

    // Signals: to every callee device until one answers, then only to that one.
    signal(sa, id, { type: "offer", sdp: "v=0 offer" });
    const offer1 = await sb1.next("call.signal", (f) => f.data.data?.sdp === "v=0 offer");
    await sb2.next("call.signal", (f) => f.data.data?.sdp === "v=0 offer");
    expect(offer1.data).toEqual({ callId: id, from: a.sub, data: { type: "offer", sdp: "v=0 offer" } });
    signal(sb1, id, { type: "answer", sdp: "v=0 answer" });
    expect((await sa.next("call.signal", (f) => f.data.data?.sdp === "v=0 answer")).data.from).toBe(b.sub);
    signal(sa, id, { candidate: { candidate: "candidate:1" } });
    await sb1.next("call.signal", (f) => f.data.data?.candidate?.candidate === "candidate:1");
    // The unbound device: refused, and not sent the bound device's signals.
    signal(sb2, id, { type: "answer", sdp: "second device" });
    expect((await sb2.next("system.error", (f) => f.data.code === "call.forbidden")).data.code).toBe(
      "call.forbidden",
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(sb2.frames.some((f) => f.type === "call.signal" && f.data.data?.candidate)).toBe(false);
    expect(sa.frames.some((f) => f.type === "call.signal" && f.data.data?.sdp === "second device")).toBe(
      false,
    );

    // A keepalive refreshes the lease and is not relayed.
    signal(sb1, id, { type: "keepalive" });
    await new Promise((r) => setTimeout(r, 300));
    expect(sa.frames.some((f) => f.type === "call.signal" && f.data.data?.type === "keepalive")).toBe(false);

    // Over 32 KB: refused, not relayed.
    signal(sa, id, { type: "offer", sdp: "x".repeat(MAX_SIGNAL_BYTES) });
    expect((await sa.next("system.error", (f) => f.data.code === "call.signal_too_large")).data.code).toBe(
      "call.signal_too_large",
    );

    const ended = await json<{ call: Call }>(act(a, id, "hangup"), 200);
    expect(ended.call).toMatchObject({ state: "ended", endReason: "hangup" });
    expect(ended.call.acceptedAt && ended.call.endedAt).toBeTruthy();
    await Promise.all(
      [sa, sb1].map((s) => s.next("call.ended", (f) => forCall(id)(f) && f.data.reason === "hangup")),
    );
    // Hanging up twice (both sides at once) is fine.
    expect((await json<{ call: Call }>(act(b, id, "hangup"), 200)).call.state).toBe("ended");

    // The room's history shows the call, live and when read.
    const live = await sb1.next("chat.message", (f) => f.data.call?.id === id);
    expect(live.data).toMatchObject({
      roomId,
      sender: { id: a.sub },
      call: { kind: "video", state: "ended" },
    });
    const history = await json<{ items: { call?: { id: string; durationSeconds: number } }[] }>(
      b.api(`/rooms/${roomId}/messages`),
      200,
    );
    const entry = history.items.find((m) => m.call?.id === id);
    expect(entry?.call).toMatchObject({ id, kind: "video", state: "ended", endReason: "hangup" });
    expect(entry?.call?.durationSeconds).toBeGreaterThanOrEqual(0);
    expect(history.items.filter((m) => m.call?.id === id)).toHaveLength(1);
    await close();
  });
});

describe("calls that end before they connect", () => {
  it("a device whose socket reconnects (a network change) keeps the call; another device cannot take it", async () => {
    const { a, b, sa, sb1, sb2 } = await pair();
    const id = (await json<Answer>(start(a, b), 201)).call.id;
    await sb1.next("call.ringing", forCall(id));
    await json<Answer>(act(b, id, "accept"), 200);
    await sa.next("call.accepted", forCall(id));
    const signalFrom = (socket: Listener, device: string, data: unknown) =>
      socket.socket.send(JSON.stringify({ action: "call.signal", callId: id, device, data }));
    const phone = "device-phone-1234";
    signalFrom(sa, "device-desk-1234", { type: "offer", sdp: "v=0 offer" });
    await sb1.next("call.signal", (f) => f.data.data?.sdp === "v=0 offer");
    signalFrom(sb1, phone, { type: "answer", sdp: "v=0 answer" });
    await sa.next("call.signal", (f) => f.data.data?.sdp === "v=0 answer");

    // The phone's network changes: its old socket is gone, a new one opens and says who it is.
    await sb1.close();
    const sb3 = await listen(b);
    signalFrom(sb3, phone, { type: "keepalive" });
    // The other device of the same user, claiming another id, is still refused.
    signalFrom(sb2, "device-tablet-123", { type: "answer", sdp: "tablet" });
    await sb2.next("system.error", (f) => f.data.code === "call.forbidden");
    // The ICE restart's offer reaches the phone's new socket, and its answer reaches the caller.
    await new Promise((r) => setTimeout(r, 300));
    signalFrom(sa, "device-desk-1234", { type: "offer", sdp: "v=0 restart" });
    await sb3.next("call.signal", (f) => f.data.data?.sdp === "v=0 restart");
    signalFrom(sb3, phone, { type: "answer", sdp: "v=0 restarted" });
    await sa.next("call.signal", (f) => f.data.data?.sdp === "v=0 restarted");
    expect(sb2.frames.some((f) => f.type === "call.signal" && f.data.data?.sdp === "v=0 restart")).toBe(
      false,
    );
    expect(sa.frames.some((f) => f.type === "call.signal" && f.data.data?.sdp === "tablet")).toBe(false);

    await json(act(a, id, "hangup"), 200);
    await Promise.all([sa.close(), sb2.close(), sb3.close()]);
  });

  it("decline: the caller hears it; a repeat answers the call as it is; accepting afterwards is a 409", async () => {
    const { a, b, sa, close } = await pair();
    const { call } = await json<Answer>(start(a, b, "audio"), 201);
    expect((await json<{ call: Call }>(act(b, call.id, "decline"), 200)).call.state).toBe("declined");
    expect((await sa.next("call.ended", forCall(call.id))).data.reason).toBe("declined");
    expect((await json<{ call: Call }>(act(b, call.id, "decline"), 200)).call.state).toBe("declined");
    const conflict = await json<{ error: { code: string; details: { call: Call } } }>(
      act(b, call.id, "accept"),
      409,
    );
    expect(conflict.error).toMatchObject({ code: "call.conflict", details: { call: { state: "declined" } } });
    await close();
  });

  it("cancel: the callee's devices stop ringing; only the caller may cancel", async () => {
    const { a, b, sb1, sb2, close } = await pair();
    const { call } = await json<Answer>(start(a, b), 201);
    expect((await json<{ error: { code: string } }>(act(b, call.id, "cancel"), 403)).error.code).toBe(
      "call.forbidden",
    );
    expect((await json<{ call: Call }>(act(a, call.id, "cancel"), 200)).call.state).toBe("cancelled");
    for (const s of [sb1, sb2])
      expect((await s.next("call.ended", forCall(call.id))).data.reason).toBe("cancelled");
    await close();
  });

  it(`rings ${RING_SECONDS} s, then the server's timer makes it missed: both told, a notification, the history`, async () => {
    const { a, b, roomId, sa, sb1, close } = await pair();
    const { call } = await json<Answer>(start(a, b), 201);
    const timeout = (RING_SECONDS + 10) * 1000;
    const [toCaller] = await Promise.all([
      sa.next("call.ended", forCall(call.id), timeout),
      sb1.next("call.ended", forCall(call.id), timeout),
    ]);
    expect(toCaller.data).toMatchObject({ reason: "missed", call: { state: "missed", endReason: "missed" } });
    expect(Date.parse(toCaller.data.call.endedAt) - Date.parse(call.createdAt)).toBeGreaterThanOrEqual(
      RING_SECONDS * 1000 - 500,
    );
    expect((await json<{ call: Call }>(b.api(`/calls/${call.id}`), 200)).call.state).toBe("missed");
    const page = await eventually(
      () => json<{ items: NotificationItem[] }>(b.api("/notifications"), 200),
      (p) => p.items.some((i) => i.type === "call.missed"),
    );
    const missed = page.items.find((i) => i.type === "call.missed");
    expect(missed).toMatchObject({ subject: { kind: "call", id: call.id }, actors: [{ id: a.sub }] });
    const history = await json<{ items: { call?: { id: string; state: string } }[] }>(
      a.api(`/rooms/${roomId}/messages`),
      200,
    );
    expect(history.items.find((m) => m.call?.id === call.id)?.call?.state).toBe("missed");
    await close();
  });

  it("busy: someone calling a person already in a call gets a busy call at once, with no credentials", async () => {
    const { a, b, close } = await pair();
    const c = await chatUser("cc");
    await mutual(b, c);
    const first = await json<Answer>(start(a, b), 201);
    const busy = await json<Answer>(start(c, b), 201);
    expect(busy.call).toMatchObject({ state: "busy", endReason: "busy", roomId: null });
    expect(busy.iceServers).toEqual([]);
    await json(act(a, first.call.id, "cancel"), 200);
    await close();
  });
});

describe("glare", () => {
  it("two people calling each other at once get one call, accepted", async () => {
    for (let i = 0; i < 2; i++) {
      const { a, b, sa, sb1, close } = await pair();
      const [fromA, fromB] = await Promise.all([
        json<Answer>(start(a, b), 201),
        json<Answer>(start(b, a), 201),
      ]);
      expect(fromA.call.id).toBe(fromB.call.id);
      const id = fromA.call.id;
      // Whoever came second answered the first one's call: it is accepted, with their own credentials.
      const states = [fromA.call.state, fromB.call.state].sort();
      expect(states).toEqual(["accepted", "ringing"]);
      expect((await json<{ call: Call }>(a.api(`/calls/${id}`), 200)).call.state).toBe("accepted");
      const history = await json<{ items: Call[] }>(a.api("/calls"), 200);
      expect(history.items.filter((c) => c.id !== id && c.state !== "busy")).toHaveLength(0);
      const caller = fromA.call.caller.id === a.sub ? sa : sb1;
      await caller.next("call.accepted", forCall(id));
      await json(act(a, id, "hangup"), 200);
      await close();
    }
  });
});

describe("who may call, and who may see a call", () => {
  it("strangers get 403; yourself 400; an unknown handle 404; mutual followers may call", async () => {
    const [a, c] = await Promise.all([chatUser("cm"), chatUser("cn")]);
    expect((await json<{ error: { code: string } }>(start(stranger, a), 403)).error.code).toBe(
      "call.forbidden",
    );
    expect((await json<{ error: { code: string } }>(start(a, a), 400)).error.code).toBe("call.self");
    expect((await a.api("/calls", post({ handle: "nobody_here_x", kind: "audio" }))).status).toBe(404);
    expect((await a.api("/calls", post({ handle: c.handle, kind: "telepathy" }))).status).toBe(400);
    // Following one way is not enough; both ways is.
    expect((await a.api(`/users/${c.handle}/follow`, { method: "POST" })).status).toBe(204);
    expect((await start(a, c)).status).toBe(403);
    expect((await c.api(`/users/${a.handle}/follow`, { method: "POST" })).status).toBe(204);
    const { call } = await json<Answer>(start(a, c, "audio"), 201);
    expect(call.roomId).toBeNull();
    await json(act(a, call.id, "cancel"), 200);
  });

  it("a non-participant gets 404 on every call route, no credentials, and a refused call.signal", async () => {
    const { a, b, close } = await pair();
    const { call } = await json<Answer>(start(a, b), 201);
    expect((await stranger.api(`/calls/${call.id}`)).status).toBe(404);
    for (const command of ["accept", "decline", "cancel", "hangup", "ice-servers"])
      expect((await act(stranger, call.id, command)).status, command).toBe(404);
    // Participants get fresh credentials of their own while it rings.
    expectCredentialsFor(
      (await json<{ iceServers: IceServer[] }>(act(a, call.id, "ice-servers"), 200)).iceServers,
      a.sub,
    );
    expectCredentialsFor(
      (await json<{ iceServers: IceServer[] }>(act(b, call.id, "ice-servers"), 200)).iceServers,
      b.sub,
    );
    await json(act(b, call.id, "accept"), 200);
    signal(strangerSocket, call.id, { type: "offer", sdp: "intruder" });
    expect(
      (await strangerSocket.next("system.error", (f) => f.data.code === "call.forbidden")).data.code,
    ).toBe("call.forbidden");
    await json(act(b, call.id, "hangup"), 200);
    // Over: no more credentials, even for participants.
    expect((await act(a, call.id, "ice-servers")).status).toBe(409);
    await close();
  });

  it("lists the caller's calls, as caller or callee, newest first, by pages; strangers see none of them", async () => {
    const { a, b, close } = await pair();
    const ids: string[] = [];
    for (const [from, to] of [
      [a, b],
      [b, a],
      [a, b],
    ] as const) {
      const { call } = await json<Answer>(start(from, to), 201);
      ids.push(call.id);
      await json(act(from, call.id, "cancel"), 200);
    }
    const first = await json<{ items: Call[]; cursor: string | null }>(a.api("/calls?limit=2"), 200);
    expect(first.items.map((c) => c.id)).toEqual([ids[2], ids[1]]);
    const rest = await json<{ items: Call[] }>(a.api(`/calls?limit=2&cursor=${first.cursor}`), 200);
    expect(rest.items.map((c) => c.id)).toEqual([ids[0]]);
    expect((await json<{ items: Call[] }>(b.api("/calls"), 200)).items.map((c) => c.id)).toEqual(
      [...ids].reverse(),
    );
    const theirs = await json<{ items: Call[] }>(stranger.api("/calls"), 200);
    expect(theirs.items.some((c) => ids.includes(c.id))).toBe(false);
    expect((await a.api("/calls?cursor=garbage")).status).toBe(400);
    await close();
  });
});

describe("a block ends the call between the two", () => {
  const block = (from: ChatUser, to: ChatUser) => from.api(`/users/${to.handle}/block`, { method: "POST" });

  it("ringing: the callee's block declines it, both sides hear call.ended, the timer finds it over", async () => {
    const { a, b, roomId, sa, sb1, sb2, close } = await pair();
    const { call } = await json<Answer>(start(a, b, "audio"), 201);
    await sb1.next("call.ringing", forCall(call.id));
    expect((await block(b, a)).status).toBe(204);
    const [toCaller, ...toCallee] = await Promise.all(
      [sa, sb1, sb2].map((s) => s.next("call.ended", forCall(call.id))),
    );
    expect(toCaller!.data).toMatchObject({ reason: "declined", call: { state: "declined" } });
    for (const f of toCallee) expect(f.data.call.state).toBe("declined");
    expect((await json<{ call: Call }>(a.api(`/calls/${call.id}`), 200)).call.state).toBe("declined");
    // Both markers went with the end: neither is "already in a call" (a new call is refused for the block instead).
    expect((await json<{ error: { code: string } }>(start(a, b), 403)).error.code).toBe("user.blocked");
    expect((await json<{ error: { code: string } }>(start(b, a), 403)).error.code).toBe("user.blocked");
    // The room's history has the call once; the ring timer, firing later, changes nothing.
    await new Promise((r) => setTimeout(r, (RING_SECONDS + 1) * 1000));
    expect((await json<{ call: Call }>(b.api(`/calls/${call.id}`), 200)).call.state).toBe("declined");
    const history = await json<{ items: { call?: { id: string } }[] }>(
      a.api(`/rooms/${roomId}/messages`),
      200,
    );
    expect(history.items.filter((m) => m.call?.id === call.id)).toHaveLength(1);
    await close();
  });

  it("accepted: the caller's block ends it (hangup) for both sides; a repeat block changes nothing", async () => {
    const { a, b, sa, sb1, close } = await pair();
    const { call } = await json<Answer>(start(a, b), 201);
    await sb1.next("call.ringing", forCall(call.id));
    await json<Answer>(act(b, call.id, "accept"), 200);
    await sa.next("call.accepted", forCall(call.id));
    expect((await block(a, b)).status).toBe(204);
    // (The callee's sockets heard answered_elsewhere at the accept: the end is the next one.)
    const ends = await Promise.all(
      [sa, sb1].map((s) => s.next("call.ended", (f) => forCall(call.id)(f) && f.data.call.state === "ended")),
    );
    for (const f of ends) expect(f.data).toMatchObject({ reason: "hangup", call: { state: "ended" } });
    expect((await block(a, b)).status).toBe(204);
    const stored = (await json<{ call: Call }>(b.api(`/calls/${call.id}`), 200)).call;
    expect(stored).toMatchObject({ state: "ended", endReason: "hangup" });
    // Signals on the ended call are refused.
    signal(sa, call.id, { type: "offer", sdp: "after the block" });
    await sa.next(
      "system.error",
      (f) => f.data.code === "call.not_active" || f.data.code === "call.forbidden",
    );
    await close();
  });

  it("a call to someone else is left alone", async () => {
    const { a, b, sb1, close } = await pair();
    const { call } = await json<Answer>(start(a, b), 201);
    await sb1.next("call.ringing", forCall(call.id));
    // a blocks a third person: the a–b call rings on.
    expect((await block(a, stranger)).status).toBe(204);
    expect((await json<{ call: Call }>(a.api(`/calls/${call.id}`), 200)).call.state).toBe("ringing");
    await json(act(a, call.id, "cancel"), 200);
    await close();
  });
});
