import { describe, expect, it } from "vitest";
import {
  LATE_WRITE_SECONDS,
  lateSweepSecondsOf,
  lateSweepsOf,
  MAX_LATE_SWEEP_DELAY_SECONDS,
  SweepMessage,
} from "../src/account/index";

describe("late sweeps after an account deletion", () => {
  it("are spaced by an SQS delay: whole seconds in 1..900, 900 unless configured", () => {
    expect(lateSweepSecondsOf(undefined)).toBe(MAX_LATE_SWEEP_DELAY_SECONDS);
    expect(lateSweepSecondsOf("2")).toBe(2);
    expect(lateSweepSecondsOf("1.2")).toBe(2);
    expect(lateSweepSecondsOf("0")).toBe(1);
    expect(lateSweepSecondsOf("5000")).toBe(900);
    expect(lateSweepSecondsOf("soon")).toBe(900);
  });

  it("by default cover the whole window a late write can land in", () => {
    const seconds = lateSweepSecondsOf(undefined);
    const count = lateSweepsOf(seconds);
    expect(count * seconds).toBeGreaterThanOrEqual(LATE_WRITE_SECONDS);
    expect(count).toBe(5);
    // A suite's count wins; nonsense falls back to the window's.
    expect(lateSweepsOf(2, "10")).toBe(10);
    expect(lateSweepsOf(900, "none")).toBe(5);
    expect(lateSweepsOf(1)).toBe(100);
  });

  it("are told apart from a sweep by their message", () => {
    expect(SweepMessage.parse({ userId: "u1" })).toEqual({ userId: "u1" });
    expect(SweepMessage.parse({ userId: "u1", late: 3 })).toEqual({ userId: "u1", late: 3 });
    expect(() => SweepMessage.parse({ userId: "u1", late: -1 })).toThrow();
  });
});
