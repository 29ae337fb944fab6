export * as CallSignal from "./signal";

// `call.signal`, its own entry (@asyncsns/core/call/signal): the socket route links the table and sockets only.

import { envelope } from "@asyncsns/realtime";
import * as z from "zod";
import { useUserId } from "../actor";
import { Realtime } from "../realtime";
import * as Store from "./store";

export const SignalInput = z.object({
  callId: z.string().min(1).max(64),
  device: z.string().min(8).max(64).optional(),
  data: z.unknown(),
});

export type SignalResult =
  | { ok: true; relayed: number; held?: true }
  | { ok: false; code: string; message: string };

const isKeepalive = (data: unknown) =>
  typeof data === "object" && data !== null && (data as { type?: unknown }).type === "keepalive";

/**
 * One `call.signal` from a connection: the sender's device is bound to its side on its first signal; the data goes
 * to the peer's bound device, or to all the peer's sockets until one is bound. The caller's signals while the call
 * rings are held on it for the device whose accept wins (Store.hold). Keepalives refresh the lease only.
 */
export async function relay(connectionId: string, input: z.input<typeof SignalInput>): Promise<SignalResult> {
  const { callId, device, data } = SignalInput.parse(input);
  const userId = useUserId();
  let bound: Awaited<ReturnType<typeof Store.bind>> | { refused: "full" } = await Store.bind(
    callId,
    userId,
    connectionId,
    device,
  );
  if ("refused" in bound && bound.refused === "not_active" && !isKeepalive(data)) {
    const held = await Store.hold(callId, userId, connectionId, device, JSON.stringify(data ?? null));
    if (held === "held") return { ok: true, relayed: 0, held: true };
    // Accepted in between: relayed like any signal of an accepted call.
    bound = held === "accepted" ? await Store.bind(callId, userId, connectionId, device) : { refused: held };
  }
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

function refusal(reason: "not_found" | "not_active" | "other_device" | "full"): SignalResult {
  switch (reason) {
    case "full":
      return {
        ok: false,
        code: "call.signal_too_large",
        message: "Too many signals while the call rings: wait for the answer.",
      };
    case "not_found":
      return { ok: false, code: "call.forbidden", message: "You are not in this call." };
    case "not_active":
      return { ok: false, code: "call.not_active", message: "This call is not connected." };
    case "other_device":
      return { ok: false, code: "call.forbidden", message: "This call is on another of your devices." };
  }
}
