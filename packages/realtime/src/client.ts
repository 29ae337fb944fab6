import { backoffDelay } from "./backoff";
import type { Message } from "./chat";
import type { Envelope } from "./envelope";
import { Action, type EventData, type EventType, events, isEventType } from "./events";
import { parse } from "./parse";
import { RoomSequencer } from "./sequencer";
import { type Transport, type TransportSession, webSocketTransport } from "./transport";

export type ConnectionState = "connecting" | "open" | "reconnecting" | "closed";

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Missed messages of a room after `afterSeq`, oldest first; one page per call. */
export type History = (roomId: string, afterSeq: number) => Promise<Message[]>;

export interface ClientOptions {
  /** The WebSocket endpoint without the token, e.g. `wss://example.com/ws`. */
  url: string;
  /** Returns a valid access token; `refresh` asks for a new one (expired, or the server refused it). */
  token: (options: { refresh: boolean }) => Promise<string>;
  /** How resume fetches what it missed: `httpHistory(...)` against `GET /api/rooms/{id}/messages`. */
  history: History;
  transport?: Transport;
  /** API Gateway closes sockets idle for 10 minutes: ping well before that. */
  heartbeatMs?: number;
  /** No frame this long after a ping means the socket is dead even if it looks open. */
  pongTimeoutMs?: number;
  backoff?: { baseMs?: number; capMs?: number };
  /** A second resume this long after open catches what the sender's eventually consistent lookup missed. */
  settleMs?: number;
  random?: () => number;
  timers?: Timers;
  now?: () => number;
}

export interface EventMeta {
  id: string;
  ts: number;
  /** "live" from the socket, "resume" from the history fetch after a gap or reconnect. */
  source: "live" | "resume";
}

type Listener<T extends EventType> = (data: EventData<T>, meta: EventMeta) => void;

/** Whether a JWT's `exp` has passed (or is too close to open a socket with); an unreadable token is not judged. */
export function tokenExpired(token: string, nowMs: number, marginMs = 5_000): boolean {
  try {
    const part = token.split(".")[1] ?? "";
    const json = atob(
      part
        .replace(/-/g, "+")
        .replace(/_/g, "/")
        .padEnd(Math.ceil(part.length / 4) * 4, "="),
    );
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === "number" && exp * 1000 <= nowMs + marginMs;
  } catch {
    return false;
  }
}

/** Close codes that mean "your token was refused": refresh before the next attempt. */
const AUTH_CLOSE_CODES = new Set([1008, 4401, 4403]);
const MAX_RESUME_PAGES = 1_000;

/** Reconnects with jittered backoff and refetches after every gap, so listeners see each message once, in order. */
export class RealtimeClient {
  private readonly transport: Transport;
  private readonly timers: Timers;
  private readonly now: () => number;
  private readonly listeners = new Map<string, Set<Listener<never>>>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private readonly resyncListeners = new Set<() => void>();
  private readonly sequencer: RoomSequencer;
  private readonly resuming = new Map<string, Promise<void>>();
  private readonly resumeAgain = new Set<string>();
  private session: TransportSession | undefined;
  private current: ConnectionState = "closed";
  private attempt = 0;
  private stopped = true;
  private refreshNext = false;
  private reconnectTimer: unknown;
  private heartbeatTimer: unknown;
  private pongTimer: unknown;
  private settleTimer: unknown;
  private generation = 0;

  constructor(private readonly options: ClientOptions) {
    this.transport = options.transport ?? webSocketTransport();
    this.timers = options.timers ?? {
      setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
      clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
    };
    this.now = options.now ?? Date.now;
    this.sequencer = new RoomSequencer((message) => this.emit("chat.message", message, this.metaOf(message)));
  }

  get state(): ConnectionState {
    return this.current;
  }

  on<T extends EventType>(type: T, fn: Listener<T>): () => void {
    const set = this.listeners.get(type) ?? new Set();
    set.add(fn as Listener<never>);
    this.listeners.set(type, set);
    return () => set.delete(fn as Listener<never>);
  }

  onState(fn: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(fn);
    return () => this.stateListeners.delete(fn);
  }

  /** After each (re)connect and settle pass: edits and deletions take no seq, so views re-read to see missed ones. */
  onResync(fn: () => void): () => void {
    this.resyncListeners.add(fn);
    return () => this.resyncListeners.delete(fn);
  }

  /** Tells the client the UI already shows a room up to `lastSeq`; resume starts from there. */
  track(roomId: string, lastSeq: number): void {
    this.sequencer.track(roomId, lastSeq);
    if (this.current === "open") void this.resume(roomId);
  }

  untrack(roomId: string): void {
    this.sequencer.untrack(roomId);
  }

  lastSeq(roomId: string): number | undefined {
    return this.sequencer.lastSeq(roomId);
  }

  connect(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.attempt = 0;
    void this.open();
  }

  /** Sends a client action (`typing`, `ping`); dropped while not connected, as ephemeral actions should be. */
  send(action: Action): boolean {
    const parsed = Action.parse(action);
    if (this.current !== "open" || !this.session) return false;
    this.session.send(JSON.stringify(parsed));
    return true;
  }

  close(): void {
    this.stopped = true;
    this.generation++;
    this.clearTimers();
    const session = this.session;
    this.session = undefined;
    session?.close(1000, "client closed");
    this.setState("closed");
  }

  private async open() {
    const generation = ++this.generation;
    this.setState(this.attempt === 0 ? "connecting" : "reconnecting");
    let token: string;
    // Refresh once per refusal, not on every retry while the server is simply unreachable.
    const refresh = this.refreshNext;
    this.refreshNext = false;
    try {
      token = await this.options.token({ refresh });
      // The server closes a socket when its token expires: never reconnect with that dead token.
      if (!refresh && tokenExpired(token, this.now())) token = await this.options.token({ refresh: true });
    } catch {
      this.refreshNext ||= refresh;
      if (generation === this.generation) this.scheduleReconnect();
      return;
    }
    if (generation !== this.generation || this.stopped) return;
    const url = `${this.options.url}${this.options.url.includes("?") ? "&" : "?"}token=${encodeURIComponent(token)}`;
    this.session = this.transport.open(url, {
      open: () => {
        if (generation !== this.generation) return;
        this.attempt = 0;
        this.refreshNext = false;
        this.setState("open");
        this.startHeartbeat(generation);
        for (const roomId of this.sequencer.rooms()) void this.resume(roomId);
        this.resync();
        this.settleTimer = this.timers.setTimeout(() => {
          if (generation !== this.generation) return;
          for (const roomId of this.sequencer.rooms()) void this.resume(roomId);
          this.resync();
        }, this.options.settleMs ?? 2_000);
      },
      message: (text) => {
        if (generation !== this.generation) return;
        this.armPong(generation, false);
        this.onFrame(text);
      },
      close: ({ code, opened }) => {
        if (generation !== this.generation) return;
        this.session = undefined;
        this.clearTimers();
        if (this.stopped) return;
        // A refused handshake is most often an expired token: refresh once, not on every retry.
        if (AUTH_CLOSE_CODES.has(code) || (!opened && this.attempt === 0)) this.refreshNext = true;
        this.scheduleReconnect();
      },
    });
  }

  private scheduleReconnect() {
    if (this.stopped) return;
    this.setState("reconnecting");
    const delay = backoffDelay(this.attempt++, { ...this.options.backoff, random: this.options.random });
    this.timers.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = this.timers.setTimeout(() => void this.open(), delay);
  }

  private startHeartbeat(generation: number) {
    const every = this.options.heartbeatMs ?? 5 * 60_000;
    const tick = () => {
      if (generation !== this.generation || !this.session) return;
      this.session.send(JSON.stringify({ action: "ping" }));
      this.armPong(generation, true);
      this.heartbeatTimer = this.timers.setTimeout(tick, every);
    };
    this.heartbeatTimer = this.timers.setTimeout(tick, every);
  }

  /** After a ping, any frame proves the socket alive; silence means a half-open socket. */
  private armPong(generation: number, waiting: boolean) {
    this.timers.clearTimeout(this.pongTimer);
    this.pongTimer = undefined;
    if (!waiting) return;
    this.pongTimer = this.timers.setTimeout(() => {
      if (generation !== this.generation) return;
      this.session?.close(4000, "heartbeat timeout");
    }, this.options.pongTimeoutMs ?? 15_000);
  }

  private clearTimers() {
    this.timers.clearTimeout(this.reconnectTimer);
    this.timers.clearTimeout(this.heartbeatTimer);
    this.timers.clearTimeout(this.pongTimer);
    this.timers.clearTimeout(this.settleTimer);
  }

  private onFrame(text: string) {
    const envelope = parse(text);
    if (!envelope || !isEventType(envelope.type)) return;
    const checked = events[envelope.type].safeParse(envelope.data);
    if (!checked.success) return;
    const meta: EventMeta = { id: envelope.id, ts: envelope.ts, source: "live" };
    if (envelope.type === "chat.message") {
      const message = checked.data as Message;
      this.liveMeta.set(message.id, meta);
      const outcome = this.sequencer.push(message);
      this.liveMeta.delete(message.id);
      if (outcome === "buffered") void this.resume(message.roomId);
      return;
    }
    // Removed from a room: stop resuming it (history would answer 403 anyway).
    if (envelope.type === "room.updated" && !(checked.data as { member: boolean }).member)
      this.sequencer.untrack((checked.data as { roomId: string }).roomId);
    this.emit(envelope.type, checked.data as never, meta);
  }

  private readonly liveMeta = new Map<string, EventMeta>();

  private metaOf(message: Message): EventMeta {
    return this.liveMeta.get(message.id) ?? { id: `resume:${message.id}`, ts: this.now(), source: "resume" };
  }

  /** Fetches pages after the last delivered seq until the room is caught up; one run per room at a time. */
  private resume(roomId: string): Promise<void> {
    const running = this.resuming.get(roomId);
    if (running) {
      this.resumeAgain.add(roomId);
      return running;
    }
    const run = (async () => {
      try {
        for (let page = 0; page < MAX_RESUME_PAGES; page++) {
          const after = this.sequencer.lastSeq(roomId) ?? 0;
          const items = await this.options.history(roomId, after);
          for (const message of items) this.sequencer.push(message);
          if (items.length === 0 || (this.sequencer.lastSeq(roomId) ?? 0) === after) break;
        }
      } catch {
        // The next reconnect or gap retries; a failed fetch must not lose the buffered events.
        if (this.current === "open") this.timers.setTimeout(() => void this.resume(roomId), 1_000);
      } finally {
        this.resuming.delete(roomId);
        if (this.resumeAgain.delete(roomId)) void this.resume(roomId);
      }
    })();
    this.resuming.set(roomId, run);
    return run;
  }

  private emit<T extends EventType>(type: T, data: EventData<T>, meta: EventMeta) {
    for (const fn of this.listeners.get(type) ?? []) {
      try {
        (fn as Listener<T>)(data, meta);
      } catch (error) {
        console.error(`realtime listener for ${type} failed`, error);
      }
    }
  }

  private resync() {
    for (const fn of this.resyncListeners) {
      try {
        fn();
      } catch (error) {
        console.error("realtime resync listener failed", error);
      }
    }
  }

  private setState(state: ConnectionState) {
    if (state === this.current) return;
    this.current = state;
    for (const fn of this.stateListeners) fn(state);
  }
}

/** Resume over the HTTP API: `GET {apiUrl}/rooms/{id}/messages?afterSeq=&limit=`, with the same token. */
export function httpHistory(options: {
  apiUrl: string;
  token: (options: { refresh: boolean }) => Promise<string>;
  fetch?: typeof fetch;
  limit?: number;
}): History {
  const doFetch = options.fetch ?? globalThis.fetch;
  return async (roomId, afterSeq) => {
    const url = `${options.apiUrl}/rooms/${encodeURIComponent(roomId)}/messages?afterSeq=${afterSeq}&limit=${options.limit ?? 100}`;
    let response = await doFetch(url, {
      headers: { authorization: `Bearer ${await options.token({ refresh: false })}` },
    });
    if (response.status === 401)
      response = await doFetch(url, {
        headers: { authorization: `Bearer ${await options.token({ refresh: true })}` },
      });
    // Not a member any more: nothing to resume, and retrying would not help.
    if (response.status === 403 || response.status === 404) return [];
    if (!response.ok) throw new Error(`history ${roomId} answered ${response.status}`);
    const body = (await response.json()) as { items: Message[] };
    return body.items;
  };
}

export type { Envelope };
