// simple-peer behind a small adapter: trickle ICE, candidates held until the remote description exists, every
// signal type forwarded, camera swaps by replaceTrack, ICE restarts with fresh credentials.
import type { IceServer } from "@asyncsns/realtime";
import SimplePeer from "simple-peer";
import {
  batchFrames,
  collapseHeld,
  isPeerSignal,
  type MediaFlags,
  type PeerSignal,
  SignalQueue,
  unbatch,
} from "./call-logic";

/**
 * Relay-only ICE (`iceTransportPolicy: "relay"`): every packet goes through TURN, as the e2e spec and the bench
 * need to prove the relay works. On with `localStorage["asyncsns.forceRelay"] = "1"` in a browser, or for a whole
 * build with `NEXT_PUBLIC_ASYNCSNS_FORCE_RELAY=1`; off ("all") otherwise.
 */
export function forceRelay(): boolean {
  if (process.env.NEXT_PUBLIC_ASYNCSNS_FORCE_RELAY === "1") return true;
  try {
    return globalThis.localStorage?.getItem("asyncsns.forceRelay") === "1";
  } catch {
    return false;
  }
}

export interface PeerHandlers {
  /** A signal for the other side (SDP, candidate, renegotiation request). */
  signal: (data: PeerSignal) => void;
  connect: () => void;
  stream: (stream: MediaStream) => void;
  /** The other side's mute / camera state, over the data channel. */
  remoteState: (flags: MediaFlags) => void;
  /** The other side hung up (it says so before closing, ahead of the server's slower `call.ended`). */
  bye: () => void;
  ice: (state: RTCIceConnectionState) => void;
  close: () => void;
  error: (err: Error & { code?: string }) => void;
}

export interface PeerOptions {
  initiator: boolean;
  iceServers: IceServer[];
  video: boolean;
  /** Our camera and microphone; null to receive only. */
  stream: MediaStream | null;
  handlers: PeerHandlers;
}

const rtcConfig = (iceServers: IceServer[]): RTCConfiguration => ({
  iceServers: iceServers.map((s) => ({ urls: s.urls, username: s.username, credential: s.credential })),
  iceTransportPolicy: forceRelay() ? "relay" : "all",
  // Gather (and allocate on the relay) from the moment the peer exists: the callee's peer waits for the caller's
  // offer, and its candidates are ready by then instead of starting with its answer. Never changed afterwards (an
  // ICE restart's setConfiguration must keep it).
  iceCandidatePoolSize: 1,
});

/**
 * Applies each local answer as a provisional one (`pranswer`) first, then as the answer. Chromium gathers from the
 * candidate pool only if it is still there when gathering starts, and it empties the pool as a final answer is
 * applied, before the answerer starts gathering: the callee's peer, made while its call rang, would gather from
 * scratch after the offer (about 60 ms here, a TURN round trip or two more on a real network). Through a provisional
 * answer it takes the pooled relay candidates at once: 7–9 ms from the offer to a relay candidate instead of 60–75 in
 * Debian's Chromium 156 against the local coturn. A browser that refuses `pranswer` just applies the answer.
 * (The candidate pool and provisional answers: JSEP, RFC 9429.)
 */
function answerProvisionallyFirst(pc: RTCPeerConnection): void {
  const apply = pc.setLocalDescription.bind(pc);
  pc.setLocalDescription = async (description?: RTCLocalSessionDescriptionInit) => {
    if (description?.type === "answer" && description.sdp && pc.signalingState === "have-remote-offer") {
      await apply({ type: "pranswer", sdp: description.sdp }).catch(() => undefined);
    }
    return apply(description);
  };
}

/** Signals the peer makes this close together go out as one frame (the two relay candidates come together). */
export const COALESCE_MS = 5;
/**
 * An answer waits this long at most for its first candidate, then goes with the candidates in its SDP: the caller
 * can do nothing with one before the other. An offer never waits: the callee's answer and candidates wait for it.
 */
export const ANSWER_WAIT_MS = 100;

export class CallPeer {
  private readonly peer: SimplePeer.Instance;
  private readonly queue = new SignalQueue();
  /** Our signals not sent yet, and when they go (see COALESCE_MS, ANSWER_WAIT_MS). */
  private outgoing: PeerSignal[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly initiator: boolean;
  private videoSender: RTCRtpSender | null = null;
  private destroyed = false;

  constructor(options: PeerOptions) {
    this.initiator = options.initiator;
    const { handlers } = options;
    this.peer = new SimplePeer({
      initiator: options.initiator,
      trickle: true,
      config: rtcConfig(options.iceServers),
      stream: options.stream ?? undefined,
      // Receive media even when we send none (camera and microphone refused) or the other side sends more.
      offerOptions: { offerToReceiveAudio: true, offerToReceiveVideo: options.video },
    });
    if (!options.initiator) answerProvisionallyFirst(this.pc);
    this.peer.on("signal", (data: PeerSignal) => this.outgo(data, handlers.signal));
    this.peer.on("connect", () => handlers.connect());
    this.peer.on("stream", (stream: MediaStream) => handlers.stream(stream));
    this.peer.on("data", (raw: Uint8Array | string) => {
      try {
        const text = typeof raw === "string" ? raw : new TextDecoder().decode(raw);
        const msg = JSON.parse(text) as { type?: unknown; muted?: unknown; cameraOff?: unknown };
        if (msg.type === "state")
          handlers.remoteState({ muted: msg.muted === true, cameraOff: msg.cameraOff === true });
        else if (msg.type === "bye") handlers.bye();
      } catch {
        // Not ours: ignore.
      }
    });
    this.peer.on("iceStateChange", (state: RTCIceConnectionState) => handlers.ice(state));
    this.peer.on("close", () => {
      if (!this.destroyed) handlers.close();
    });
    this.peer.on("error", (err: Error & { code?: string }) => {
      if (!this.destroyed) handlers.error(err);
    });
    const video = options.stream?.getVideoTracks()[0];
    if (video) this.videoSender = this.pc.getSenders().find((s) => s.track === video) ?? null;
  }

  /** The underlying connection (stats, senders; and the e2e spec's debug handle). */
  get pc(): RTCPeerConnection {
    return (this.peer as unknown as { _pc: RTCPeerConnection })._pc;
  }

  /** Our signal, sent with those made at about the same time; an answer alone waits for its first candidate. */
  private outgo(data: PeerSignal, send: (frame: PeerSignal) => void): void {
    if (this.destroyed) return;
    this.outgoing.push(data);
    const answerAlone =
      this.outgoing.every((s) => s.type === "answer") && this.pc.iceGatheringState !== "complete";
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = setTimeout(
      () => {
        this.flushTimer = null;
        if (this.destroyed) return;
        // The description as it is now carries the candidates gathered meanwhile: those are not sent twice.
        const signals = collapseHeld(this.outgoing.splice(0), this.pc.localDescription);
        for (const frame of batchFrames(signals)) send(frame as PeerSignal);
      },
      answerAlone ? ANSWER_WAIT_MS : COALESCE_MS,
    );
  }

  /**
   * A frame from the other side (one signal or a batch); app-level signals (keepalive, state) are not the peer's and
   * are dropped here.
   */
  signal(frame: unknown): void {
    for (const data of unbatch(frame)) {
      if (this.destroyed || !isPeerSignal(data)) continue;
      for (const s of this.queue.push(data)) this.peer.signal(s as SimplePeer.SignalData);
    }
  }

  sendState(flags: MediaFlags): void {
    this.send({ type: "state", ...flags });
  }

  /** Tells the other side this is a hang-up, not a lost connection, before the peer closes. */
  sendBye(): void {
    this.send({ type: "bye" });
  }

  private send(message: object): void {
    if (this.destroyed || !this.peer.connected) return;
    try {
      this.peer.send(JSON.stringify(message));
    } catch {
      // The channel closed in between: state is sent again on the next change; a bye has the server behind it.
    }
  }

  /**
   * Our camera and microphone, for a peer made before them: the callee's, made while its call rang so its relay
   * candidates were gathered by the time it answered. Before the caller's offer, the tracks go on the connection
   * itself: applying the offer gives each section of its kind to a transceiver addTrack made, so the answer sends them
   * and nothing is renegotiated (simple-peer would ask the caller for a new offer). After it, simple-peer renegotiates.
   */
  attachMedia(stream: MediaStream): void {
    if (this.destroyed) return;
    if (this.pc.remoteDescription) this.peer.addStream(stream);
    else for (const track of stream.getTracks()) this.pc.addTrack(track, stream);
    const video = stream.getVideoTracks()[0];
    if (video) this.videoSender = this.pc.getSenders().find((s) => s.track === video) ?? null;
  }

  /** Camera off (null) or on (a new track) without renegotiation: the sender keeps its slot in the SDP. */
  async setVideoTrack(track: MediaStreamTrack | null): Promise<void> {
    if (!this.videoSender) {
      this.videoSender =
        this.pc.getTransceivers().find((t) => t.receiver.track?.kind === "video")?.sender ?? null;
    }
    await this.videoSender?.replaceTrack(track);
  }

  /**
   * Restarts ICE with fresh credentials: both sides swap their TURN credentials; the initiator makes the
   * `iceRestart` offer, the other side asks it to (simple-peer's renegotiate request).
   */
  restartIce(iceServers: IceServer[]): void {
    if (this.destroyed) return;
    this.pc.setConfiguration({ ...this.pc.getConfiguration(), ...rtcConfig(iceServers) });
    if (this.initiator) this.pc.restartIce();
    (this.peer as unknown as { negotiate: () => void }).negotiate();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.peer.destroy();
  }
}
