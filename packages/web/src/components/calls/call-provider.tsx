"use client";
// The call controller for the whole app: listens to `call.*` on the shared realtime connection, calls the Call
// API, owns the media and the peer, and shows the incoming-call dialog and the in-call view on every page.
import type { Call, CallKind, IceServer } from "@asyncsns/realtime";
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useReducer,
  useRef,
  useState,
} from "react";
import { useApp } from "../../lib/app-context";
import {
  batchFrames,
  type CallFailure,
  type CallSession,
  callReducer,
  classifyQuality,
  collapseHeld,
  isBusy,
  isInitiator,
  type MediaFlags,
  SignalGate,
  type StatsCounters,
  sampleStats,
  unbatch,
} from "../../lib/call/call-logic";
import { CallPeer } from "../../lib/call/peer";
import { startRinging } from "../../lib/call/ring";
import { callsApi } from "../../lib/calls-api";
import { useRealtime } from "../../lib/realtime-context";
import { CallOverlay } from "./call-view";

/** A ringing caller's offer goes to the server (held there for the accept) at the latest this long after it is made. */
const HOLD_AFTER_MS = 1_000;
/** Not connected this long after accept: the relay refused the credentials or is unreachable (ICE stays `new`). */
export const CONNECT_TIMEOUT_MS = 15_000;
/** Disconnected this long: restart ICE with fresh credentials. */
const RESTART_AFTER_MS = 4_000;
/** Not back this long after an ICE restart: give up. */
const RESTART_TIMEOUT_MS = 10_000;
/**
 * This tab's id in every signal: the server binds a call's side to the device, so this tab's next socket (after a
 * network change) is relayed to again, and the user's other tabs and devices are not.
 */
const DEVICE =
  typeof crypto !== "undefined" && "randomUUID" in crypto
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 12)}`;

/** The server's liveness lease is refreshed by each side's keepalive signal. */
const KEEPALIVE_MS = 30_000;
const STATS_MS = 2_000;
/** The data channel closed without a bye or `call.ended`: ask the server this often, this many times, then fail. */
const CLOSE_CHECK_MS = 3_000;
const CLOSE_CHECKS = 4;

/** What this browser could not get: the camera (audio-only), or both (receive-only). */
export type MediaRefusal = "camera" | "all" | null;

/** A call being placed: the click was taken, the POST has not answered yet. */
export interface Dialing {
  handle: string;
  kind: CallKind;
}

interface CallContextValue {
  session: CallSession | null;
  dialing: Dialing | null;
  localStream: MediaStream | null;
  remoteStream: MediaStream | null;
  refused: MediaRefusal;
  start: (handle: string, kind: CallKind) => Promise<void>;
  accept: () => Promise<void>;
  decline: () => Promise<void>;
  hangup: () => Promise<void>;
  toggleMute: () => void;
  toggleCamera: () => Promise<void>;
  dismiss: () => void;
}

const CallContext = createContext<CallContextValue | null>(null);

async function getMedia(kind: CallKind): Promise<{ stream: MediaStream | null; refused: MediaRefusal }> {
  const media = typeof navigator !== "undefined" ? navigator.mediaDevices : undefined;
  if (!media?.getUserMedia) return { stream: null, refused: "all" };
  try {
    return { stream: await media.getUserMedia({ audio: true, video: kind === "video" }), refused: null };
  } catch {
    // NotAllowedError / NotFoundError: go on with what is allowed, down to receiving only.
    if (kind === "video") {
      try {
        return { stream: await media.getUserMedia({ audio: true }), refused: "camera" };
      } catch {
        // Microphone refused too.
      }
    }
    return { stream: null, refused: "all" };
  }
}

const debugEnabled = () => {
  try {
    return globalThis.localStorage?.getItem("asyncsns.debugCall") === "1";
  } catch {
    return false;
  }
};

export function CallProvider({ children }: { children: ReactNode }) {
  const { auth, me } = useApp();
  const { client } = useRealtime();
  const meId = auth.signedIn ? me?.id : undefined;
  const [session, dispatch] = useReducer(callReducer, null);
  const [localStream, setLocalStream] = useState<MediaStream | null>(null);
  const [remoteStream, setRemoteStream] = useState<MediaStream | null>(null);
  const [refused, setRefused] = useState<MediaRefusal>(null);
  const [dialing, setDialing] = useState<Dialing | null>(null);
  const sessionRef = useRef(session);
  sessionRef.current = session;
  const clientRef = useRef(client);
  clientRef.current = client;

  // Everything the peer's life needs, outside React's render cycle.
  const live = useRef<{
    callId: string | null;
    peer: CallPeer | null;
    stream: MediaStream | null;
    iceServers: IceServer[];
    /** Signals that arrived before the peer existed (the caller's offer can beat the callee's accept answer). */
    pending: unknown[];
    /** Signals the socket could not take (reconnecting): sent once it is open again. */
    outbox: { callId: string; data: unknown }[];
    /**
     * The peer's outgoing signals, held while the call rings (both peers start before the accept), until the accept
     * or, for the caller, until its candidates are in: then they go to the server, which holds them for the device
     * that accepts.
     */
    gate: SignalGate<unknown> | null;
    /** The call is accepted and its connect timeout and keepalive run (once per call). */
    armed: boolean;
    /** The call this device accepted: the `answered_elsewhere` every callee device hears is not for it. */
    acceptedHere: string | null;
    /** A POST /api/calls on the way: a second click starts nothing, and `call.accepted` that beats it is kept. */
    dialing: boolean;
    early: Call[];
    timers: Map<string, ReturnType<typeof setTimeout>>;
    counters: StatsCounters | null;
  }>({
    callId: null,
    peer: null,
    stream: null,
    iceServers: [],
    pending: [],
    outbox: [],
    gate: null,
    armed: false,
    acceptedHere: null,
    dialing: false,
    early: [],
    timers: new Map(),
    counters: null,
  });

  const setTimer = useCallback((name: string, fn: () => void, ms: number, repeat = false) => {
    const timers = live.current.timers;
    const old = timers.get(name);
    if (old) (repeat ? clearInterval : clearTimeout)(old);
    timers.set(name, repeat ? setInterval(fn, ms) : setTimeout(fn, ms));
  }, []);
  const clearTimer = useCallback((name: string) => {
    const t = live.current.timers.get(name);
    if (t) {
      clearTimeout(t);
      clearInterval(t);
    }
    live.current.timers.delete(name);
  }, []);

  const publishDebug = useCallback(() => {
    if (!debugEnabled()) return;
    (window as unknown as { __asyncsnsCall?: unknown }).__asyncsnsCall = {
      callId: live.current.callId,
      pc: live.current.peer?.pc ?? null,
      session: sessionRef.current,
    };
  }, []);

  /** Ends everything this browser holds for the call: timers, peer, camera and microphone. */
  const teardown = useCallback(() => {
    const l = live.current;
    for (const name of [...l.timers.keys()]) clearTimer(name);
    l.peer?.destroy();
    l.peer = null;
    for (const track of l.stream?.getTracks() ?? []) track.stop();
    l.stream = null;
    l.pending = [];
    l.outbox = [];
    l.gate = null;
    l.armed = false;
    l.acceptedHere = null;
    l.counters = null;
    l.callId = null;
    setLocalStream(null);
    setRemoteStream(null);
    publishDebug();
  }, [clearTimer, publishDebug]);

  const sendSignal = useCallback((callId: string, data: unknown) => {
    const sent = clientRef.current?.send({ action: "call.signal", callId, device: DEVICE, data }) ?? false;
    if (!sent) live.current.outbox.push({ callId, data });
  }, []);

  const fail = useCallback(
    (callId: string, failure: CallFailure) => {
      if (live.current.callId !== callId) return;
      dispatch({ type: "failed", callId, failure, at: Date.now() });
      teardown();
      callsApi.hangup(callId, "failed").catch(() => undefined);
    },
    [teardown],
  );

  const localFlags = useCallback(
    (): MediaFlags => sessionRef.current?.local ?? { muted: false, cameraOff: false },
    [],
  );

  /** The held signals go out, shortened (the description as it is now) and batched; later ones go as they come. */
  const openGate = useCallback(
    (callId: string) => {
      const l = live.current;
      if (l.callId !== callId || !l.gate || l.gate.opened) return;
      const held = collapseHeld(l.gate.open().flatMap(unbatch), l.peer?.pc.localDescription);
      for (const frame of batchFrames(held)) sendSignal(callId, frame);
    },
    [sendSignal],
  );

  /**
   * The call is accepted: the held signals go out, and the connect timeout and the keepalive start (a ring may last
   * 45 s; connecting may not last 15 s). Once per call.
   */
  const armAccepted = useCallback(
    (callId: string) => {
      const l = live.current;
      if (l.callId !== callId || !l.peer || l.armed) return;
      l.armed = true;
      clearTimer("hold");
      openGate(callId);
      setTimer(
        "connect",
        () => {
          if (sessionRef.current?.connectedAt == null) fail(callId, "connect_timeout");
        },
        CONNECT_TIMEOUT_MS,
      );
      setTimer("keepalive", () => sendSignal(callId, { type: "keepalive" }), KEEPALIVE_MS, true);
    },
    [sendSignal, setTimer, clearTimer, fail, openGate],
  );

  /**
   * Starts the peer: the caller's device (simple-peer's initiator) as soon as its call rings, so its offer and relay
   * candidates are ready when the callee accepts; the callee's as soon as the ring brings its credentials (its
   * camera and microphone join at the accept, see `accept`), else once it has accepted.
   */
  const beginPeer = useCallback(
    (call: Call) => {
      const l = live.current;
      if (!meId || l.callId !== call.id) return;
      if (l.peer) {
        if (call.state === "accepted") armAccepted(call.id);
        return;
      }
      const callId = call.id;
      const gate = new SignalGate<unknown>();
      l.gate = gate;
      const peer = new CallPeer({
        initiator: isInitiator(call, meId),
        iceServers: l.iceServers,
        video: call.kind === "video",
        stream: l.stream,
        handlers: {
          signal: (data) => {
            for (const out of gate.push(data)) sendSignal(callId, out);
          },
          connect: () => {
            clearTimer("connect");
            clearTimer("closed");
            dispatch({ type: "connected", at: Date.now() });
            peer.sendState(localFlags());
            setTimer(
              "stats",
              () => {
                peer.pc
                  .getStats()
                  .then((report) => {
                    const { sample, counters } = sampleStats(
                      [...report.values()] as { type: string; id: string }[],
                      live.current.counters,
                    );
                    live.current.counters = counters;
                    dispatch({ type: "quality", quality: classifyQuality(sample) });
                  })
                  .catch(() => undefined);
              },
              STATS_MS,
              true,
            );
          },
          stream: (stream) => setRemoteStream(stream),
          remoteState: (flags) => dispatch({ type: "remote", flags }),
          bye: () => {
            if (live.current.callId !== callId) return;
            dispatch({
              type: "ended",
              call: { ...call, state: "ended" },
              reason: "hangup",
              at: Date.now(),
            });
            teardown();
          },
          ice: (state) => {
            if (state === "connected" || state === "completed") {
              clearTimer("restart");
              clearTimer("restartTimeout");
              if (sessionRef.current?.connectedAt != null) dispatch({ type: "connected", at: Date.now() });
              return;
            }
            // Before the first connect the connect timeout is in charge; a restart is for a connection that dropped.
            if ((state === "disconnected" || state === "failed") && sessionRef.current?.connectedAt != null) {
              dispatch({ type: "disconnected" });
              if (live.current.timers.has("restart") || live.current.timers.has("restartTimeout")) return;
              setTimer(
                "restart",
                () => {
                  live.current.timers.delete("restart");
                  setTimer("restartTimeout", () => fail(callId, "ice_failed"), RESTART_TIMEOUT_MS);
                  callsApi.iceServers(callId).then(
                    ({ iceServers }) => {
                      live.current.iceServers = iceServers;
                      if (live.current.callId === callId) peer.restartIce(iceServers);
                    },
                    () => fail(callId, "network"),
                  );
                },
                RESTART_AFTER_MS,
              );
            }
          },
          close: () => {
            // Closed without a bye: the other side vanished, or its bye was lost. The server knows which.
            let checks = 0;
            const check = () => {
              if (live.current.callId !== callId) return;
              callsApi.get(callId).then(
                ({ call: now }) => {
                  if (live.current.callId !== callId) return;
                  if (now.state !== "accepted" && now.state !== "ringing") {
                    dispatch({ type: "ended", call: now, reason: now.endReason ?? "hangup", at: Date.now() });
                    teardown();
                  } else if (++checks < CLOSE_CHECKS) setTimer("closed", check, CLOSE_CHECK_MS);
                  else fail(callId, "network");
                },
                () => fail(callId, "network"),
              );
            };
            setTimer("closed", check, CLOSE_CHECK_MS);
          },
          error: (err) => {
            // simple-peer destroys itself on ICE `failed`: nothing left to restart.
            fail(callId, err.code === "ERR_ICE_CONNECTION_FAILURE" ? "ice_failed" : "network");
          },
        },
      });
      l.peer = peer;
      publishDebug();
      for (const data of l.pending.splice(0)) peer.signal(data);
      if (call.state === "accepted") armAccepted(callId);
      else if (isInitiator(call, meId)) {
        // Ringing: once the offer's candidates are in (or after HOLD_AFTER_MS), it goes to the server in one frame,
        // and the callee gets it with its accept instead of one relay later.
        const release = () => {
          clearTimer("hold");
          openGate(callId);
        };
        peer.pc.addEventListener("icegatheringstatechange", () => {
          if (peer.pc.iceGatheringState === "complete") release();
        });
        setTimer("hold", release, HOLD_AFTER_MS);
      }
    },
    [meId, sendSignal, setTimer, clearTimer, fail, localFlags, publishDebug, teardown, armAccepted, openGate],
  );

  const takeMedia = useCallback(async (kind: CallKind) => {
    const { stream, refused: what } = await getMedia(kind);
    live.current.stream = stream;
    setLocalStream(stream);
    setRefused(what);
    return what;
  }, []);

  const start = useCallback(
    async (handle: string, kind: CallKind) => {
      // A double click, or a second call button while the first call is being placed: one call only.
      if (!meId || isBusy(sessionRef.current) || live.current.dialing) return;
      live.current.dialing = true;
      setDialing({ handle, kind });
      try {
        teardown();
        const what = await takeMedia(kind);
        let answer: Awaited<ReturnType<typeof callsApi.start>>;
        try {
          answer = await callsApi.start(handle, kind);
        } catch (err) {
          teardown();
          throw err;
        }
        const l = live.current;
        l.callId = answer.call.id;
        l.iceServers = answer.iceServers;
        // The callee may have accepted before this answer came back: its `call.accepted` was kept for now.
        const early = l.early.find((c) => c.id === answer.call.id);
        const call = early && answer.call.state === "ringing" ? early : answer.call;
        dispatch({ type: "started", call: answer.call, meId });
        if (call !== answer.call) dispatch({ type: "accepted", call });
        if (what) dispatch({ type: "local", flags: { muted: what === "all", cameraOff: true } });
        // Ringing: the peer starts now, its signals held until the accept. Accepted already: the callee was quick,
        // or glare (the other side was calling us and the server joined the two calls).
        if (call.state === "ringing" || call.state === "accepted") beginPeer(call);
        else teardown();
      } finally {
        live.current.dialing = false;
        live.current.early = [];
        setDialing(null);
      }
    },
    [meId, teardown, takeMedia, beginPeer],
  );

  const accept = useCallback(async () => {
    const s = sessionRef.current;
    if (s?.phase !== "incoming") return;
    const callId = s.call.id;
    // The peer made while it rang is this call's; anything else this device holds is not.
    if (live.current.callId !== callId) teardown();
    live.current.callId = callId;
    live.current.acceptedHere = callId;
    const what = await takeMedia(s.call.kind);
    if (what) dispatch({ type: "local", flags: { muted: what === "all", cameraOff: true } });
    // Before the accept: the caller's offer, relayed once the server has it, must find the tracks in place.
    const { peer, stream } = live.current;
    if (peer && stream && live.current.callId === callId) peer.attachMedia(stream);
    try {
      const answer = await callsApi.accept(callId);
      const l = live.current;
      l.iceServers = answer.iceServers;
      // The caller's offer and candidates held while it rang, ahead of anything relayed (the peer orders candidates).
      for (const data of answer.signals ?? []) {
        if (l.peer && l.callId === callId) l.peer.signal(data);
        else l.pending.push(data);
      }
      dispatch({ type: "accepted", call: answer.call });
      beginPeer(answer.call);
    } catch {
      // Taken elsewhere, cancelled or timed out meanwhile: the call is over for this device.
      const now = await callsApi.get(callId).catch(() => null);
      dispatch({
        type: "ended",
        call: now?.call ?? s.call,
        reason: now?.call.endReason ?? "cancelled",
        at: Date.now(),
      });
      teardown();
    }
  }, [takeMedia, beginPeer, teardown]);

  const decline = useCallback(async () => {
    const s = sessionRef.current;
    if (s?.phase !== "incoming") return;
    // Declining needs no end screen: the dialog just goes.
    dispatch({ type: "reset" });
    teardown();
    await callsApi.decline(s.call.id).catch(() => undefined);
  }, [teardown]);

  const hangup = useCallback(async () => {
    const s = sessionRef.current;
    if (!s || s.phase === "ended") return;
    if (s.phase === "incoming") return decline();
    const outgoing = s.phase === "outgoing";
    dispatch({
      type: "ended",
      call: { ...s.call, state: outgoing ? "cancelled" : "ended" },
      reason: outgoing ? "cancelled" : "hangup",
      at: Date.now(),
    });
    // The bye needs a moment on the wire before the connection closes under it.
    const peer = live.current.peer;
    peer?.sendBye();
    live.current.peer = null;
    setTimeout(() => peer?.destroy(), 300);
    teardown();
    try {
      await (outgoing ? callsApi.cancel(s.call.id) : callsApi.hangup(s.call.id));
    } catch {
      // Accepted in the meantime: a cancel is refused, so hang up instead.
      if (outgoing) await callsApi.hangup(s.call.id).catch(() => undefined);
    }
  }, [decline, teardown]);

  const toggleMute = useCallback(() => {
    const s = sessionRef.current;
    if (!s) return;
    const audio = live.current.stream?.getAudioTracks() ?? [];
    if (audio.length === 0) return;
    const muted = !s.local.muted;
    for (const track of audio) track.enabled = !muted;
    dispatch({ type: "local", flags: { muted } });
    live.current.peer?.sendState({ ...s.local, muted });
  }, []);

  const toggleCamera = useCallback(async () => {
    const s = sessionRef.current;
    const l = live.current;
    if (s?.call.kind !== "video") return;
    const cameraOff = !s.local.cameraOff;
    if (cameraOff) {
      await l.peer?.setVideoTrack(null);
      for (const track of l.stream?.getVideoTracks() ?? []) {
        track.stop();
        l.stream?.removeTrack(track);
      }
    } else {
      let track: MediaStreamTrack | undefined;
      try {
        track = (await navigator.mediaDevices.getUserMedia({ video: true })).getVideoTracks()[0];
      } catch {
        setRefused((r) => r ?? "camera");
        return;
      }
      if (!track) return;
      // Hung up while the camera was starting.
      if (l.callId !== s.call.id) {
        track.stop();
        return;
      }
      await l.peer?.setVideoTrack(track);
      if (l.stream) l.stream.addTrack(track);
      else l.stream = new MediaStream([track]);
      setRefused((r) => (r === "camera" ? null : r));
    }
    // A new MediaStream object makes the preview re-read its tracks.
    setLocalStream(l.stream ? new MediaStream(l.stream.getTracks()) : null);
    dispatch({ type: "local", flags: { cameraOff } });
    l.peer?.sendState({ ...s.local, cameraOff });
  }, []);

  const dismiss = useCallback(() => {
    dispatch({ type: "dismiss" });
    setRefused(null);
  }, []);

  // ---- events on the shared connection ----
  useEffect(() => {
    if (!client || !meId) return;
    const offs = [
      client.on("call.ringing", ({ call, iceServers }) => {
        const l = live.current;
        // A ring this device will show (as the reducer's "ringing" decides), with the callee's credentials: its peer
        // starts now, without camera or microphone, so its relay allocation is done while the person decides.
        const shown =
          call.callee.id === meId &&
          call.state === "ringing" &&
          !isBusy(sessionRef.current) &&
          !l.callId &&
          !l.dialing;
        dispatch({ type: "ringing", call, meId });
        if (shown && iceServers?.length) {
          l.callId = call.id;
          l.iceServers = iceServers;
          beginPeer(call);
        }
      }),
      client.on("call.accepted", ({ call }) => {
        // Before the POST's answer named the call: kept for `start`, which has not seen the id yet.
        if (live.current.dialing && isInitiator(call, meId)) live.current.early.push(call);
        const s = sessionRef.current;
        if (!s || s.call.id !== call.id) return;
        dispatch({ type: "accepted", call });
        // The callee's own device starts its peer from its accept answer; the caller's, started while it rang,
        // sends its held offer and candidates now.
        if (isInitiator(call, meId) && live.current.callId === call.id) beginPeer(call);
      }),
      client.on("call.ended", ({ call, reason }) => {
        const s = sessionRef.current;
        if (!s || s.call.id !== call.id) return;
        // Every callee device hears `answered_elsewhere`, this one too: not an end for the device that accepted.
        if (reason === "answered_elsewhere" && live.current.acceptedHere === call.id) return;
        dispatch({ type: "ended", call, reason, at: Date.now() });
        if (live.current.callId === call.id) teardown();
      }),
      client.on("call.signal", ({ callId, data }) => {
        const l = live.current;
        if (l.callId !== callId) return;
        if (l.peer) l.peer.signal(data);
        else l.pending.push(data);
      }),
      client.onState((state) => {
        if (state !== "open") return;
        const l = live.current;
        // A socket that reopened mid-call (a network change) binds this device again before the ICE restart's signals.
        if (l.callId && l.peer && l.armed) sendSignal(l.callId, { type: "keepalive" });
        for (const item of l.outbox.splice(0))
          if (item.callId === l.callId) sendSignal(item.callId, item.data);
      }),
      // Back after a gap: a call.ended sent meanwhile reached no one, so ask the server where the call is.
      client.onResync(() => {
        const s = sessionRef.current;
        if (!s || s.phase === "ended") return;
        callsApi.get(s.call.id).then(
          ({ call }) => {
            if (["ended", "declined", "cancelled", "missed", "busy"].includes(call.state)) {
              dispatch({ type: "ended", call, reason: call.endReason ?? "hangup", at: Date.now() });
              if (live.current.callId === call.id) teardown();
            } else if (
              call.state === "accepted" &&
              s.phase === "outgoing" &&
              live.current.callId === call.id
            ) {
              // Accepted while this socket was away: the `call.accepted` was lost, the held offer goes now.
              dispatch({ type: "accepted", call });
              beginPeer(call);
            }
          },
          () => undefined,
        );
      }),
    ];
    return () => {
      for (const off of offs) off();
    };
  }, [client, meId, beginPeer, teardown, sendSignal]);

  // Signed out or another account: nothing of the call survives.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the user changes.
  useEffect(() => {
    return () => {
      teardown();
      dispatch({ type: "reset" });
    };
  }, [meId]);

  const phase = session?.phase;
  useEffect(() => {
    if (phase !== "incoming") return;
    return startRinging();
  }, [phase]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the debug handle follows every session change.
  useEffect(() => publishDebug(), [session, publishDebug]);

  const value = useMemo<CallContextValue>(
    () => ({
      session,
      dialing,
      localStream,
      remoteStream,
      refused,
      start,
      accept,
      decline,
      hangup,
      toggleMute,
      toggleCamera,
      dismiss,
    }),
    [
      session,
      dialing,
      localStream,
      remoteStream,
      refused,
      start,
      accept,
      decline,
      hangup,
      toggleMute,
      toggleCamera,
      dismiss,
    ],
  );
  return (
    <CallContext.Provider value={value}>
      {children}
      {session ? <CallOverlay /> : null}
    </CallContext.Provider>
  );
}

export function useCalls(): CallContextValue {
  const value = useContext(CallContext);
  if (!value) throw new Error("useCalls outside CallProvider");
  return value;
}
