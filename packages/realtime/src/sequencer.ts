import type { Message } from "./chat";

/** Live events ahead of a gap wait until history fills it, so the UI gets each message once, in seq order. */
export class RoomSequencer {
  private readonly last = new Map<string, number>();
  private readonly pending = new Map<string, Map<number, Message>>();

  constructor(private readonly deliver: (message: Message) => void) {}

  /** Starts (or moves forward) a room at the last seq the UI already shows. */
  track(roomId: string, lastSeq: number): void {
    const current = this.last.get(roomId);
    if (current === undefined || lastSeq > current) this.last.set(roomId, lastSeq);
    this.drain(roomId);
  }

  /** Forgets a room (the user left or was removed): no more resume, buffered events dropped. */
  untrack(roomId: string): void {
    this.last.delete(roomId);
    this.pending.delete(roomId);
  }

  rooms(): string[] {
    return [...this.last.keys()];
  }

  lastSeq(roomId: string): number | undefined {
    return this.last.get(roomId);
  }

  /** Whether messages are waiting behind a gap in this room. */
  hasGap(roomId: string): boolean {
    return (this.pending.get(roomId)?.size ?? 0) > 0;
  }

  /** Accepts a message from any source; returns "delivered", "duplicate" or "buffered". */
  push(message: Message): "delivered" | "duplicate" | "buffered" {
    // A room we have never seen starts here: its first event is where the UI begins.
    if (!this.last.has(message.roomId)) this.last.set(message.roomId, message.seq - 1);
    const last = this.last.get(message.roomId)!;
    if (message.seq <= last) return "duplicate";
    if (message.seq > last + 1) {
      const buffer = this.pending.get(message.roomId) ?? new Map<number, Message>();
      if (buffer.has(message.seq)) return "duplicate";
      buffer.set(message.seq, message);
      this.pending.set(message.roomId, buffer);
      return "buffered";
    }
    this.last.set(message.roomId, message.seq);
    this.deliver(message);
    this.drain(message.roomId);
    return "delivered";
  }

  private drain(roomId: string) {
    const buffer = this.pending.get(roomId);
    if (!buffer) return;
    let last = this.last.get(roomId)!;
    for (const seq of [...buffer.keys()]) if (seq <= last) buffer.delete(seq);
    for (let next = buffer.get(last + 1); next; next = buffer.get(last + 1)) {
      buffer.delete(next.seq);
      last = next.seq;
      this.last.set(roomId, last);
      this.deliver(next);
    }
    if (buffer.size === 0) this.pending.delete(roomId);
  }
}
