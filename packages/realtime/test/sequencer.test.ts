import { describe, expect, it } from "vitest";
import { type Message, RoomSequencer } from "../src";
import { message } from "./fixtures";

function collect() {
  const out: Message[] = [];
  return { out, seq: new RoomSequencer((m) => out.push(m)) };
}

describe("per-room seq handling", () => {
  it("delivers in order and drops duplicates", () => {
    const { out, seq } = collect();
    seq.track("r", 0);
    expect(seq.push(message("r", 1))).toBe("delivered");
    expect(seq.push(message("r", 1))).toBe("duplicate");
    expect(seq.push(message("r", 2))).toBe("delivered");
    expect(out.map((m) => m.seq)).toEqual([1, 2]);
  });

  it("buffers events past a gap until the gap is filled, then releases them in order", () => {
    const { out, seq } = collect();
    seq.track("r", 10);
    expect(seq.push(message("r", 13))).toBe("buffered");
    expect(seq.push(message("r", 12))).toBe("buffered");
    expect(seq.hasGap("r")).toBe(true);
    expect(out).toEqual([]);
    expect(seq.push(message("r", 11))).toBe("delivered");
    expect(out.map((m) => m.seq)).toEqual([11, 12, 13]);
    expect(seq.hasGap("r")).toBe(false);
    expect(seq.lastSeq("r")).toBe(13);
  });

  it("keeps rooms independent and starts an unknown room at its first event", () => {
    const { out, seq } = collect();
    seq.track("a", 0);
    seq.push(message("b", 7));
    seq.push(message("a", 2));
    seq.push(message("b", 8));
    expect(out.map((m) => `${m.roomId}${m.seq}`)).toEqual(["b7", "b8"]);
    expect(seq.lastSeq("a")).toBe(0);
  });

  it("moves forward when the UI tracks a later seq, releasing buffered events past it", () => {
    const { out, seq } = collect();
    seq.track("r", 0);
    seq.push(message("r", 5));
    seq.push(message("r", 6));
    seq.track("r", 4);
    expect(out.map((m) => m.seq)).toEqual([5, 6]);
    seq.track("r", 2);
    expect(seq.lastSeq("r")).toBe(6);
  });
});
