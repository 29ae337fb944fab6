import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  backoffDelay,
  type ConnectionState,
  envelope,
  type Message,
  RealtimeClient,
  type Transport,
  type TransportHandlers,
} from "../src";
import { message } from "./fixtures";

/** A transport whose sockets the test opens, feeds and drops by hand. */
class FakeTransport implements Transport {
  sockets: { url: string; handlers: TransportHandlers; sent: string[]; closed: boolean }[] = [];
  open(url: string, handlers: TransportHandlers) {
    const socket = { url, handlers, sent: [] as string[], closed: false };
    this.sockets.push(socket);
    return {
      send: (text: string) => socket.sent.push(text),
      close: (code = 1000, reason = "") => {
        if (socket.closed) return;
        socket.closed = true;
        handlers.close({ code, reason, opened: true });
      },
    };
  }
  get last() {
    return this.sockets.at(-1)!;
  }
  accept() {
    this.last.handlers.open();
  }
  refuse() {
    this.last.closed = true;
    this.last.handlers.close({ code: 1006, reason: "", opened: false });
  }
  drop(code = 1006) {
    this.last.closed = true;
    this.last.handlers.close({ code, reason: "", opened: true });
  }
  deliver(m: Message) {
    this.last.handlers.message(JSON.stringify(envelope("chat.message", m)));
  }
}

/** The server's stored messages per room, answering history(afterSeq) one page (limit 3) at a time. */
function store() {
  const rooms = new Map<string, Message[]>();
  const calls: string[] = [];
  return {
    calls,
    add(m: Message) {
      rooms.set(m.roomId, [...(rooms.get(m.roomId) ?? []), m]);
    },
    history: async (roomId: string, afterSeq: number) => {
      calls.push(`${roomId}>${afterSeq}`);
      return (rooms.get(roomId) ?? []).filter((m) => m.seq > afterSeq).slice(0, 3);
    },
  };
}

const flush = () => vi.advanceTimersByTimeAsync(0);

describe("RealtimeClient", () => {
  let transport: FakeTransport;
  let server: ReturnType<typeof store>;
  let tokens: boolean[];
  let received: string[];
  let states: ConnectionState[];
  let client: RealtimeClient;

  beforeEach(() => {
    vi.useFakeTimers();
    transport = new FakeTransport();
    server = store();
    tokens = [];
    received = [];
    states = [];
    client = new RealtimeClient({
      url: "wss://example.test/ws",
      token: async ({ refresh }) => {
        tokens.push(refresh);
        return refresh ? "fresh" : "stale";
      },
      history: server.history,
      transport,
      random: () => 0.5,
      backoff: { baseMs: 1000, capMs: 8000 },
      heartbeatMs: 60_000,
      pongTimeoutMs: 5_000,
    });
    client.on("chat.message", (m, meta) => received.push(`${m.roomId}:${m.seq}:${meta.source}`));
    client.onState((s) => states.push(s));
  });
  afterEach(() => {
    client.close();
    vi.useRealTimers();
  });

  it("connects with the token in the query string and reports its state", async () => {
    client.connect();
    await flush();
    expect(transport.last.url).toBe("wss://example.test/ws?token=stale");
    transport.accept();
    expect(states).toEqual(["connecting", "open"]);
    expect(client.state).toBe("open");
  });

  it("reconnects with exponential backoff and full jitter, resetting after a success", async () => {
    client.connect();
    await flush();
    transport.refuse();
    expect(states.at(-1)).toBe("reconnecting");
    // random 0.5 → half of 1000, 2000, 4000, then capped at 8000.
    for (const wait of [500, 1000, 2000, 4000, 4000]) {
      const before = transport.sockets.length;
      await vi.advanceTimersByTimeAsync(wait - 1);
      expect(transport.sockets.length).toBe(before);
      await vi.advanceTimersByTimeAsync(1);
      expect(transport.sockets.length).toBe(before + 1);
      transport.refuse();
    }
    await vi.advanceTimersByTimeAsync(4000);
    transport.accept();
    transport.drop();
    await vi.advanceTimersByTimeAsync(500);
    expect(transport.sockets.length).toBe(8);
  });

  it("refreshes before reconnecting when the socket's token has expired, never reusing it", async () => {
    const jwt = (exp: number) =>
      `h.${Buffer.from(JSON.stringify({ exp: Math.floor(exp / 1000) })).toString("base64url")}.s`;
    const asked: boolean[] = [];
    const expiring = new RealtimeClient({
      url: "wss://example.test/ws",
      // The cached token the app hands out without a refresh has expired by the reconnect.
      token: async ({ refresh }) => {
        asked.push(refresh);
        return refresh ? jwt(Date.now() + 3_600_000) : jwt(Date.now() - 1000);
      },
      history: server.history,
      transport,
      random: () => 0.5,
      backoff: { baseMs: 1000, capMs: 8000 },
    });
    expiring.connect();
    await flush();
    expect(asked).toEqual([false, true]);
    expect(transport.sockets).toHaveLength(1);
    const exp = JSON.parse(
      Buffer.from(transport.last.url.split("token=")[1]!.split(".")[1]!, "base64url").toString(),
    ).exp;
    expect(exp * 1000).toBeGreaterThan(Date.now());
    expiring.close();
  });

  it("asks for a fresh token after a refused handshake or an auth close code", async () => {
    client.connect();
    await flush();
    transport.refuse();
    await vi.advanceTimersByTimeAsync(500);
    expect(tokens).toEqual([false, true]);
    expect(transport.last.url).toContain("token=fresh");
    // Refused again (the server is down, not the token): no refresh on every retry.
    transport.refuse();
    await vi.advanceTimersByTimeAsync(1000);
    expect(tokens).toEqual([false, true, false]);
    transport.accept();
    transport.drop(4401);
    await vi.advanceTimersByTimeAsync(500);
    expect(tokens).toEqual([false, true, false, true]);
    transport.accept();
    transport.drop(1001);
    await vi.advanceTimersByTimeAsync(500);
    expect(tokens.at(-1)).toBe(false);
  });

  it("pings on the heartbeat and treats silence after a ping as a dead socket", async () => {
    client.connect();
    await flush();
    transport.accept();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(transport.last.sent).toEqual([JSON.stringify({ action: "ping" })]);
    transport.last.handlers.message(JSON.stringify(envelope("system.pong", { at: 1 })));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(transport.last.sent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(transport.last.closed).toBe(true);
    expect(client.state).toBe("reconnecting");
  });

  it("after a reconnect fetches what it missed: every message once, in order", async () => {
    client.track("r", 0);
    client.connect();
    await flush();
    transport.accept();
    for (const seq of [1, 2]) {
      server.add(message("r", seq));
      transport.deliver(message("r", seq));
    }
    transport.drop();
    // Sent while the socket was down: seven messages, more than two history pages.
    for (let seq = 3; seq <= 9; seq++) server.add(message("r", seq));
    await vi.advanceTimersByTimeAsync(500);
    transport.accept();
    // A live event arrives before the history fetch answers, and a duplicate of it after.
    server.add(message("r", 10));
    transport.deliver(message("r", 10));
    await flush();
    transport.deliver(message("r", 10));
    await flush();
    expect(received.map((r) => Number(r.split(":")[1]))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(received[0]).toBe("r:1:live");
    expect(received[2]).toBe("r:3:resume");
    expect(server.calls).toContain("r>2");
  });

  it("fills a live gap from history without waiting for a reconnect", async () => {
    client.track("r", 0);
    client.connect();
    await flush();
    transport.accept();
    await flush();
    for (let seq = 1; seq <= 4; seq++) server.add(message("r", seq));
    transport.deliver(message("r", 1));
    transport.deliver(message("r", 4));
    expect(received).toEqual(["r:1:live"]);
    await flush();
    expect(received.map((r) => r.split(":")[1])).toEqual(["1", "2", "3", "4"]);
  });

  it("passes other events through typed, and drops frames that fail their schema", async () => {
    const reads: number[] = [];
    client.on("chat.read", (data) => reads.push(data.seq));
    client.connect();
    await flush();
    transport.accept();
    transport.last.handlers.message(
      JSON.stringify(envelope("chat.read", { roomId: "r", userId: "u", seq: 4 })),
    );
    transport.last.handlers.message(
      JSON.stringify({ v: 1, type: "chat.read", id: "x", ts: 1, data: { roomId: "r", seq: "nope" } }),
    );
    transport.last.handlers.message("garbage");
    expect(reads).toEqual([4]);
  });

  it("resumes once more shortly after opening, to catch a message its new connection missed", async () => {
    client.track("r", 0);
    client.connect();
    await flush();
    transport.accept();
    await flush();
    expect(received).toEqual([]);
    // Stored while the new connection was not yet visible to the sender: no live event ever comes.
    server.add(message("r", 1));
    await vi.advanceTimersByTimeAsync(2_000);
    expect(received).toEqual(["r:1:resume"]);
  });

  it("asks views to resync on every open and on the settle pass, not while disconnected", async () => {
    let resyncs = 0;
    client.onResync(() => resyncs++);
    client.connect();
    await flush();
    expect(resyncs).toBe(0);
    transport.accept();
    expect(resyncs).toBe(1);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(resyncs).toBe(2);
    // Dropped before its settle pass: that pass belongs to a dead socket and never runs.
    transport.drop();
    await vi.advanceTimersByTimeAsync(500);
    transport.accept();
    expect(resyncs).toBe(3);
    transport.drop();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(resyncs).toBe(3);
    transport.accept();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(resyncs).toBe(5);
  });

  it("stops resuming a room it was removed from", async () => {
    client.track("r", 0);
    client.connect();
    await flush();
    transport.accept();
    await flush();
    transport.last.handlers.message(
      JSON.stringify(envelope("room.updated", { roomId: "r", reason: "member_removed", member: false })),
    );
    expect(client.lastSeq("r")).toBeUndefined();
    const calls = server.calls.length;
    client.track("other", 0);
    transport.drop();
    await vi.advanceTimersByTimeAsync(500);
    transport.accept();
    await vi.advanceTimersByTimeAsync(2_000);
    // Only the room still tracked is resumed (when tracked, on open, and on the settle pass).
    expect(server.calls.slice(calls)).toEqual(["other>0", "other>0", "other>0"]);
  });

  it("stops for good on close()", async () => {
    client.connect();
    await flush();
    transport.accept();
    client.close();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(transport.sockets).toHaveLength(1);
    expect(client.state).toBe("closed");
    expect(client.send({ action: "typing", roomId: "r" })).toBe(false);
  });
});

describe("backoffDelay", () => {
  it("is uniform in [0, min(cap, base·2^n))", () => {
    expect(backoffDelay(0, { baseMs: 100, random: () => 0.999 })).toBe(99);
    expect(backoffDelay(3, { baseMs: 100, random: () => 0.5 })).toBe(400);
    expect(backoffDelay(50, { baseMs: 100, capMs: 1000, random: () => 0.5 })).toBe(500);
    expect(backoffDelay(5, { random: () => 0 })).toBe(0);
  });
});
