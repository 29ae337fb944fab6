import type { Call } from "@asyncsns/realtime";
import { describe, expect, it } from "vitest";
import { translate } from "../src/i18n/translate";
import {
  BATCH_MAX_BYTES,
  batchFrames,
  type CallAction,
  type CallSession,
  callReducer,
  callSummaryText,
  classifyQuality,
  collapseHeld,
  elapsedSeconds,
  endedMessageKey,
  formatDuration,
  isPeerSignal,
  SignalGate,
  SignalQueue,
  sampleStats,
  unbatch,
} from "../src/lib/call/call-logic";

const person = (name: string) => ({
  id: `usr_${name.toLowerCase()}`,
  handle: name.toLowerCase(),
  displayName: name,
  avatarUrl: null,
});
const aki = person("Aki");
const ben = person("Ben");

const call = (over: Partial<Call> = {}): Call => ({
  id: "cal_1",
  state: "ringing",
  kind: "video",
  caller: aki,
  callee: ben,
  roomId: "room_1",
  createdAt: "2026-12-07T10:00:00.000Z",
  ...over,
});

const run = (start: CallSession | null, ...actions: CallAction[]) => actions.reduce(callReducer, start);

describe("call state reducer", () => {
  it("rings the callee, not the caller's own other devices", () => {
    const incoming = run(null, { type: "ringing", call: call(), meId: ben.id });
    expect(incoming?.phase).toBe("incoming");
    expect(run(null, { type: "ringing", call: call(), meId: aki.id })).toBeNull();
  });

  it("ignores a ring while busy and rings after the previous call has ended", () => {
    const busy = run(null, {
      type: "started",
      call: call({ id: "cal_0", callee: person("Cy") }),
      meId: ben.id,
    });
    expect(run(busy, { type: "ringing", call: call(), meId: ben.id })?.call.id).toBe("cal_0");
    const over = run(busy, {
      type: "ended",
      call: call({ id: "cal_0", state: "missed" }),
      reason: "missed",
      at: 1,
    });
    expect(run(over, { type: "ringing", call: call(), meId: ben.id })?.call.id).toBe("cal_1");
  });

  it("goes outgoing → connecting → connected → ended with a duration", () => {
    const s = run(
      null,
      { type: "started", call: call(), meId: aki.id },
      { type: "accepted", call: call({ state: "accepted", acceptedAt: "x" }) },
    );
    expect(s?.phase).toBe("connecting");
    const connected = run(s, { type: "connected", at: 10_000 });
    expect(connected?.phase).toBe("connected");
    const ended = run(connected, {
      type: "ended",
      call: call({ state: "ended" }),
      reason: "hangup",
      at: 211_900,
    });
    expect(ended?.phase).toBe("ended");
    expect(elapsedSeconds(ended!, 999_999)).toBe(201);
    expect(formatDuration(201)).toBe("3:21");
    expect(endedMessageKey(ended!)).toBe("call.end.hangup");
  });

  it("starts connecting at once when the answer is already accepted (glare)", () => {
    const s = run(null, { type: "started", call: call({ state: "accepted" }), meId: ben.id });
    expect(s?.phase).toBe("connecting");
  });

  it("glare after the other side's ring arrived: the ring becomes the connecting call", () => {
    const theirs = call({ caller: ben, callee: aki });
    const s = run(
      null,
      { type: "ringing", call: theirs, meId: aki.id },
      { type: "started", call: { ...theirs, state: "accepted" }, meId: aki.id },
    );
    expect(s?.phase).toBe("connecting");
    expect(s?.call.state).toBe("accepted");
  });

  it("a final answer to start shows why at once (busy)", () => {
    const s = run(null, { type: "started", call: call({ state: "busy", endReason: "busy" }), meId: aki.id });
    expect(s?.phase).toBe("ended");
    expect(endedMessageKey(s!)).toBe("call.end.busy");
  });

  it("drops the incoming dialog when another device of mine answered", () => {
    const s = run(
      null,
      { type: "ringing", call: call(), meId: ben.id },
      { type: "ended", call: call({ state: "accepted" }), reason: "answered_elsewhere", at: 1 },
    );
    expect(s).toBeNull();
  });

  it("keeps the call on the device that accepted, which hears answered_elsewhere too", () => {
    const s = run(
      null,
      { type: "ringing", call: call(), meId: ben.id },
      { type: "accepted", call: call({ state: "accepted" }) },
      { type: "ended", call: call({ state: "accepted" }), reason: "answered_elsewhere", at: 1 },
    );
    expect(s?.phase).toBe("connecting");
  });

  it("ignores events for other calls and repeats of the same one", () => {
    const s = run(null, { type: "ringing", call: call(), meId: ben.id });
    expect(run(s, { type: "accepted", call: call({ id: "cal_9", state: "accepted" }) })).toBe(s);
    expect(run(s, { type: "ringing", call: call(), meId: ben.id })).toBe(s);
    const ended = run(s, { type: "ended", call: call({ state: "declined" }), reason: "declined", at: 5 });
    expect(run(ended, { type: "ended", call: call({ state: "missed" }), reason: "missed", at: 9 })).toBe(
      ended,
    );
  });

  it("a reconnect keeps the first connect time; a local failure names its cause", () => {
    const s = run(
      null,
      { type: "started", call: call({ state: "accepted" }), meId: aki.id },
      { type: "connected", at: 1_000 },
      { type: "disconnected" },
    );
    expect(s?.phase).toBe("reconnecting");
    const back = run(s, { type: "connected", at: 9_000 });
    expect(back?.connectedAt).toBe(1_000);
    const failed = run(back, { type: "failed", callId: "cal_1", failure: "ice_failed", at: 20_000 });
    expect(failed?.phase).toBe("ended");
    expect(failed?.endReason).toBe("failed");
    expect(endedMessageKey(failed!)).toBe("call.end.iceFailed");
  });

  it("a call that never connected says it could not connect, whichever side gave up", () => {
    const accepted = run(null, { type: "started", call: call({ state: "accepted" }), meId: aki.id });
    for (const failure of ["connect_timeout", "ice_failed", "network"] as const)
      expect(endedMessageKey(run(accepted, { type: "failed", callId: "cal_1", failure, at: 15_000 })!)).toBe(
        "call.end.connectTimeout",
      );
    const told = run(accepted, {
      type: "ended",
      call: call({ state: "ended" }),
      reason: "failed",
      at: 15_000,
    });
    expect(endedMessageKey(told!)).toBe("call.end.connectTimeout");
  });

  it("says declined, no answer or missed from each side", () => {
    const asCaller = run(null, { type: "started", call: call(), meId: aki.id });
    const asCallee = run(null, { type: "ringing", call: call(), meId: ben.id });
    const end = (s: CallSession | null, reason: "declined" | "missed" | "cancelled") =>
      endedMessageKey(run(s, { type: "ended", call: call({ state: reason }), reason, at: 1 })!);
    expect(end(asCaller, "declined")).toBe("call.end.declinedByPeer");
    expect(end(asCallee, "declined")).toBe("call.end.declinedByMe");
    expect(end(asCaller, "missed")).toBe("call.end.noAnswer");
    expect(end(asCallee, "missed")).toBe("call.end.missed");
    expect(end(asCallee, "cancelled")).toBe("call.end.cancelledByPeer");
  });

  it("tracks the other side's mute and camera, and dismisses only an ended call", () => {
    const s = run(
      null,
      { type: "started", call: call({ state: "accepted" }), meId: aki.id },
      { type: "remote", flags: { muted: true, cameraOff: false } },
    );
    expect(s?.remote.muted).toBe(true);
    expect(run(s, { type: "dismiss" })).toBe(s);
    expect(
      run(s, { type: "ended", call: call({ state: "ended" }), reason: "hangup", at: 1 }, { type: "dismiss" }),
    ).toBeNull();
  });

  it("an audio call starts with the cameras off", () => {
    expect(run(null, { type: "started", call: call({ kind: "audio" }), meId: aki.id })?.local.cameraOff).toBe(
      true,
    );
  });
});

describe("signal queue", () => {
  const cand = (n: number) => ({ type: "candidate", candidate: { candidate: `c${n}`, sdpMid: "0" } });

  it("holds candidates until the remote description, then releases them after it in order", () => {
    const q = new SignalQueue();
    expect(q.push(cand(1))).toEqual([]);
    expect(q.push(cand(2))).toEqual([]);
    expect(q.pending).toBe(2);
    const offer = { type: "offer", sdp: "v=0" };
    expect(q.push(offer)).toEqual([offer, cand(1), cand(2)]);
    expect(q.pending).toBe(0);
    expect(q.push(cand(3))).toEqual([cand(3)]);
  });

  it("forwards renegotiation and transceiver requests at once", () => {
    const q = new SignalQueue();
    expect(q.push({ type: "renegotiate", renegotiate: true })).toEqual([
      { type: "renegotiate", renegotiate: true },
    ]);
    const tr = { type: "transceiverRequest", transceiverRequest: { kind: "video" } };
    expect(q.push(tr)).toEqual([tr]);
  });

  it("tells peer signals from app signals (keepalive, state), which never reach simple-peer", () => {
    expect(isPeerSignal({ type: "answer", sdp: "v=0" })).toBe(true);
    expect(isPeerSignal(cand(1))).toBe(true);
    expect(isPeerSignal({ type: "keepalive" })).toBe(false);
    expect(isPeerSignal({ type: "state", muted: true })).toBe(false);
    expect(isPeerSignal(null)).toBe(false);
    expect(isPeerSignal("offer")).toBe(false);
  });
});

describe("signal gate (the caller's signals while the call rings)", () => {
  const cand = (n: number) => ({ type: "candidate", candidate: { candidate: `c${n}`, sdpMid: "0" } });

  it("holds the offer and candidates until the accept, then sends them once, in order", () => {
    const gate = new SignalGate<object>();
    const offer = { type: "offer", sdp: "v=0" };
    expect(gate.push(offer)).toEqual([]);
    expect(gate.push(cand(1))).toEqual([]);
    expect(gate.push(cand(2))).toEqual([]);
    expect(gate.opened).toBe(false);
    expect(gate.pending).toBe(3);
    expect(gate.open()).toEqual([offer, cand(1), cand(2)]);
    expect(gate.opened).toBe(true);
    expect(gate.pending).toBe(0);
    // A second accept (the event and the glare answer both) sends nothing twice.
    expect(gate.open()).toEqual([]);
    expect(gate.push(cand(3))).toEqual([cand(3)]);
  });

  it("passes everything at once when the call is accepted from the start (callee, glare)", () => {
    const gate = new SignalGate<object>(true);
    expect(gate.opened).toBe(true);
    expect(gate.push(cand(1))).toEqual([cand(1)]);
    expect(gate.open()).toEqual([]);
  });
});

describe("held signals collapsed into the description", () => {
  const cand = (n: number) => ({
    type: "candidate",
    candidate: { candidate: `candidate:${n} 1 udp 41885439 127.0.0.1 5000${n} typ relay`, sdpMid: "0" },
  });
  const sdp = (...ns: number[]) =>
    ["v=0", "m=audio 9 UDP/TLS/RTP/SAVPF 111", ...ns.map((n) => `a=${cand(n).candidate.candidate}`)].join(
      "\r\n",
    );

  it("sends the offer as it is now, without the candidates it already holds", () => {
    const held = [{ type: "offer", sdp: sdp() }, cand(1), cand(2)];
    expect(collapseHeld(held, { type: "offer", sdp: sdp(1, 2) })).toEqual([
      { type: "offer", sdp: sdp(1, 2) },
    ]);
  });

  it("keeps a candidate the description does not hold, and app or renegotiation signals, in order", () => {
    const renegotiate = { type: "renegotiate", renegotiate: true };
    const held = [{ type: "offer", sdp: sdp() }, cand(1), renegotiate, cand(3)];
    expect(collapseHeld(held, { type: "offer", sdp: sdp(1) })).toEqual([
      { type: "offer", sdp: sdp(1) },
      renegotiate,
      cand(3),
    ]);
  });

  it("changes nothing without a description of the same type", () => {
    const held = [{ type: "offer", sdp: sdp() }, cand(1)];
    expect(collapseHeld(held, null)).toBe(held);
    expect(collapseHeld(held, { type: "answer", sdp: sdp(1) })).toBe(held);
    expect(collapseHeld([cand(1)], { type: "offer", sdp: sdp(1) })).toEqual([cand(1)]);
  });
});

describe("signal batches (one relayed frame for signals made together)", () => {
  const answer = { type: "answer", sdp: "v=0 answer" };
  const cand = (n: number) => ({
    type: "candidate",
    candidate: { candidate: `candidate:${n} 1 udp 1 1.2.3.4 ${n} typ relay` },
  });

  it("sends one signal as itself and several as one batch, in order", () => {
    expect(batchFrames([answer])).toEqual([answer]);
    expect(batchFrames([answer, cand(1), cand(2)])).toEqual([{ batch: [answer, cand(1), cand(2)] }]);
    expect(batchFrames([])).toEqual([]);
  });

  it("splits batches that would not fit in one frame of the signal route", () => {
    const big = { type: "offer", sdp: "x".repeat(BATCH_MAX_BYTES - 100) };
    const frames = batchFrames([big, cand(1), cand(2)]);
    expect(frames).toEqual([big, { batch: [cand(1), cand(2)] }]);
    for (const f of frames) expect(JSON.stringify(f).length).toBeLessThanOrEqual(BATCH_MAX_BYTES);
  });

  it("takes a batch apart in order, and leaves anything else as one signal", () => {
    expect(unbatch({ batch: [answer, cand(1)] })).toEqual([answer, cand(1)]);
    expect(unbatch(cand(3))).toEqual([cand(3)]);
    expect(unbatch({ type: "keepalive" })).toEqual([{ type: "keepalive" }]);
    expect(unbatch(null)).toEqual([null]);
    // A batch is not itself a peer signal: the peer only ever sees what is inside.
    expect(isPeerSignal({ batch: [answer] })).toBe(false);
  });
});

describe("connection quality", () => {
  it("classifies RTT and loss into good, fair, poor", () => {
    expect(classifyQuality({ rttMs: null, loss: null })).toBe("unknown");
    expect(classifyQuality({ rttMs: 40, loss: 0 })).toBe("good");
    expect(classifyQuality({ rttMs: 220, loss: 0.01 })).toBe("fair");
    expect(classifyQuality({ rttMs: 60, loss: 0.05 })).toBe("fair");
    expect(classifyQuality({ rttMs: 600, loss: 0 })).toBe("poor");
    expect(classifyQuality({ rttMs: 30, loss: 0.2 })).toBe("poor");
  });

  it("reads RTT from the selected pair and loss over the last interval only", () => {
    const report = (received: number, lost: number) => [
      { type: "transport", id: "T1", selectedCandidatePairId: "CP2" },
      { type: "candidate-pair", id: "CP1", currentRoundTripTime: 0.9 },
      { type: "candidate-pair", id: "CP2", currentRoundTripTime: 0.05 },
      { type: "inbound-rtp", id: "IA", kind: "audio", packetsReceived: received, packetsLost: lost },
    ];
    const first = sampleStats(report(1000, 100), null);
    expect(first.sample).toEqual({ rttMs: 50, loss: 100 / 1100 });
    const second = sampleStats(report(1990, 110), first.counters);
    expect(second.sample.loss).toBeCloseTo(10 / 1000);
    expect(classifyQuality(second.sample)).toBe("good");
  });

  it("falls back to the nominated succeeded pair without a transport entry", () => {
    const { sample } = sampleStats(
      [
        { type: "candidate-pair", id: "a", nominated: false, state: "failed", currentRoundTripTime: 2 },
        { type: "candidate-pair", id: "b", nominated: true, state: "succeeded", currentRoundTripTime: 0.2 },
      ],
      null,
    );
    expect(sample).toEqual({ rttMs: 200, loss: null });
  });
});

describe("call history lines", () => {
  const t =
    (lang: "en" | "ja") => (key: Parameters<typeof translate>[1], vars?: Record<string, string | number>) =>
      translate(lang, key, vars);
  it("names missed, declined and finished calls", () => {
    expect(callSummaryText(t("en"), { id: "c", kind: "audio", state: "missed", endReason: "missed" })).toBe(
      "Missed call",
    );
    expect(
      callSummaryText(t("en"), {
        id: "c",
        kind: "video",
        state: "ended",
        endReason: "hangup",
        durationSeconds: 201,
      }),
    ).toBe("Video call · 3:21");
    expect(
      callSummaryText(t("en"), { id: "c", kind: "audio", state: "declined", endReason: "declined" }),
    ).toBe("Declined call");
    expect(
      callSummaryText(t("ja"), {
        id: "c",
        kind: "audio",
        state: "ended",
        endReason: "hangup",
        durationSeconds: 3725,
      }),
    ).toBe("音声通話 · 1:02:05");
  });
});
