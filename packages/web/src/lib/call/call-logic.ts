// The pure parts of a call in the browser: the call's state as the UI sees it, signal ordering, quality, texts.
import type { Call, CallKind, EndReason } from "@asyncsns/realtime";
import type { MessageKey } from "../../i18n/en";
import type { Translate } from "../../i18n/translate";

/**
 * `outgoing`: we rang and wait; `incoming`: we are rung; `connecting`: accepted, media not flowing yet;
 * `connected`; `reconnecting`: the connection dropped and ICE is being restarted; `ended`: over, shown until closed.
 */
export type CallPhase = "outgoing" | "incoming" | "connecting" | "connected" | "reconnecting" | "ended";

/** Why this browser gave up on its own (the server's reason is `failed` for both). */
export type CallFailure = "connect_timeout" | "ice_failed" | "media" | "network";

export type Quality = "unknown" | "good" | "fair" | "poor";

export interface MediaFlags {
  muted: boolean;
  cameraOff: boolean;
}

export interface CallSession {
  call: Call;
  meId: string;
  phase: CallPhase;
  /** When the peers first connected: the duration counts from here. */
  connectedAt: number | null;
  endedAt: number | null;
  endReason: EndReason | null;
  failure: CallFailure | null;
  local: MediaFlags;
  remote: MediaFlags;
  quality: Quality;
}

export type CallAction =
  | { type: "ringing"; call: Call; meId: string }
  | { type: "started"; call: Call; meId: string }
  | { type: "accepted"; call: Call }
  | { type: "connected"; at: number }
  | { type: "disconnected" }
  | { type: "ended"; call: Call; reason: EndReason; at: number }
  | { type: "failed"; callId: string; failure: CallFailure; at: number }
  | { type: "remote"; flags: MediaFlags }
  | { type: "local"; flags: Partial<MediaFlags> }
  | { type: "quality"; quality: Quality }
  | { type: "dismiss" }
  | { type: "reset" };

const FINAL_STATES = new Set(["ended", "declined", "cancelled", "missed", "busy"]);

export const isFinal = (call: Call) => FINAL_STATES.has(call.state);

/** The caller's device makes the offer: the contract's one rule for who is simple-peer's initiator. */
export const isInitiator = (call: Call, meId: string) => call.caller.id === meId;

export const peerOf = (call: Call, meId: string) => (call.caller.id === meId ? call.callee : call.caller);

/** A session still taking the user's attention (a new ring waits until it has ended). */
export const isBusy = (session: CallSession | null) => !!session && session.phase !== "ended";

function fresh(call: Call, meId: string, phase: CallPhase): CallSession {
  return {
    call,
    meId,
    phase,
    connectedAt: null,
    endedAt: null,
    endReason: null,
    failure: null,
    local: { muted: false, cameraOff: call.kind === "audio" },
    remote: { muted: false, cameraOff: call.kind === "audio" },
    quality: "unknown",
  };
}

function ended(session: CallSession, call: Call, reason: EndReason, at: number): CallSession | null {
  // Another of my devices took it: nothing to show here. The accepting device hears it too, and ignores it.
  if (reason === "answered_elsewhere") return session.phase === "incoming" ? null : session;
  if (session.phase === "ended") return session;
  return { ...session, call, phase: "ended", endReason: reason, endedAt: at };
}

/** Events about another call than the session's are ignored; a session that has ended gives way to a new ring. */
export function callReducer(session: CallSession | null, action: CallAction): CallSession | null {
  switch (action.type) {
    case "ringing": {
      // My own call ringing on my other devices, a call already over, or one while I am busy: not a ring here.
      if (action.call.caller.id === action.meId || isFinal(action.call)) return session;
      if (session?.call.id === action.call.id) return session;
      if (isBusy(session)) return session;
      return fresh(action.call, action.meId, "incoming");
    }
    case "started": {
      // Glare: the other side's ring reached us before our own POST answered with that call, accepted.
      if (session?.call.id === action.call.id)
        return action.call.state === "accepted" && session.phase === "incoming"
          ? { ...session, call: action.call, phase: "connecting" }
          : session;
      if (isFinal(action.call)) {
        const s = fresh(action.call, action.meId, "ended");
        return { ...s, endReason: action.call.endReason ?? "failed", endedAt: Date.now() };
      }
      return fresh(action.call, action.meId, action.call.state === "accepted" ? "connecting" : "outgoing");
    }
    case "accepted": {
      if (!session || session.call.id !== action.call.id) return session;
      if (session.phase !== "outgoing" && session.phase !== "incoming")
        return { ...session, call: action.call };
      return { ...session, call: action.call, phase: "connecting" };
    }
    case "connected": {
      if (!session || session.phase === "ended") return session;
      return { ...session, phase: "connected", connectedAt: session.connectedAt ?? action.at };
    }
    case "disconnected": {
      if (session?.phase !== "connected") return session;
      return { ...session, phase: "reconnecting" };
    }
    case "ended": {
      if (!session || session.call.id !== action.call.id) return session;
      return ended(session, action.call, action.reason, action.at);
    }
    case "failed": {
      if (!session || session.call.id !== action.callId || session.phase === "ended") return session;
      return { ...session, phase: "ended", endReason: "failed", failure: action.failure, endedAt: action.at };
    }
    case "remote":
      return session && session.phase !== "ended" ? { ...session, remote: action.flags } : session;
    case "local":
      return session ? { ...session, local: { ...session.local, ...action.flags } } : session;
    case "quality":
      return session && session.phase !== "ended" ? { ...session, quality: action.quality } : session;
    case "dismiss":
      return session && session.phase === "ended" ? null : session;
    case "reset":
      return null;
  }
}

/** Whole seconds the call has lasted, from the first connect to its end (or now). */
export function elapsedSeconds(session: CallSession, now: number): number {
  if (session.connectedAt === null) return 0;
  return Math.max(0, Math.floor(((session.endedAt ?? now) - session.connectedAt) / 1000));
}

/** "0:07", "3:21", "1:02:03". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

/** What the end screen says, by who this browser is and why the call ended. */
export function endedMessageKey(session: CallSession): MessageKey {
  // Whatever gave up first, a call that never connected could not connect: the relay is the usual cause.
  if (session.failure === "connect_timeout" || (session.failure && session.connectedAt === null))
    return "call.end.connectTimeout";
  if (session.failure === "ice_failed") return "call.end.iceFailed";
  if (session.failure === "media") return "call.end.media";
  if (session.failure === "network") return "call.end.network";
  const caller = isInitiator(session.call, session.meId);
  switch (session.endReason) {
    case "declined":
      return caller ? "call.end.declinedByPeer" : "call.end.declinedByMe";
    case "cancelled":
      return caller ? "call.end.cancelledByMe" : "call.end.cancelledByPeer";
    case "missed":
      return caller ? "call.end.noAnswer" : "call.end.missed";
    case "busy":
      return "call.end.busy";
    case "failed":
      // Never connected: the other side gave up waiting for the relay, as this one would have.
      return session.connectedAt === null ? "call.end.connectTimeout" : "call.end.failed";
    default:
      return session.connectedAt === null && session.call.acceptedAt === undefined
        ? "call.end.cancelledByMe"
        : "call.end.hangup";
  }
}

// ---- signals ----

/** What simple-peer emits and accepts: SDP, a trickled candidate, or a request to renegotiate. */
export interface PeerSignal {
  type?: string;
  sdp?: string;
  candidate?: unknown;
  renegotiate?: boolean;
  transceiverRequest?: unknown;
}

/** App-level signals carried beside simple-peer's own: never handed to the peer (it destroys itself on them). */
export const isPeerSignal = (data: unknown): data is PeerSignal => {
  if (!data || typeof data !== "object") return false;
  const d = data as PeerSignal;
  return (
    typeof d.sdp === "string" || d.candidate !== undefined || d.renegotiate === true || !!d.transceiverRequest
  );
};

/**
 * Holds trickled candidates until a remote description exists, then releases them after it, in order: a
 * candidate applied before its offer/answer is refused by the browser, and signalling gives no order guarantee.
 */
export class SignalQueue {
  private described = false;
  private held: PeerSignal[] = [];

  /** The signals to hand to the peer now, in order. */
  push(signal: PeerSignal): PeerSignal[] {
    if (typeof signal.sdp === "string") {
      this.described = true;
      const out = [signal, ...this.held];
      this.held = [];
      return out;
    }
    if (signal.candidate !== undefined && !this.described) {
      this.held.push(signal);
      return [];
    }
    return [signal];
  }

  get pending(): number {
    return this.held.length;
  }
}

/**
 * The caller's outgoing signals while the call rings: its offer and candidates are made as soon as the call exists
 * (the relay allocations happen during the ring), but the server relays only between accepted participants, so they
 * wait here and go out together, in order, the moment the call is accepted.
 */
export class SignalGate<T> {
  private isOpen: boolean;
  private held: T[] = [];

  constructor(open = false) {
    this.isOpen = open;
  }

  /** The signals to send now: this one while open, none while shut (it is held). */
  push(signal: T): T[] {
    if (this.isOpen) return [signal];
    this.held.push(signal);
    return [];
  }

  /** Opens the gate (idempotent): the held signals to send now, in order. */
  open(): T[] {
    this.isOpen = true;
    return this.held.splice(0);
  }

  get opened(): boolean {
    return this.isOpen;
  }

  get pending(): number {
    return this.held.length;
  }
}

/**
 * The held signals, shortened for the wire: the description as it is now (its candidates gathered while the call
 * rang are in its SDP) in place of the first one, and the candidates it already holds dropped. One relayed signal
 * instead of one per candidate: each is a trip through the signal route, and the callee waits for all of them.
 */
export function collapseHeld(
  held: unknown[],
  now: { type: string; sdp: string } | null | undefined,
): unknown[] {
  if (!now?.sdp) return held;
  const at = held.findIndex((s) => isPeerSignal(s) && s.type === now.type && typeof s.sdp === "string");
  if (at < 0) return held;
  const lines = new Set(now.sdp.split(/\r?\n/).map((line) => line.trim()));
  const inSdp = (s: unknown) => {
    const c = isPeerSignal(s) ? (s.candidate as { candidate?: unknown } | undefined) : undefined;
    return typeof c?.candidate === "string" && c.candidate !== "" && lines.has(`a=${c.candidate}`);
  };
  return held.flatMap((s, i) => {
    if (i === at) return [{ type: now.type, sdp: now.sdp }];
    // A candidate gathered before the description was read is in it; one after it is not, and is kept.
    return inSdp(s) ? [] : [s];
  });
}

/** Under the signal route's 32 KB per frame (MAX_SIGNAL_BYTES), with room for the envelope around it. */
export const BATCH_MAX_BYTES = 30 * 1024;

/**
 * Signals as few relayed frames as fit: one signal as itself, several as `{batch: [...]}` (in order). Each frame is
 * a trip through the signal route, and the other side needs a description and its candidates together anyway.
 */
export function batchFrames(signals: unknown[], maxBytes = BATCH_MAX_BYTES): unknown[] {
  const frames: unknown[][] = [];
  let size = 0;
  for (const s of signals) {
    const bytes = new TextEncoder().encode(JSON.stringify(s)).length;
    const last = frames.at(-1);
    if (last && size + bytes <= maxBytes) {
      last.push(s);
      size += bytes;
    } else {
      frames.push([s]);
      size = bytes;
    }
  }
  return frames.map((f) => (f.length === 1 ? f[0] : { batch: f }));
}

/** A relayed frame's signals, in order: a batch taken apart, anything else as it is. */
export function unbatch(frame: unknown): unknown[] {
  const b = (frame as { batch?: unknown } | null)?.batch;
  return Array.isArray(b) ? b : [frame];
}

// ---- quality ----

export interface QualitySample {
  /** Round-trip time of the selected candidate pair. */
  rttMs: number | null;
  /** Packets lost over packets expected since the previous sample, 0..1. */
  loss: number | null;
}

/** RTT and loss thresholds as in common VoIP guidance (ITU-T G.114: <150 ms one-way feels live). */
export function classifyQuality({ rttMs, loss }: QualitySample): Quality {
  if (rttMs === null && loss === null) return "unknown";
  const r = rttMs ?? 0;
  const l = loss ?? 0;
  if (r > 400 || l > 0.08) return "poor";
  if (r > 150 || l > 0.02) return "fair";
  return "good";
}

/** Counters kept between samples, so loss is measured over the last interval, not the whole call. */
export interface StatsCounters {
  received: number;
  lost: number;
}

interface StatLike {
  type: string;
  id: string;
  [key: string]: unknown;
}

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** The selected candidate pair: the transport's pointer where the browser gives one, else the nominated pair. */
export function selectedPair(stats: StatLike[]): StatLike | undefined {
  const transport = stats.find(
    (s) => s.type === "transport" && typeof s.selectedCandidatePairId === "string",
  );
  if (transport) return stats.find((s) => s.id === transport.selectedCandidatePairId);
  return stats.find((s) => s.type === "candidate-pair" && s.nominated === true && s.state === "succeeded");
}

/** One sample from a getStats() report (as an array) and the previous counters. */
export function sampleStats(
  stats: StatLike[],
  previous: StatsCounters | null,
): { sample: QualitySample; counters: StatsCounters } {
  const pair = selectedPair(stats);
  const rtt = num(pair?.currentRoundTripTime);
  let received = 0;
  let lost = 0;
  for (const s of stats) {
    if (s.type !== "inbound-rtp") continue;
    received += num(s.packetsReceived) ?? 0;
    lost += Math.max(0, num(s.packetsLost) ?? 0);
  }
  const counters = { received, lost };
  const dReceived = received - (previous?.received ?? 0);
  const dLost = lost - (previous?.lost ?? 0);
  const expected = dReceived + dLost;
  const loss = expected > 0 ? Math.max(0, dLost) / expected : null;
  return { sample: { rttMs: rtt === null ? null : Math.round(rtt * 1000), loss }, counters };
}

// ---- history ----

/** The call summary a chat message carries (calls-server's `Message.call`). */
export interface CallSummary {
  id: string;
  kind: CallKind;
  state: Call["state"];
  endReason?: EndReason | null;
  durationSeconds?: number | null;
}

/** The history line for a call: "Missed call", "Video call · 3:21", "Declined call". */
export function callSummaryText(t: Translate, call: CallSummary): string {
  const kind = t(call.kind === "video" ? "call.kind.video" : "call.kind.audio");
  const reason = call.endReason ?? undefined;
  if (call.state === "missed" || reason === "missed") return t("call.history.missed", { kind });
  if (call.state === "declined" || reason === "declined") return t("call.history.declined", { kind });
  if (call.state === "cancelled" || reason === "cancelled") return t("call.history.cancelled", { kind });
  if (call.state === "busy" || reason === "busy") return t("call.history.busy", { kind });
  if (reason === "failed" && !call.durationSeconds) return t("call.history.failed", { kind });
  if (call.state === "ringing") return t("call.history.ringing", { kind });
  if (call.state === "accepted") return t("call.history.ongoing", { kind });
  return t("call.history.done", { kind, duration: formatDuration(call.durationSeconds ?? 0) });
}
