export * as Call from "./index";

// Calls: who may call whom, ringing (sockets and push), the ring timer, answers with ICE servers, ends told to
// both sides and left in the room's history. The state itself is store.ts's conditional writes.

import { CallKind, envelope, type IceServer, type Call as Wire } from "@asyncsns/realtime";
import * as z from "zod";
import { useUserId } from "../actor";
import { directRoomOf, recordCall } from "../chat/calls";
import { VisibleError } from "../error";
import { Follow } from "../follow";
import { IceServers } from "../ice";
import { Limit } from "../limit";
import { Push } from "../push";
import { Realtime } from "../realtime";
import * as Users from "../user/read";
import { fn } from "../util";
import type { CallItem } from "./call.entity";
import { CallId } from "./read";
import { ringSeconds } from "./settings";
import * as Store from "./store";
import { schedule } from "./timer";

export { CallActiveEntity, CallEntity, type CallItem, CallLogEntity } from "./call.entity";
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

/** Who may call whom: people who share a 1:1 room, or follow each other. Answers the room if they share one. */
async function mayCall(callerId: string, calleeId: string): Promise<{ roomId?: string }> {
  const [roomId, mutual] = await Promise.all([
    directRoomOf(callerId, calleeId),
    Promise.all([Follow.exists(callerId, calleeId), Follow.exists(calleeId, callerId)]).then(
      ([a, b]) => a && b,
    ),
  ]);
  if (!roomId && !mutual)
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

/** `POST /api/calls`: rings the callee, or answers busy, or (glare) accepts the callee's call to the caller. */
export const start = fn(StartInput, async ({ handle, kind }): Promise<Answer> => {
  const userId = useUserId();
  const calleeId = await Users.idOf(handle.replace(/^@/, ""));
  if (!calleeId)
    throw new VisibleError("not-found", "profile.not_found", `No one has the handle @${handle}.`);
  if (calleeId === userId) throw new VisibleError("input", "call.self", "You cannot call yourself.");
  const [caller, callee, { roomId }] = await Promise.all([
    party(userId),
    party(calleeId),
    mayCall(userId, calleeId),
  ]);
  await Limit.consume("callInvite");
  const seconds = ringSeconds();
  const { call, outcome } = await Store.create({ caller, callee, kind, roomId, ringSeconds: seconds });
  if (outcome === "ring") {
    // The timer first: a call that rings must also stop ringing.
    await schedule(call.callId, seconds);
    await ring(call, seconds);
  } else if (outcome === "glare") await accepted(call);
  else await ended(call);
  return {
    call: Store.toWire(call),
    iceServers: outcome === "busy" ? [] : await iceFor(call.callId, userId),
  };
});

/** `POST /api/calls/{id}/accept`: the first device wins; a repeat answers the call as it is. */
export const accept = fn(CallId, async (callId): Promise<Answer> => {
  const userId = useUserId();
  const { call, changed } = await Store.transition(callId, userId, "accept");
  if (changed) await accepted(call);
  return { call: Store.toWire(call), iceServers: await iceFor(callId, userId) };
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

/** The timer's command: a call still ringing is missed; one answered or ended meanwhile is left alone. */
export async function timeout(callId: string): Promise<{ changed: boolean; call?: CallItem }> {
  const call = await Store.get(callId);
  if (!call) return { changed: false };
  const result = await Store.transition(callId, "system", "timeout");
  if (result.changed) await ended(result.call);
  return result;
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

// ---------- telling people ----------

/** Every live socket of the callee rings, and their push subscriptions, so a phone with the app closed rings too. */
async function ring(call: CallItem, seconds: number) {
  const wire = Store.toWire(call);
  await Realtime.publish(call.calleeId, envelope("call.ringing", { call: wire }));
  await push(call.calleeId, ringPayload(wire), { urgency: "high", ttl: seconds, topic: call.callId });
}

async function accepted(call: CallItem) {
  const wire = Store.toWire(call);
  // The accepting device cannot be told apart over HTTP: it knows it accepted and ignores this one.
  await Promise.all([
    Realtime.publish(call.callerId, envelope("call.accepted", { call: wire })),
    Realtime.publish(call.calleeId, envelope("call.ended", { call: wire, reason: "answered_elsewhere" })),
    stopRinging(call),
  ]);
}

/** An end: both users' sockets hear it, the callee's devices stop ringing, the room's history gets the call. */
async function ended(call: CallItem) {
  const wire = Store.toWire(call);
  const reason = call.endReason ?? "hangup";
  await Promise.all([
    Realtime.publishMany([call.callerId, call.calleeId], envelope("call.ended", { call: wire, reason })),
    call.acceptedAt === undefined && call.state !== "busy" ? stopRinging(call) : undefined,
    recordCall(call),
  ]);
}

/** The push that closes the ring's notification (same tag) and replaces it if still queued (same Topic). */
function stopRinging(call: CallItem) {
  const payload = { type: "call.ended", id: call.callId, tag: call.callId, state: call.state };
  return push(call.calleeId, payload, { urgency: "high", ttl: 60, topic: call.callId });
}

/** What the service worker shows: like a notification's payload, tagged by the call so its end can close it. */
export function ringPayload(call: Wire) {
  const video = call.kind === "video";
  return {
    type: "call.ringing" as const,
    id: call.id,
    kind: call.kind,
    caller: {
      handle: call.caller.handle,
      displayName: call.caller.displayName,
      avatarUrl: call.caller.avatarUrl,
    },
    title: `${call.caller.displayName} is calling`,
    body: video ? "Video call" : "Voice call",
    url: call.roomId
      ? `/chat/?room=${encodeURIComponent(call.roomId)}`
      : `/u/?h=${encodeURIComponent(call.caller.handle)}`,
    tag: call.id,
    icon: call.caller.avatarUrl ?? undefined,
  };
}

/** Push is best effort here: the sockets have the news, and a ring cannot wait for a retry. */
async function push(userId: string, payload: object, options: Push.SendOptions) {
  await Push.send(userId, payload, options).catch((error: unknown) => {
    console.warn(JSON.stringify({ level: "WARN", message: "call push failed", error: String(error) }));
  });
}

// ---------- signalling ----------

export const SignalInput = z.object({ callId: CallId, data: z.unknown() });

export type SignalResult = { ok: true; relayed: number } | { ok: false; code: string; message: string };

const isKeepalive = (data: unknown) =>
  typeof data === "object" && data !== null && (data as { type?: unknown }).type === "keepalive";

/**
 * One `call.signal` from a connection: the sender's device is bound to its side on its first signal; the data goes
 * to the peer's bound device, or to all the peer's sockets until one is bound. Keepalives refresh the lease only.
 */
export async function signal(
  connectionId: string,
  input: z.input<typeof SignalInput>,
): Promise<SignalResult> {
  const { callId, data } = SignalInput.parse(input);
  const userId = useUserId();
  const bound = await Store.bind(callId, userId, connectionId);
  if ("refused" in bound) return refusal(bound.refused);
  const { call, role } = bound;
  if (isKeepalive(data)) {
    await Store.refreshLease(callId);
    return { ok: true, relayed: 0 };
  }
  const peerId = role === "caller" ? call.calleeId : call.callerId;
  const peerConnection = role === "caller" ? call.calleeConnection : call.callerConnection;
  const event = envelope("call.signal", { callId, from: userId, data });
  if (peerConnection) return { ok: true, relayed: (await Realtime.send(peerConnection, event)) ? 1 : 0 };
  return { ok: true, relayed: await Realtime.publish(peerId, event) };
}

function refusal(reason: "not_found" | "not_active" | "other_device"): SignalResult {
  switch (reason) {
    case "not_found":
      return { ok: false, code: "call.forbidden", message: "You are not in this call." };
    case "not_active":
      return { ok: false, code: "call.not_active", message: "This call is not connected." };
    case "other_device":
      return { ok: false, code: "call.forbidden", message: "This call is on another of your devices." };
  }
}
