// The call item and its markers: every transition one conditional write (a transaction when markers go with it).
import type { CallKind, CallState, Sender, Call as Wire } from "@asyncsns/realtime";
import { conditionally } from "../dynamo";
import { transact } from "../dynamo/service";
import { VisibleError } from "../error";
import { createId } from "../id";
import { avatarUrlOf } from "../media/urls";
import { blocked, unblockedChecks } from "../safety/checks";
import { unsuspendedCheck } from "../user/read";
import { CallActiveEntity, CallEntity, type CallItem, CallLogEntity } from "./call.entity";
import { type Command, decide, isLive, opening, type Role } from "./rules";

// Lost races re-read and decide again; a handful of rounds settles any real contention on two users.
const MAX_ROUNDS = 8;

export interface Party {
  userId: string;
  handle: string;
  displayName: string;
  avatarKey?: string;
}

export const notFound = () => new VisibleError("not-found", "call.not_found", "This call does not exist.");
export const conflict = (call: CallItem) =>
  new VisibleError("conflict", "call.conflict", `This call is already ${call.state}.`, {
    call: toWire(call),
  });
const retry = () =>
  new VisibleError("conflict", "call.retry", "The call changed meanwhile; please try again.");

export async function get(callId: string): Promise<CallItem | undefined> {
  const { data } = await CallEntity.get({ callId }).go({ consistent: true });
  return data ?? undefined;
}

export function roleOf(call: CallItem, userId: string): Role | undefined {
  if (call.callerId === userId) return "caller";
  if (call.calleeId === userId) return "callee";
  return undefined;
}

/** The call as a participant sees it; anyone else is told it does not exist (404), never that it does. */
export async function forParticipant(
  callId: string,
  userId: string,
): Promise<{ call: CallItem; role: Role }> {
  const call = await get(callId);
  const role = call && roleOf(call, userId);
  if (!call || !role) throw notFound();
  return { call, role };
}

const card = (id: string, handle: string, name: string, avatar: string | undefined): Sender => ({
  id,
  handle,
  displayName: name,
  avatarUrl: avatarUrlOf(avatar),
});
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

export function toWire(item: CallItem): Wire {
  return {
    id: item.callId,
    state: item.state,
    kind: item.kind,
    caller: card(item.callerId, item.callerHandle, item.callerName, item.callerAvatar),
    callee: card(item.calleeId, item.calleeHandle, item.calleeName, item.calleeAvatar),
    roomId: item.roomId ?? null,
    createdAt: new Date(item.createdAt).toISOString(),
    ...(item.acceptedAt !== undefined ? { acceptedAt: iso(item.acceptedAt) } : {}),
    ...(item.endedAt !== undefined ? { endedAt: iso(item.endedAt) } : {}),
    ...(item.endReason !== undefined ? { endReason: item.endReason } : {}),
  };
}

/** Each user's marker and the call it points at, read strongly so a just-ended call is seen as ended. */
async function activeCalls(
  userIds: string[],
): Promise<Map<string, { markerCallId: string; call?: CallItem }>> {
  const markers = await Promise.all(
    userIds.map((userId) => CallActiveEntity.get({ userId }).go({ consistent: true })),
  );
  const out = new Map<string, { markerCallId: string; call?: CallItem }>();
  await Promise.all(
    markers.map(async ({ data }) => {
      if (data) out.set(data.userId, { markerCallId: data.callId, call: await get(data.callId) });
    }),
  );
  return out;
}

export interface Created {
  call: CallItem;
  /** ring: a new ringing call; busy: made final at once; glare: the callee's ringing call to us, now accepted. */
  outcome: "ring" | "busy" | "glare";
}

/**
 * A new call from `caller` to `callee`. The markers are written in the call's creation transaction, conditional on
 * what was read, so two calls made at once for the same person cannot both ring: the loser re-reads and finds
 * either a busy callee or, when the two called each other, the other call to accept (glare).
 */
export async function create(input: {
  /** The new call's id, when something was made for it beforehand (its ICE servers); else a fresh one. */
  callId?: string;
  caller: Party;
  callee: Party;
  kind: CallKind;
  roomId?: string;
  ringSeconds: number;
  now?: () => number;
}): Promise<Created> {
  const now = input.now ?? Date.now;
  const { caller, callee } = input;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const active = await activeCalls([caller.userId, callee.userId]);
    const at = now();
    const live = (userId: string) => {
      const call = active.get(userId)?.call;
      return call && isLive(call, at) ? call : undefined;
    };
    const mine = live(caller.userId);
    // The two markers are read apart, not as one snapshot: a call the callee placed to us between the reads shows
    // on our marker only. Both markers of a call are written together, so our marker pointing at their call is
    // as good as theirs.
    const theirs =
      live(callee.userId) ??
      (mine?.callerId === callee.userId && mine.calleeId === caller.userId ? mine : undefined);
    const how = opening(caller.userId, callee.userId, theirs);
    if (how === "glare" && theirs) {
      const answered = await transition(theirs.callId, caller.userId, "accept", { now }).catch((error) => {
        // It stopped ringing meanwhile (cancelled, missed): decide again from what is stored now.
        if (error instanceof VisibleError && error.code === "call.conflict") return undefined;
        throw error;
      });
      if (answered) return { call: answered.call, outcome: "glare" };
      continue;
    }
    if (mine)
      throw new VisibleError("conflict", "call.in_progress", "You are already in a call; end it first.", {
        call: toWire(mine),
      });
    const callId = input.callId ?? createId("cal");
    const base = {
      callId,
      kind: input.kind,
      callerId: caller.userId,
      calleeId: callee.userId,
      callerHandle: caller.handle,
      callerName: caller.displayName,
      callerAvatar: caller.avatarKey,
      calleeHandle: callee.handle,
      calleeName: callee.displayName,
      calleeAvatar: callee.avatarKey,
      roomId: input.roomId,
      createdAt: at,
      ringUntil: at + input.ringSeconds * 1000,
    };
    const busy = how === "busy";
    const item = busy
      ? { ...base, state: "busy" as const, endedAt: at, endReason: "busy" as const }
      : { ...base, state: "ringing" as const };
    const outcome = await transact(({ call, callLog, callActive, block, user }) => {
      // Conditional on the marker as read: a call created meanwhile for either user makes this one lose.
      const marker = (userId: string) => {
        const seen = active.get(userId)?.markerCallId;
        return callActive
          .update({ userId })
          .set({ callId })
          .where((a, op) => (seen ? op.eq(a.callId, seen) : op.notExists(a.callId)))
          .commit();
      };
      return {
        call: call.create(item).commit(),
        logs: [caller.userId, callee.userId].map((userId) => callLog.create({ userId, callId }).commit()),
        // A busy call is over at once: it occupies nobody.
        markers: busy ? undefined : [marker(caller.userId), marker(callee.userId)],
        // A block made since the caller's check: no call rings across it (the block ends calls it finds).
        unblocked: unblockedChecks({ block }, caller.userId, callee.userId),
        // A suspension of the callee landed since the caller read them: nobody rings a suspended user.
        unsuspended: unsuspendedCheck({ user }, callee.userId),
      };
    });
    if (outcome.ok) return { call: item as CallItem, outcome: busy ? "busy" : "ring" };
    if (outcome.failed.includes("unblocked"))
      throw blocked("You cannot call someone who blocked you or whom you block.");
    if (outcome.failed.includes("unsuspended"))
      throw new VisibleError("not-found", "profile.not_found", `No one has the handle @${callee.handle}.`);
  }
  throw retry();
}

export interface Transitioned {
  call: CallItem;
  /** False when the command had already taken effect (a repeat) or the timer found the call answered. */
  changed: boolean;
  /** An accept that took effect: the caller's signals held while the call rang (JSON), for the accepting device. */
  held?: string[];
}

/**
 * One command on a call, as a participant (`userId`) or the timer (`"system"`). Ends remove the participants'
 * markers that still point at this call in the same transaction.
 */
export async function transition(
  callId: string,
  userId: string | "system",
  command: Command,
  options: { reason?: "hangup" | "failed"; now?: () => number } = {},
): Promise<Transitioned> {
  const now = options.now ?? Date.now;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const call = await get(callId);
    const role = userId === "system" ? "system" : call && roleOf(call, userId);
    if (!call || !role) throw notFound();
    const decision = decide(call.state, role, command, options.reason);
    if (decision.kind === "forbidden")
      throw new VisibleError("forbidden", "call.forbidden", `The ${role} of a call cannot ${command} it.`);
    if (decision.kind === "conflict") throw conflict(call);
    if (decision.kind === "current") return { call, changed: false };
    const at = now();
    const { from, to, endReason } = decision;
    if (to === "accepted") {
      // The held signals leave the item in the accept's own write: no hold can land after it (it needs `ringing`),
      // and none held before it is lost or handed out twice.
      let old: Partial<CallItem> | null | undefined;
      const accepted = await conditionally(
        CallEntity.patch({ callId })
          .set({ state: "accepted", acceptedAt: at, leaseAt: at })
          .remove(["held", "heldBytes"])
          .where((a, op) => op.eq(a.state, from as CallState))
          .go({ response: "all_old" })
          .then((out) => {
            old = out.data;
          }),
      );
      if (accepted) {
        const { held: _held, heldBytes: _bytes, ...rest } = call;
        return {
          call: { ...rest, state: "accepted", acceptedAt: at, leaseAt: at },
          changed: true,
          held: old?.held ?? [],
        };
      }
      continue;
    }
    const markers = await CallActiveEntity.get([{ userId: call.callerId }, { userId: call.calleeId }]).go({
      consistent: true,
    });
    const ours = markers.data.filter((m) => m.callId === callId);
    const outcome = await transact(({ call: c, callActive }) => ({
      call: c
        .patch({ callId })
        .set({ state: to, endedAt: at, ...(endReason ? { endReason } : {}) })
        .remove(["held", "heldBytes"])
        .where((a, op) => op.eq(a.state, from as CallState))
        .commit(),
      markers: ours.map((m) =>
        callActive
          .delete({ userId: m.userId })
          .where((a, op) => op.eq(a.callId, callId))
          .commit(),
      ),
    }));
    if (outcome.ok) return { call: { ...call, state: to, endedAt: at, endReason }, changed: true };
  }
  throw retry();
}

/**
 * Binds the sending connection to its side of an accepted call on its first signal (conditional: one device per
 * side). Answers the call with the binding, or why the signal is refused.
 */
export async function bind(
  callId: string,
  userId: string,
  connectionId: string,
  device?: string,
): Promise<{ call: CallItem; role: Role } | { refused: "not_found" | "not_active" | "other_device" }> {
  for (let round = 0; round < 2; round++) {
    const call = await get(callId);
    const role = call && roleOf(call, userId);
    if (!call || !role) return { refused: "not_found" };
    if (call.state !== "accepted") return { refused: "not_active" };
    const side = role === "caller" ? "callerConnection" : "calleeConnection";
    const sideDevice = role === "caller" ? "callerDevice" : "calleeDevice";
    const bound = call[side];
    if (bound === connectionId) return { call, role };
    // Another socket of the bound device (it reconnected after a network change) takes the binding over; a socket
    // of any other device is refused.
    const rebinding = bound !== undefined && device !== undefined && call[sideDevice] === device;
    if (bound && !rebinding) return { refused: "other_device" };
    const done = await conditionally(
      CallEntity.patch({ callId })
        .set({ [side]: connectionId, ...(device ? { [sideDevice]: device } : {}) })
        .where((a, op) =>
          rebinding
            ? `${op.eq(a[side], bound)} AND ${op.eq(a[sideDevice], device)} AND ${op.eq(a.state, "accepted")}`
            : `${op.notExists(a[side])} AND ${op.eq(a.state, "accepted")}`,
        )
        .go(),
    );
    if (done) return { call: { ...call, [side]: connectionId }, role };
  }
  return { refused: "other_device" };
}

/** What a ringing call keeps of its caller's signals: an offer and its candidates fit many times over. */
export const HELD_MAX_BYTES = 64 * 1024;

export type Held = "held" | "accepted" | "not_found" | "not_active" | "other_device" | "full";

/**
 * A signal from the caller's device while its call rings (`data` as JSON): appended to the call in one conditional
 * write that also binds the device as the caller's, so the device whose accept wins gets the offer and candidates
 * in its answer instead of a relay later. `accepted`: the accept came first, so relay it as usual.
 */
export async function hold(
  callId: string,
  userId: string,
  connectionId: string,
  device: string | undefined,
  data: string,
): Promise<Held> {
  const bytes = Buffer.byteLength(data);
  if (bytes > HELD_MAX_BYTES) return "full";
  const done = await conditionally(
    CallEntity.patch({ callId })
      .append({ held: [data] })
      .add({ heldBytes: bytes })
      .set({ callerConnection: connectionId, ...(device ? { callerDevice: device } : {}) })
      .where((a, op) =>
        [
          op.eq(a.state, "ringing"),
          op.eq(a.callerId, userId),
          // This device's socket, or (a reconnect) another socket of the same device; no other device.
          `(${[
            op.notExists(a.callerConnection),
            op.eq(a.callerConnection, connectionId),
            ...(device ? [op.eq(a.callerDevice, device)] : []),
          ].join(" OR ")})`,
          `(${op.notExists(a.heldBytes)} OR ${op.lte(a.heldBytes, HELD_MAX_BYTES - bytes)})`,
        ].join(" AND "),
      )
      .go(),
  );
  if (done) return "held";
  // Why not: read the call as it is now.
  const call = await get(callId);
  const role = call && roleOf(call, userId);
  if (!call || !role) return "not_found";
  if (call.state === "accepted") return "accepted";
  if (call.state !== "ringing" || role !== "caller") return "not_active";
  if ((call.heldBytes ?? 0) + bytes > HELD_MAX_BYTES) return "full";
  return "other_device";
}

/** A keepalive from either side: the accepted call stays live for another LEASE_STALE_MS. */
export async function refreshLease(callId: string, now = Date.now()): Promise<boolean> {
  return conditionally(
    CallEntity.patch({ callId })
      .set({ leaseAt: now })
      .where((a, op) => op.eq(a.state, "accepted"))
      .go(),
  );
}

/** A user's calls as caller or callee, newest first, by their log items and one batch get. */
export async function list(
  userId: string,
  options: { cursor?: string; limit?: number } = {},
): Promise<{ items: Wire[]; cursor: string | null }> {
  const limit = Math.min(Math.max(options.limit ?? 20, 1), 100);
  const page = await CallLogEntity.query
    .byUser({ userId })
    .go({ order: "desc", limit, cursor: options.cursor ?? null })
    .catch((error: unknown) => {
      if (options.cursor)
        throw new VisibleError(
          "input",
          "cursor.invalid",
          "The cursor is not valid; start again from the first page.",
        );
      throw error;
    });
  if (page.data.length === 0) return { items: [], cursor: null };
  const { data } = await CallEntity.get(page.data.map((log) => ({ callId: log.callId }))).go();
  const byId = new Map(data.map((call) => [call.callId, call]));
  const items = page.data.flatMap((log) => {
    const call = byId.get(log.callId);
    return call ? [toWire(call)] : [];
  });
  return { items, cursor: page.cursor };
}
