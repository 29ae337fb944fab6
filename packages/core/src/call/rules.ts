// The call state machine as pure decisions (unit-tested without a table); store.ts makes each one a conditional write.
import type { CallState, EndReason } from "@asyncsns/realtime";

export type Role = "caller" | "callee";
export type Command = "accept" | "decline" | "cancel" | "hangup" | "timeout";

/** What a command does to a call in a state: a write (conditional on `from`), the call as it is, or a refusal. */
export type Decision =
  | { kind: "write"; from: "ringing" | "accepted"; to: CallState; endReason?: EndReason }
  | { kind: "current" }
  | { kind: "conflict" }
  | { kind: "forbidden" };

/** Who may give each command; the timer (timeout) is the system's. */
const ALLOWED: Record<Command, readonly (Role | "system")[]> = {
  accept: ["callee"],
  decline: ["callee"],
  cancel: ["caller"],
  hangup: ["caller", "callee"],
  timeout: ["system"],
};

export const FINAL_STATES: readonly CallState[] = ["ended", "declined", "cancelled", "missed", "busy"];
export const isFinal = (state: CallState) => FINAL_STATES.includes(state);

/**
 * `ringing → accepted → ended`, `ringing → declined | cancelled | missed`. A repeat of a command that already took
 * effect answers the call as it is (idempotent); any other command on a call past it is a conflict.
 */
export function decide(
  state: CallState,
  role: Role | "system",
  command: Command,
  reason: "hangup" | "failed" = "hangup",
): Decision {
  if (!ALLOWED[command].includes(role)) return { kind: "forbidden" };
  switch (command) {
    case "accept":
      if (state === "ringing") return { kind: "write", from: "ringing", to: "accepted" };
      return state === "accepted" ? { kind: "current" } : { kind: "conflict" };
    case "decline":
      if (state === "ringing")
        return { kind: "write", from: "ringing", to: "declined", endReason: "declined" };
      return state === "declined" ? { kind: "current" } : { kind: "conflict" };
    case "cancel":
      if (state === "ringing")
        return { kind: "write", from: "ringing", to: "cancelled", endReason: "cancelled" };
      return state === "cancelled" ? { kind: "current" } : { kind: "conflict" };
    case "hangup":
      if (state === "accepted") return { kind: "write", from: "accepted", to: "ended", endReason: reason };
      // Hanging up while it rings: the caller cancels, the callee declines.
      if (state === "ringing")
        return role === "caller"
          ? { kind: "write", from: "ringing", to: "cancelled", endReason: "cancelled" }
          : { kind: "write", from: "ringing", to: "declined", endReason: "declined" };
      // Both hanging up at once, or a retry: the call is over either way.
      return { kind: "current" };
    case "timeout":
      // A call answered (or ended) before its timer fired is left alone.
      if (state === "ringing") return { kind: "write", from: "ringing", to: "missed", endReason: "missed" };
      return { kind: "current" };
  }
}

/** Who may call whom: never across a block (either way); else people who share a 1:1 room or follow each other. */
export function permission(relation: {
  blocked: boolean;
  sharedRoom: boolean;
  mutual: boolean;
}): "allowed" | "blocked" | "forbidden" {
  if (relation.blocked) return "blocked";
  return relation.sharedRoom || relation.mutual ? "allowed" : "forbidden";
}

/** An accepted call whose sides have not sent a keepalive (every 30 s) for this long is treated as gone. */
export const LEASE_STALE_MS = 2 * 60 * 1000;

export interface Liveness {
  state: CallState;
  ringUntil: number;
  acceptedAt?: number;
  leaseAt?: number;
}

/** Whether a call still occupies its participants: ringing before its deadline, or accepted with a fresh lease. */
export function isLive(call: Liveness, now: number): boolean {
  if (call.state === "ringing") return now < call.ringUntil;
  if (call.state === "accepted") return now - (call.leaseAt ?? call.acceptedAt ?? 0) < LEASE_STALE_MS;
  return false;
}

/** How a new call from `callerId` to `calleeId` starts, given the callee's live call (if any). */
export function opening(
  callerId: string,
  calleeId: string,
  calleeCall: { callerId: string; calleeId: string; state: CallState } | undefined,
): "ring" | "glare" | "busy" {
  if (!calleeCall) return "ring";
  // They are ringing us at this very moment: answer that call instead of making a second one.
  if (calleeCall.state === "ringing" && calleeCall.callerId === calleeId && calleeCall.calleeId === callerId)
    return "glare";
  return "busy";
}

/** Whole seconds between acceptance and the end; 0 for a call never accepted. */
export function durationSeconds(call: { acceptedAt?: number; endedAt?: number }): number {
  if (call.acceptedAt === undefined || call.endedAt === undefined) return 0;
  return Math.max(0, Math.round((call.endedAt - call.acceptedAt) / 1000));
}

/** SQS holds a message back at most 15 minutes (DelaySeconds ≤ 900). */
export const MAX_DELAY_SECONDS = 900;
export const DEFAULT_RING_SECONDS = 45;

/** The ring time infra configures from ASYNCSNS_CALL_RING_SECONDS: whole seconds in 1..900, else the default. */
export function ringSecondsOf(value: string | undefined): number {
  const seconds = Math.ceil(Number(value ?? DEFAULT_RING_SECONDS));
  if (!Number.isFinite(seconds)) return DEFAULT_RING_SECONDS;
  return Math.min(MAX_DELAY_SECONDS, Math.max(1, seconds));
}
