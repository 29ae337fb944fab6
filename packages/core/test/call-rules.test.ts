import { CALL_STATES, type CallState } from "@asyncsns/realtime";
import { describe, expect, it } from "vitest";
import {
  type Command,
  decide,
  durationSeconds,
  isLive,
  LEASE_STALE_MS,
  opening,
  type Role,
} from "../src/call/rules";

// The call state machine as decisions, every state × role × command; store.ts makes each a conditional write.
const FINAL: CallState[] = ["ended", "declined", "cancelled", "missed", "busy"];

describe("call transitions", () => {
  it("ringing: the callee accepts or declines, the caller cancels, the timer makes it missed", () => {
    expect(decide("ringing", "callee", "accept")).toEqual({ kind: "write", from: "ringing", to: "accepted" });
    expect(decide("ringing", "callee", "decline")).toEqual({
      kind: "write",
      from: "ringing",
      to: "declined",
      endReason: "declined",
    });
    expect(decide("ringing", "caller", "cancel")).toEqual({
      kind: "write",
      from: "ringing",
      to: "cancelled",
      endReason: "cancelled",
    });
    expect(decide("ringing", "system", "timeout")).toEqual({
      kind: "write",
      from: "ringing",
      to: "missed",
      endReason: "missed",
    });
  });

  it("hanging up while ringing: the caller's is a cancel, the callee's a decline", () => {
    expect(decide("ringing", "caller", "hangup")).toMatchObject({ to: "cancelled", endReason: "cancelled" });
    expect(decide("ringing", "callee", "hangup")).toMatchObject({ to: "declined", endReason: "declined" });
  });

  it("accepted: either side hangs up, with hangup or failed", () => {
    for (const role of ["caller", "callee"] as const) {
      expect(decide("accepted", role, "hangup")).toEqual({
        kind: "write",
        from: "accepted",
        to: "ended",
        endReason: "hangup",
      });
      expect(decide("accepted", role, "hangup", "failed")).toMatchObject({
        to: "ended",
        endReason: "failed",
      });
    }
  });

  it("repeats answer the call as it is (idempotent by call id)", () => {
    expect(decide("accepted", "callee", "accept")).toEqual({ kind: "current" });
    expect(decide("declined", "callee", "decline")).toEqual({ kind: "current" });
    expect(decide("cancelled", "caller", "cancel")).toEqual({ kind: "current" });
    for (const state of FINAL) {
      expect(decide(state, "caller", "hangup")).toEqual({ kind: "current" });
      expect(decide(state, "callee", "hangup")).toEqual({ kind: "current" });
    }
  });

  it("the timer leaves a call answered or ended alone", () => {
    for (const state of ["accepted", ...FINAL] as CallState[])
      expect(decide(state, "system", "timeout")).toEqual({ kind: "current" });
  });

  it("refuses commands on a call past them (409), as the wrong side (403)", () => {
    const conflicts: [CallState, Role, Command][] = [
      ["accepted", "callee", "decline"],
      ["accepted", "caller", "cancel"],
      ["declined", "callee", "accept"],
      ["cancelled", "callee", "accept"],
      ["missed", "callee", "accept"],
      ["missed", "callee", "decline"],
      ["busy", "callee", "accept"],
      ["ended", "callee", "accept"],
      ["ended", "caller", "cancel"],
      ["cancelled", "callee", "decline"],
      ["declined", "caller", "cancel"],
    ];
    for (const [state, role, command] of conflicts)
      expect(decide(state, role, command), `${role} ${command} on ${state}`).toEqual({ kind: "conflict" });
    for (const state of CALL_STATES) {
      expect(decide(state, "caller", "accept")).toEqual({ kind: "forbidden" });
      expect(decide(state, "caller", "decline")).toEqual({ kind: "forbidden" });
      expect(decide(state, "callee", "cancel")).toEqual({ kind: "forbidden" });
      expect(decide(state, "caller", "timeout")).toEqual({ kind: "forbidden" });
      expect(decide(state, "system", "accept")).toEqual({ kind: "forbidden" });
    }
  });
});

describe("liveness (busy is judged by it)", () => {
  const now = 1_000_000;
  it("a ringing call is live until its deadline", () => {
    expect(isLive({ state: "ringing", ringUntil: now + 1 }, now)).toBe(true);
    expect(isLive({ state: "ringing", ringUntil: now }, now)).toBe(false);
  });

  it("an accepted call is live while its keepalive lease is fresh, stale after two minutes", () => {
    const call = { state: "accepted" as const, ringUntil: 0, acceptedAt: now - 10 * 60_000 };
    expect(isLive({ ...call, leaseAt: now - 30_000 }, now)).toBe(true);
    expect(isLive({ ...call, leaseAt: now - LEASE_STALE_MS }, now)).toBe(false);
    expect(LEASE_STALE_MS).toBe(120_000);
    // No keepalive yet: the acceptance is the lease.
    expect(isLive({ ...call, acceptedAt: now - 1000 }, now)).toBe(true);
  });

  it("no final call is live", () => {
    for (const state of FINAL) expect(isLive({ state, ringUntil: now * 2, leaseAt: now }, now)).toBe(false);
  });
});

describe("opening a call", () => {
  it("rings a free callee, answers busy for one in another call, accepts the callee's ring to us (glare)", () => {
    expect(opening("a", "b", undefined)).toBe("ring");
    expect(opening("a", "b", { callerId: "c", calleeId: "b", state: "ringing" })).toBe("busy");
    expect(opening("a", "b", { callerId: "b", calleeId: "c", state: "accepted" })).toBe("busy");
    expect(opening("a", "b", { callerId: "b", calleeId: "a", state: "ringing" })).toBe("glare");
    // Already talking to each other: a second call is busy, not a glare.
    expect(opening("a", "b", { callerId: "b", calleeId: "a", state: "accepted" })).toBe("busy");
  });
});

describe("duration in the room's history", () => {
  it("counts from acceptance to the end, 0 for a call never answered", () => {
    expect(durationSeconds({ acceptedAt: 1000, endedAt: 202_400 })).toBe(201);
    expect(durationSeconds({ endedAt: 5000 })).toBe(0);
  });
});
