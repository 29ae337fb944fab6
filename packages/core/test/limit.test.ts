// Fixed-window maths of the per-user limits, and the one table they are read from.
import { describe, expect, it } from "vitest";
import { ACTIONS, DEFAULT_LIMITS, scaled } from "../src/limit/rules";
import { costOf, expireAt, humanWait, retryAfter, ruleName, windowEnd, windowOf } from "../src/limit/window";

const TEN_MINUTES = 600;

describe("windows", () => {
  it("are aligned to the epoch, so every request in one window shares its counter", () => {
    const start = 1_800_000_000_000 - (1_800_000_000_000 % (TEN_MINUTES * 1000));
    expect(windowOf(start, TEN_MINUTES)).toBe(windowOf(start + TEN_MINUTES * 1000 - 1, TEN_MINUTES));
    expect(windowOf(start + TEN_MINUTES * 1000, TEN_MINUTES)).toBe(windowOf(start, TEN_MINUTES) + 1);
    expect(windowEnd(windowOf(start, TEN_MINUTES), TEN_MINUTES)).toBe(start + TEN_MINUTES * 1000);
  });

  it("say how long until the window ends, in whole seconds and never 0", () => {
    const start = 1_800_000_000_000 - (1_800_000_000_000 % (TEN_MINUTES * 1000));
    expect(retryAfter(start, TEN_MINUTES)).toBe(TEN_MINUTES);
    expect(retryAfter(start + 1, TEN_MINUTES)).toBe(TEN_MINUTES);
    expect(retryAfter(start + 1001, TEN_MINUTES)).toBe(TEN_MINUTES - 1);
    expect(retryAfter(start + TEN_MINUTES * 1000 - 1, TEN_MINUTES)).toBe(1);
  });

  it("expire (TTL, epoch seconds) after the window ends, never before", () => {
    const now = 1_800_000_123_456;
    const end = windowEnd(windowOf(now, TEN_MINUTES), TEN_MINUTES) / 1000;
    expect(expireAt(now, TEN_MINUTES)).toBeGreaterThan(end);
    expect(expireAt(now, TEN_MINUTES)).toBeLessThanOrEqual(end + 120);
  });
});

describe("rules", () => {
  it("cost one per request, or the bytes for a bytes rule", () => {
    expect(costOf({ seconds: 60, max: 5 }, 1234)).toBe(1);
    expect(costOf({ seconds: 60, max: 5000, unit: "bytes" }, 1234)).toBe(1234);
  });

  it("have distinct names within each action, since names are part of the counter's key", () => {
    for (const action of ACTIONS) {
      const names = DEFAULT_LIMITS[action].map(ruleName);
      expect(new Set(names).size, action).toBe(names.length);
    }
  });

  it("cover every action, including call invites for the calls to come", () => {
    expect(Object.keys(DEFAULT_LIMITS).sort()).toEqual([...ACTIONS].sort());
    expect(DEFAULT_LIMITS.callInvite.length).toBeGreaterThan(0);
  });

  it("scale every max (suites raise them) and never to zero", () => {
    const raised = scaled(DEFAULT_LIMITS, 100);
    expect(raised.post[0]!.max).toBe(DEFAULT_LIMITS.post[0]!.max * 100);
    expect(raised.post[0]!.seconds).toBe(DEFAULT_LIMITS.post[0]!.seconds);
    expect(scaled(DEFAULT_LIMITS, 0.0001).room[0]!.max).toBe(1);
  });
});

describe("humanWait", () => {
  it("rounds up to seconds, minutes or hours", () => {
    expect(humanWait(1)).toBe("1 second");
    expect(humanWait(59)).toBe("59 seconds");
    expect(humanWait(60)).toBe("1 minute");
    expect(humanWait(61)).toBe("2 minutes");
    expect(humanWait(7140)).toBe("119 minutes");
    expect(humanWait(7199)).toBe("2 hours");
  });
});
