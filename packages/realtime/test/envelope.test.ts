import { describe, expect, it } from "vitest";
import { Action, envelope, parse } from "../src";

describe("envelopes", () => {
  it("builds {v, type, id, ts, data} and checks data against the event's schema", () => {
    const e = envelope("system.pong", { at: 5 });
    expect(e).toMatchObject({ v: 1, type: "system.pong", data: { at: 5 } });
    expect(e.id).not.toBe(envelope("system.pong", { at: 5 }).id);
    // @ts-expect-error wrong data for the type
    expect(() => envelope("system.pong", { at: "x" })).toThrow();
  });

  it("parses frames and rejects garbage without throwing", () => {
    expect(parse(JSON.stringify(envelope("system.error", { code: "c", message: "m" })))?.type).toBe(
      "system.error",
    );
    expect(parse("not json")).toBeUndefined();
    expect(parse(JSON.stringify({ v: 2, type: "x.y", id: "1", ts: 1, data: null }))).toBeUndefined();
  });

  it("knows the client actions", () => {
    expect(Action.safeParse({ action: "ping" }).success).toBe(true);
    expect(Action.safeParse({ action: "rm -rf" }).success).toBe(false);
  });
});
