import { describe, expect, it, vi } from "vitest";
import { type WebSocketLike, webSocketTransport } from "../src";

/** A WebSocket double driven by the test, shaped like the browser's. */
class FakeSocket implements WebSocketLike {
  static last: FakeSocket;
  readyState = 0;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  sent: string[] = [];
  constructor(readonly url: string) {
    FakeSocket.last = this;
  }
  send(data: string) {
    this.sent.push(data);
  }
  close(code = 1000, reason = "") {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
}

const handlers = () => ({ open: vi.fn(), message: vi.fn(), close: vi.fn() });

describe("webSocketTransport", () => {
  it("reports open, text frames and one close, and only sends while open", () => {
    const h = handlers();
    const session = webSocketTransport(FakeSocket).open("wss://x/ws?token=t", h);
    const socket = FakeSocket.last;
    expect(socket.url).toBe("wss://x/ws?token=t");
    session.send("early");
    expect(socket.sent).toEqual([]);
    socket.readyState = 1;
    socket.onopen?.({});
    session.send("hello");
    socket.onmessage?.({ data: '{"v":1}' });
    socket.onmessage?.({ data: new TextEncoder().encode("bytes").buffer });
    expect(h.open).toHaveBeenCalledOnce();
    expect(h.message.mock.calls).toEqual([['{"v":1}'], ["bytes"]]);
    expect(socket.sent).toEqual(["hello"]);
    session.close(4000, "bye");
    socket.onclose?.({ code: 1006, reason: "" });
    expect(h.close.mock.calls).toEqual([[{ code: 4000, reason: "bye", opened: true }]]);
  });

  it("reports a refused handshake as a close that never opened, even without a close event", async () => {
    const h = handlers();
    webSocketTransport(FakeSocket).open("wss://x/ws", h);
    FakeSocket.last.onerror?.({});
    await new Promise((r) => setTimeout(r, 0));
    expect(h.close).toHaveBeenCalledWith({ code: 1006, reason: "handshake failed", opened: false });
    FakeSocket.last.onclose?.({ code: 1006, reason: "" });
    expect(h.close).toHaveBeenCalledOnce();
  });
});
