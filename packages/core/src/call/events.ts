// Telling people about a call: sockets, Web Push and the room's history. Shared by the Call Lambda and the timer.

import type { IceServer, Call as Wire } from "@asyncsns/realtime";
import { envelope } from "@asyncsns/realtime";
import { recordCall } from "../chat/calls";
import { Push } from "../push";
import { Realtime } from "../realtime";
import type { CallItem } from "./call.entity";
import * as Store from "./store";

/**
 * Every live socket of the callee rings, with the callee's own ICE servers when they could be had, and their push
 * subscriptions (no credentials there), so a phone with the app closed rings too.
 */
export async function ring(call: CallItem, seconds: number, iceServers?: IceServer[]) {
  const wire = Store.toWire(call);
  await Promise.all([
    Realtime.publish(
      call.calleeId,
      envelope("call.ringing", { call: wire, ...(iceServers?.length ? { iceServers } : {}) }),
    ),
    push(call.calleeId, ringPayload(wire), { urgency: "high", ttl: seconds, topic: call.callId }),
  ]);
}

export async function accepted(call: CallItem) {
  const wire = Store.toWire(call);
  // The accepting device cannot be told apart over HTTP: it knows it accepted and ignores this one.
  await Promise.all([
    Realtime.publish(call.callerId, envelope("call.accepted", { call: wire })),
    Realtime.publish(call.calleeId, envelope("call.ended", { call: wire, reason: "answered_elsewhere" })),
    stopRinging(call),
  ]);
}

/** An end: both users' sockets hear it, the callee's devices stop ringing, the room's history gets the call. */
export async function ended(call: CallItem) {
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
