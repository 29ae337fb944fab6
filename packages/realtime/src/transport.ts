/** What a transport reports; the client never sees a WebSocket, so WebTransport can slot in later. */
export interface TransportHandlers {
  open(): void;
  message(text: string): void;
  /** `opened` is false when the handshake itself failed (refused token, server down). */
  close(info: { code: number; reason: string; opened: boolean }): void;
}

export interface TransportSession {
  send(text: string): void;
  close(code?: number, reason?: string): void;
}

export interface Transport {
  open(url: string, handlers: TransportHandlers): TransportSession;
}

/** The subset of the browser WebSocket the transport uses; `ws` in Node satisfies it too. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}
export type WebSocketConstructor = new (url: string) => WebSocketLike;

const OPEN = 1;

/** The WebSocket transport; pass the constructor in Node (`ws`) or tests, the browser's is the default. */
export function webSocketTransport(Impl?: WebSocketConstructor): Transport {
  return {
    open(url, handlers) {
      const Ctor = Impl ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
      if (!Ctor) throw new Error("No WebSocket implementation: pass one to webSocketTransport()");
      const socket = new Ctor(url);
      let opened = false;
      let closed = false;
      const finish = (code: number, reason: string) => {
        if (closed) return;
        closed = true;
        handlers.close({ code, reason, opened });
      };
      socket.onopen = () => {
        opened = true;
        handlers.open();
      };
      socket.onmessage = (ev) => {
        if (typeof ev.data === "string") handlers.message(ev.data);
        else if (ev.data instanceof ArrayBuffer) handlers.message(new TextDecoder().decode(ev.data));
        else if (ev.data && typeof (ev.data as { toString(): string }).toString === "function")
          handlers.message(String(ev.data));
      };
      socket.onclose = (ev) => finish(ev.code, ev.reason);
      // A failed handshake fires error then close; some implementations skip close, so settle here too.
      socket.onerror = () => {
        if (!opened) setTimeout(() => finish(1006, "handshake failed"), 0);
      };
      return {
        send(text) {
          if (socket.readyState === OPEN) socket.send(text);
        },
        close(code = 1000, reason = "") {
          try {
            socket.close(code, reason);
          } catch {
            socket.close();
          }
          finish(code, reason);
        },
      };
    },
  };
}
