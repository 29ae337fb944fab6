// The ring's gate: no sound before the page has had a user gesture (browsers refuse it anyway), sound after one,
// and the returned stop closes it. Node has no window or WebAudio: a window (an EventTarget) and an AudioContext
// that records what the ring asks of it stand in; the e2e spec hears the real one in Chromium.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

class RecordingAudioContext {
  static made: RecordingAudioContext[] = [];
  state = "running";
  currentTime = 0;
  oscillators = 0;
  destination = {};
  constructor() {
    RecordingAudioContext.made.push(this);
  }
  createGain() {
    const param = { setValueAtTime() {}, linearRampToValueAtTime() {} };
    return { gain: param, connect() {} };
  }
  createOscillator() {
    this.oscillators++;
    return { frequency: { value: 0 }, connect() {}, start() {}, stop() {} };
  }
  close() {
    this.state = "closed";
    return Promise.resolve();
  }
}

let activation: { hasBeenActive: boolean };
let page: EventTarget;

beforeEach(() => {
  vi.resetModules();
  vi.useFakeTimers();
  RecordingAudioContext.made = [];
  activation = { hasBeenActive: false };
  page = Object.assign(new EventTarget(), {
    AudioContext: RecordingAudioContext,
    setInterval: globalThis.setInterval,
    clearInterval: globalThis.clearInterval,
  });
  vi.stubGlobal("window", page);
  vi.stubGlobal("navigator", { userActivation: activation });
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe("the ring", () => {
  it("stays silent before any gesture", async () => {
    const { startRinging } = await import("../src/lib/call/ring");
    const stop = startRinging();
    expect(RecordingAudioContext.made).toHaveLength(0);
    stop();
  });

  it("rings after a pointer or key press on the page, every 3 s, until stopped", async () => {
    const { startRinging } = await import("../src/lib/call/ring");
    page.dispatchEvent(new Event("keydown"));
    const stop = startRinging();
    expect(RecordingAudioContext.made).toHaveLength(1);
    const ctx = RecordingAudioContext.made[0]!;
    // Two bursts of two tones (440 and 480 Hz) at once, two more every 3 s.
    expect(ctx.oscillators).toBe(4);
    vi.advanceTimersByTime(6_000);
    expect(ctx.oscillators).toBe(12);
    stop();
    expect(ctx.state).toBe("closed");
    vi.advanceTimersByTime(6_000);
    expect(ctx.oscillators).toBe(12);
  });

  it("rings when the browser says the page was activated before this module loaded", async () => {
    activation.hasBeenActive = true;
    const { startRinging } = await import("../src/lib/call/ring");
    const stop = startRinging();
    expect(RecordingAudioContext.made).toHaveLength(1);
    stop();
  });
});
