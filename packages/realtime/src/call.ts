import * as z from "zod";
import { Sender } from "./chat";

/** The wire shapes of calls: the Call API answers them and `call.*` events carry them, one schema for both. */
export const CALL_KINDS = ["audio", "video"] as const;
export const CallKind = z.enum(CALL_KINDS);
export type CallKind = z.infer<typeof CallKind>;

/** `ringing → accepted → ended`, or `ringing → declined | cancelled | missed | busy`; the last five are final. */
export const CALL_STATES = [
  "ringing",
  "accepted",
  "ended",
  "declined",
  "cancelled",
  "missed",
  "busy",
] as const;
export const CallState = z.enum(CALL_STATES);
export type CallState = z.infer<typeof CallState>;

/**
 * Why a call ended. `failed`: ICE gave up. `answered_elsewhere` is never a call's own reason: it tells the
 * callee's other devices that one of them accepted.
 */
export const END_REASONS = [
  "hangup",
  "declined",
  "cancelled",
  "missed",
  "busy",
  "failed",
  "answered_elsewhere",
] as const;
export const EndReason = z.enum(END_REASONS);
export type EndReason = z.infer<typeof EndReason>;

export const Call = z
  .object({
    id: z.string(),
    state: CallState,
    kind: CallKind,
    caller: Sender,
    callee: Sender,
    /** The 1:1 room the two share, where the call shows in the history; null when they only follow each other. */
    roomId: z.string().nullable(),
    createdAt: z.string(),
    acceptedAt: z.string().optional(),
    endedAt: z.string().optional(),
    endReason: EndReason.optional(),
  })
  .meta({ id: "Call" });
export type Call = z.infer<typeof Call>;

/** An RTCIceServer with short-lived TURN credentials, issued per call to its two participants only. */
export const IceServer = z
  .object({ urls: z.array(z.string()).min(1), username: z.string(), credential: z.string() })
  .meta({ id: "IceServer" });
export type IceServer = z.infer<typeof IceServer>;

/** A signal's payload (SDP, candidate, renegotiation, keepalive) is opaque to the server, bounded in size. */
export const MAX_SIGNAL_BYTES = 32 * 1024;

/**
 * To the callee's own sockets only: with its TURN credentials for this call, so a ringing device can gather relay
 * candidates before anyone answers (they are the callee's, as in the accept's answer; never in a push payload).
 */
export const CallRinging = z.object({ call: Call, iceServers: z.array(IceServer).optional() });
export const CallAccepted = z.object({ call: Call });
/** `reason` is the call's `endReason`, except `answered_elsewhere` for the callee's other devices. */
export const CallEnded = z.object({ call: Call, reason: EndReason });
export const CallSignal = z.object({
  callId: z.string(),
  /** The sending participant's user id. */
  from: z.string(),
  data: z.unknown(),
});
