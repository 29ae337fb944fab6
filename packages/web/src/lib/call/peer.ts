// simple-peer behind a small adapter: trickle ICE, candidates held until the remote description exists, every
// signal type forwarded, camera swaps by replaceTrack, ICE restarts with fresh credentials.
import type { IceServer } from "@asyncsns/realtime";
import SimplePeer from "simple-peer";
import { isPeerSignal, type MediaFlags, type PeerSignal, SignalQueue } from "./call-logic";

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

export class CallPeer {
  private readonly peer: SimplePeer.Instance;
  private readonly queue = new SignalQueue();
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
    this.peer.on("signal", (data: PeerSignal) => handlers.signal(data));
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

  /** A signal from the other side; app-level ones (keepalive, state) are not the peer's and are dropped here. */
  signal(data: unknown): void {
    if (this.destroyed || !isPeerSignal(data)) return;
    for (const s of this.queue.push(data)) this.peer.signal(s as SimplePeer.SignalData);
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
    this.peer.destroy();
  }
}
