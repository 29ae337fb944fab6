import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { useLocalTable } from "../../../tests/support/in-process-core";
import type { Party } from "../src/call/store";

// The call store in-process against the local cloud's DynamoDB Local table: every transition a conditional write.
type Store = typeof import("../src/call/store");
let Store: Store;
let CallActiveEntity: typeof import("../src/call/call.entity").CallActiveEntity;
let CallLogEntity: typeof import("../src/call/call.entity").CallLogEntity;
let VisibleError: typeof import("../src/error").VisibleError;

beforeAll(async () => {
  useLocalTable();
  Store = await import("../src/call/store");
  ({ CallActiveEntity, CallLogEntity } = await import("../src/call/call.entity"));
  ({ VisibleError } = await import("../src/error"));
});

const party = (name: string) => ({
  userId: `${name}-${randomUUID()}`,
  handle: name,
  displayName: name.toUpperCase(),
});
const people = () => [party("aki"), party("ben"), party("chie")] as const;
const RING = 45;
const call = (caller: Party, callee: Party, now?: () => number) =>
  Store.create({ caller, callee, kind: "video", ringSeconds: RING, ...(now ? { now } : {}) });
const marker = async (userId: string) =>
  (await CallActiveEntity.get({ userId }).go({ consistent: true })).data?.callId;
const code = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e: unknown) => (e instanceof VisibleError ? e.code : String(e)),
  );

describe("starting a call", () => {
  it("rings a free callee and marks both participants busy with it", async () => {
    const [a, b] = people();
    const { call: c, outcome } = await call(a, b);
    expect(outcome).toBe("ring");
    expect(c.state).toBe("ringing");
    expect(await marker(a.userId)).toBe(c.callId);
    expect(await marker(b.userId)).toBe(c.callId);
  });

  it("answers busy for a callee in a live call: the call is made final at once and occupies nobody", async () => {
    const [a, b, c] = people();
    const first = await call(a, b);
    const second = await call(c, b);
    expect(second.outcome).toBe("busy");
    expect(second.call).toMatchObject({ state: "busy", endReason: "busy" });
    expect(await Store.get(second.call.callId)).toMatchObject({ state: "busy" });
    expect(await marker(b.userId)).toBe(first.call.callId);
    expect(await marker(c.userId)).toBeUndefined();
  });

  it("refuses a callee suspended since the caller read them (404), and writes no call, log or marker", async () => {
    const { UserEntity } = await import("../src/user/user.entity");
    const [a, b] = people();
    // The suspension lands between the caller's read of the callee and the call's transaction.
    await UserEntity.put({
      userId: b.userId,
      handle: b.handle,
      displayName: b.displayName,
      suspendedAt: Date.now(),
    }).go();
    expect(await code(call(a, b))).toBe("profile.not_found");
    expect(await marker(a.userId)).toBeUndefined();
    expect(await marker(b.userId)).toBeUndefined();
    for (const userId of [a.userId, b.userId])
      expect((await CallLogEntity.query.byUser({ userId }).go({ consistent: true })).data).toEqual([]);
    await UserEntity.delete({ userId: b.userId }).go();
  });

  it("refuses a caller already in a live call (409)", async () => {
    const [a, b, c] = people();
    await call(a, b);
    expect(await code(call(a, c))).toBe("call.in_progress");
  });

  it("glare: calling someone who is ringing you accepts their call instead of making a second", async () => {
    const [a, b] = people();
    const first = await call(a, b);
    const second = await call(b, a);
    expect(second.outcome).toBe("glare");
    expect(second.call).toMatchObject({ callId: first.call.callId, state: "accepted" });
    const logs = await CallLogEntity.query.byUser({ userId: a.userId }).go();
    expect(logs.data.map((l) => l.callId)).toEqual([first.call.callId]);
  });

  it("glare seen on the caller's marker only (the two reads straddled their call's write) is still a glare", async () => {
    const [a, b] = people();
    const first = await call(a, b);
    // What b's request sees when it read a's marker just before a's call was written, and its own just after.
    await CallActiveEntity.delete({ userId: a.userId }).go();
    const second = await call(b, a);
    expect(second.outcome).toBe("glare");
    expect(second.call).toMatchObject({ callId: first.call.callId, state: "accepted" });
  });

  it("glare at once: two racing calls leave exactly one call, accepted", async () => {
    for (let i = 0; i < 3; i++) {
      const [a, b] = people();
      const results = await Promise.all([call(a, b), call(b, a)]);
      expect(new Set(results.map((r) => r.call.callId)).size).toBe(1);
      expect(results.map((r) => r.outcome).sort()).toEqual(["glare", "ring"]);
      const [logsA, logsB] = await Promise.all(
        [a, b].map((p) => CallLogEntity.query.byUser({ userId: p.userId }).go()),
      );
      expect(logsA!.data).toHaveLength(1);
      expect(logsB!.data).toHaveLength(1);
      expect(await Store.get(results[0].call.callId)).toMatchObject({ state: "accepted" });
    }
  });

  it("a ring past its deadline, or an accepted call whose keepalive lease went stale, no longer makes anyone busy", async () => {
    const [a, b, c] = people();
    let clock = Date.now();
    const now = () => clock;
    await call(a, b, now);
    clock += (RING + 1) * 1000;
    const next = await call(c, b, now);
    expect(next.outcome).toBe("ring");
    expect(await marker(b.userId)).toBe(next.call.callId);

    await Store.transition(next.call.callId, b.userId, "accept", { now });
    clock += 90_000;
    expect(await Store.refreshLease(next.call.callId, clock)).toBe(true);
    clock += 90_000;
    // 90 s after a keepalive: still live.
    expect((await call(a, b, now)).outcome).toBe("busy");
    clock += 31_000;
    // 121 s without one: stale.
    expect((await call(a, b, now)).outcome).toBe("ring");
  });
});

describe("transitions", () => {
  it("accept, then hang up: markers go with the end; repeats answer the call as it is", async () => {
    const [a, b] = people();
    const { call: c } = await call(a, b);
    const accepted = await Store.transition(c.callId, b.userId, "accept");
    expect(accepted).toMatchObject({ changed: true, call: { state: "accepted" } });
    expect((await Store.transition(c.callId, b.userId, "accept")).changed).toBe(false);
    const ended = await Store.transition(c.callId, a.userId, "hangup", { reason: "failed" });
    expect(ended).toMatchObject({ changed: true, call: { state: "ended", endReason: "failed" } });
    expect(await marker(a.userId)).toBeUndefined();
    expect(await marker(b.userId)).toBeUndefined();
    const again = await Store.transition(c.callId, b.userId, "hangup");
    expect(again).toMatchObject({ changed: false, call: { state: "ended", endReason: "failed" } });
  });

  it("the first of two racing accepts wins; the other sees the call accepted", async () => {
    const [a, b] = people();
    const { call: c } = await call(a, b);
    const results = await Promise.all([
      Store.transition(c.callId, b.userId, "accept"),
      Store.transition(c.callId, b.userId, "accept"),
    ]);
    expect(results.map((r) => r.changed).sort()).toEqual([false, true]);
  });

  it("decline, cancel and the timer end a ringing call; conflicting commands are 409 with the call", async () => {
    const [a, b] = people();
    const declined = (await call(a, b)).call;
    expect((await Store.transition(declined.callId, b.userId, "decline")).call.state).toBe("declined");
    const conflict = await Store.transition(declined.callId, b.userId, "accept").catch((e) => e);
    expect(conflict).toMatchObject({ code: "call.conflict", details: { call: { state: "declined" } } });

    const cancelled = (await call(a, b)).call;
    expect((await Store.transition(cancelled.callId, a.userId, "cancel")).call.state).toBe("cancelled");
    expect(await code(Store.transition(cancelled.callId, b.userId, "decline"))).toBe("call.conflict");

    const missed = (await call(a, b)).call;
    expect((await Store.transition(missed.callId, "system", "timeout")).call).toMatchObject({
      state: "missed",
      endReason: "missed",
    });
    expect(await marker(b.userId)).toBeUndefined();
    expect(await code(Store.transition(missed.callId, b.userId, "accept"))).toBe("call.conflict");
  });

  it("the timer leaves an answered call alone", async () => {
    const [a, b] = people();
    const { call: c } = await call(a, b);
    await Store.transition(c.callId, b.userId, "accept");
    const fired = await Store.transition(c.callId, "system", "timeout");
    expect(fired).toMatchObject({ changed: false, call: { state: "accepted" } });
  });

  it("refuses the wrong side (403) and hides the call from anyone else (404)", async () => {
    const [a, b, c] = people();
    const { call: x } = await call(a, b);
    expect(await code(Store.transition(x.callId, a.userId, "accept"))).toBe("call.forbidden");
    expect(await code(Store.transition(x.callId, b.userId, "cancel"))).toBe("call.forbidden");
    expect(await code(Store.transition(x.callId, c.userId, "hangup"))).toBe("call.not_found");
    expect(await code(Store.forParticipant(x.callId, c.userId))).toBe("call.not_found");
    expect(await code(Store.transition("cal_nope", a.userId, "hangup"))).toBe("call.not_found");
  });
});

describe("signalling binds one device per side", () => {
  it("binds on the first signal, refuses another device of the same side, strangers and calls not connected", async () => {
    const [a, b, c] = people();
    const { call: x } = await call(a, b);
    expect(await Store.bind(x.callId, a.userId, "conn-a1")).toEqual({ refused: "not_active" });
    await Store.transition(x.callId, b.userId, "accept");
    expect(await Store.bind(x.callId, a.userId, "conn-a1")).toMatchObject({ role: "caller" });
    expect(await Store.bind(x.callId, a.userId, "conn-a1")).toMatchObject({ role: "caller" });
    expect(await Store.bind(x.callId, a.userId, "conn-a2")).toEqual({ refused: "other_device" });
    const callee = await Store.bind(x.callId, b.userId, "conn-b1");
    expect(callee).toMatchObject({
      role: "callee",
      call: { callerConnection: "conn-a1", calleeConnection: "conn-b1" },
    });
    expect(await Store.bind(x.callId, c.userId, "conn-c1")).toEqual({ refused: "not_found" });
  });

  it("two devices racing to bind one side: exactly one wins", async () => {
    const [a, b] = people();
    const { call: x } = await call(a, b);
    await Store.transition(x.callId, b.userId, "accept");
    const results = await Promise.all(["d1", "d2", "d3"].map((d) => Store.bind(x.callId, b.userId, d)));
    expect(results.filter((r) => "role" in r)).toHaveLength(1);
  });
});

describe("the caller's signals while the call rings", () => {
  it("are held in order, binding the caller's device, and the accept that wins takes them in its own write", async () => {
    const [a, b] = people();
    const { call: x } = await call(a, b);
    expect(await Store.hold(x.callId, a.userId, "conn-a1", "dev-a", '{"type":"offer"}')).toBe("held");
    expect(await Store.hold(x.callId, a.userId, "conn-a1", "dev-a", '{"candidate":1}')).toBe("held");
    expect(await Store.get(x.callId)).toMatchObject({
      held: ['{"type":"offer"}', '{"candidate":1}'],
      callerConnection: "conn-a1",
      callerDevice: "dev-a",
    });
    const won = await Store.transition(x.callId, b.userId, "accept");
    expect(won).toMatchObject({ changed: true, held: ['{"type":"offer"}', '{"candidate":1}'] });
    expect(won.call.held).toBeUndefined();
    // Gone from the item: a repeat accept (or another of the callee's devices) gets none.
    expect((await Store.get(x.callId))?.held).toBeUndefined();
    expect((await Store.transition(x.callId, b.userId, "accept")).held).toBeUndefined();
    // After the accept a hold is refused as `accepted` (relay it), and the caller's device is already bound.
    expect(await Store.hold(x.callId, a.userId, "conn-a1", "dev-a", '{"candidate":2}')).toBe("accepted");
    expect(await Store.bind(x.callId, a.userId, "conn-a1")).toMatchObject({ role: "caller" });
  });

  it("refuses the callee, strangers, another caller device, a call that is over, and more than HELD_MAX_BYTES", async () => {
    const [a, b, c] = people();
    const { call: x } = await call(a, b);
    expect(await Store.hold(x.callId, b.userId, "conn-b1", undefined, "{}")).toBe("not_active");
    expect(await Store.hold(x.callId, c.userId, "conn-c1", undefined, "{}")).toBe("not_found");
    expect(await Store.hold(x.callId, a.userId, "conn-a1", "dev-a", "{}")).toBe("held");
    expect(await Store.hold(x.callId, a.userId, "conn-a2", "dev-b", "{}")).toBe("other_device");
    // The same device on a new socket (a reconnect) holds on, bound to the new socket.
    expect(await Store.hold(x.callId, a.userId, "conn-a3", "dev-a", "{}")).toBe("held");
    expect((await Store.get(x.callId))?.callerConnection).toBe("conn-a3");
    const big = JSON.stringify("x".repeat(Store.HELD_MAX_BYTES / 2));
    expect(await Store.hold(x.callId, a.userId, "conn-a3", "dev-a", big)).toBe("held");
    expect(await Store.hold(x.callId, a.userId, "conn-a3", "dev-a", big)).toBe("full");
    // An end drops what was held.
    await Store.transition(x.callId, a.userId, "cancel");
    expect((await Store.get(x.callId))?.held).toBeUndefined();
    expect(await Store.hold(x.callId, a.userId, "conn-a3", "dev-a", "{}")).toBe("not_active");
  });

  it("a hold racing the accept is either taken by it or refused as accepted, never lost", async () => {
    const [a, b] = people();
    const { call: x } = await call(a, b);
    const signals = Array.from({ length: 6 }, (_, i) => `{"n":${i}}`);
    const [accepted, ...holds] = await Promise.all([
      Store.transition(x.callId, b.userId, "accept"),
      ...signals.map((s) => Store.hold(x.callId, a.userId, "conn-a1", "dev-a", s)),
    ]);
    const taken = accepted!.held ?? [];
    const refused = signals.filter((_, i) => holds[i] === "accepted");
    expect(holds.every((h) => h === "held" || h === "accepted")).toBe(true);
    expect(new Set([...taken, ...refused])).toEqual(new Set(signals));
    expect(taken.length + refused.length).toBe(signals.length);
  });
});

describe("history", () => {
  it("lists a user's calls as caller or callee, newest first, by pages", async () => {
    const [a, b, c] = people();
    const ids: string[] = [];
    for (const [from, to] of [
      [a, b],
      [c, a],
      [a, c],
    ] as const) {
      const { call: x } = await call(from, to);
      ids.push(x.callId);
      await Store.transition(x.callId, from.userId, "cancel");
    }
    const first = await Store.list(a.userId, { limit: 2 });
    expect(first.items.map((i) => i.id)).toEqual([ids[2], ids[1]]);
    expect(first.cursor).not.toBeNull();
    const second = await Store.list(a.userId, { limit: 2, cursor: first.cursor! });
    expect(second.items.map((i) => i.id)).toEqual([ids[0]]);
    expect(first.items[1]).toMatchObject({
      caller: { id: c.userId },
      callee: { id: a.userId },
      state: "cancelled",
    });
    expect(await code(Store.list(a.userId, { cursor: "garbage" }))).toBe("cursor.invalid");
  });
});
