export * as Call from "./index";

// Calls: who may call whom, ringing (sockets and push), the ring timer, answers with ICE servers, ends told to
// both sides and left in the room's history. The state itself is store.ts's conditional writes.

import { CallKind, type IceServer, type Call as Wire } from "@asyncsns/realtime";
import * as z from "zod";
import { useUserId } from "../actor";
import { directRoomOf } from "../chat/calls";
import { VisibleError } from "../error";
import { Follow } from "../follow";
import { IceServers } from "../ice";
import { createId } from "../id";
import { Limit } from "../limit";
import { blocked as blockedError, isBlocked } from "../safety/checks";
import * as Users from "../user/read";
import { fn } from "../util";
import { accepted, ended, ring } from "./events";
import { CallId } from "./read";
import { permission } from "./rules";
import { ringSeconds } from "./settings";
import * as Store from "./store";
import { schedule } from "./timer";

export { CallActiveEntity, CallEntity, type CallItem, CallLogEntity } from "./call.entity";
export { ringPayload } from "./events";
export { CallId, get, ListInput, list } from "./read";
export * as Rules from "./rules";
export { ringSeconds } from "./settings";
export * as Store from "./store";
export const StartInput = z.object({ handle: z.string().min(1).max(64), kind: CallKind });
export const HangupInput = z.object({
  callId: CallId,
  reason: z.enum(["hangup", "failed"]).optional(),
});

export interface Answer {
  call: Wire;
  iceServers: IceServer[];
}

/** The accept's answer: also the caller's signals held while it rang (its offer, candidates), in order. */
export interface AcceptAnswer extends Answer {
  signals?: unknown[];
}

/** Who may call whom (Rules.permission). Answers the room if they share one. */
async function mayCall(callerId: string, calleeId: string): Promise<{ roomId?: string }> {
  const [roomId, mutual, blocked] = await Promise.all([
    directRoomOf(callerId, calleeId),
    Promise.all([Follow.exists(callerId, calleeId), Follow.exists(calleeId, callerId)]).then(
      ([a, b]) => a && b,
    ),
    isBlocked(callerId, calleeId),
  ]);
  const allowed = permission({ blocked, sharedRoom: roomId !== undefined, mutual });
  if (allowed === "blocked") throw blockedError("You cannot call someone who blocked you or whom you block.");
  if (allowed === "forbidden")
    throw new VisibleError(
      "forbidden",
      "call.forbidden",
      "You can call people you share a 1:1 chat with or who follow you back.",
    );
  return roomId ? { roomId } : {};
}

async function party(userId: string): Promise<Store.Party> {
  const user = await Users.stored(userId);
  if (!user)
    throw new VisibleError("not-found", "profile.not_found", "Create your profile first: choose a handle.");
  return { userId, handle: user.handle, displayName: user.displayName, avatarKey: user.avatarKey };
}

/** The callee's party: a suspended user is nobody to others, so nobody rings them (the same read, no extra one). */
async function callee(userId: string, handle: string): Promise<Store.Party> {
  const user = await Users.stored(userId);
  if (!user || Users.hiddenFromViewer(user)) throw noOne(handle);
  return { userId, handle: user.handle, displayName: user.displayName, avatarKey: user.avatarKey };
}

const noOne = (handle: string) =>
  new VisibleError("not-found", "profile.not_found", `No one has the handle @${handle}.`);

/** `POST /api/calls`: rings the callee, or answers busy, or (glare) accepts the callee's call to the caller. */
export const start = fn(StartInput, async ({ handle, kind }): Promise<Answer> => {
  const userId = useUserId();
  const calleeId = await Users.idOf(handle.replace(/^@/, ""));
  if (!calleeId) throw noOne(handle);
  if (calleeId === userId) throw new VisibleError("input", "call.self", "You cannot call yourself.");
  // Read at once, but a suspended callee answers first: they are nobody, whatever else would refuse the call.
  const called = callee(calleeId, handle);
  const allowed = mayCall(userId, calleeId);
  allowed.catch(() => undefined);
  const [caller, calleeParty, { roomId }] = await Promise.all([
    party(userId),
    called,
    called.then(() => allowed),
  ]);
  await Limit.consume("callInvite");
  const seconds = ringSeconds();
  // Credentials before anyone rings (a caller who could not join must not leave the callee ringing), asked for
  // while the call is written: they name its id. The callee's ride on the ring, so its devices gather relay
  // candidates while it rings (without them, the accept has them). A busy callee leaves them unused.
  const callId = createId("cal");
  const minting = Promise.all([iceFor(callId, userId), iceFor(callId, calleeId).catch(() => undefined)]);
  minting.catch(() => undefined);
  const { call, outcome } = await Store.create({
    callId,
    caller,
    callee: calleeParty,
    kind,
    roomId,
    ringSeconds: seconds,
  });
  if (outcome === "busy") {
    await ended(call);
    return { call: Store.toWire(call), iceServers: [] };
  }
  // Glare answered the other side's call: the credentials are that call's. The timer alongside the credentials: a
  // call that rings must also stop ringing (one cancelled meanwhile finds it over).
  const ringing = outcome === "ring";
  const [[iceServers, calleeIceServers]] = await Promise.all([
    (ringing ? minting : iceFor(call.callId, userId).then((s) => [s, undefined] as const)).catch(
      async (error: unknown) => {
        const gone = await Store.transition(call.callId, userId, ringing ? "cancel" : "hangup", {
          reason: "failed",
        });
        if (outcome === "glare" && gone.changed) await ended(gone.call);
        throw error;
      },
    ),
    ringing ? schedule(call.callId, seconds) : undefined,
  ]);
  if (ringing) await ring(call, seconds, calleeIceServers);
  else await accepted(call);
  return { call: Store.toWire(call), iceServers };
});

/**
 * `POST /api/calls/{id}/accept`: the first device wins, and gets the caller's signals held while it rang (taken in
 * the accept's own write: no other device gets them); a repeat answers the call as it is.
 */
export const accept = fn(CallId, async (callId): Promise<AcceptAnswer> => {
  const userId = useUserId();
  const { call, changed, held } = await Store.transition(callId, userId, "accept");
  const [iceServers] = await Promise.all([iceFor(callId, userId), changed ? accepted(call) : undefined]);
  const signals = (held ?? []).map((s) => JSON.parse(s) as unknown);
  return { call: Store.toWire(call), iceServers, ...(signals.length ? { signals } : {}) };
});

export const decline = fn(CallId, async (callId) => command(callId, "decline"));
export const cancel = fn(CallId, async (callId) => command(callId, "cancel"));
export const hangup = fn(HangupInput, async ({ callId, reason }) => command(callId, "hangup", reason));

async function command(
  callId: string,
  name: "decline" | "cancel" | "hangup",
  reason?: "hangup" | "failed",
): Promise<{ call: Wire }> {
  const { call, changed } = await Store.transition(callId, useUserId(), name, reason ? { reason } : {});
  if (changed) await ended(call);
  return { call: Store.toWire(call) };
}

/** `POST /api/calls/{id}/ice-servers`: fresh credentials for a participant of a ringing or accepted call. */
export const iceServers = fn(CallId, async (callId): Promise<{ iceServers: IceServer[] }> => {
  const userId = useUserId();
  const { call } = await Store.forParticipant(callId, userId);
  if (call.state !== "ringing" && call.state !== "accepted") throw Store.conflict(call);
  return { iceServers: await iceFor(callId, userId) };
});

function iceFor(callId: string, userId: string): Promise<IceServer[]> {
  return IceServers.forCall({ callId, userId });
}
