import { describe, expect, it } from "vitest";
import { Action, envelope, events, isEventType, namespaces, parse } from "../src";
import { message } from "./fixtures";

describe("chat event schemas", () => {
  it("registers every chat and room event, with notification and call namespaces reserved", () => {
    for (const type of [
      "chat.message",
      "chat.message_updated",
      "chat.message_deleted",
      "chat.typing",
      "chat.read",
      "room.updated",
    ])
      expect(isEventType(type)).toBe(true);
    expect(namespaces).toEqual(expect.arrayContaining(["notification", "call"]));
    expect(isEventType("toString")).toBe(false);
  });

  it("builds a chat.message envelope that round-trips through parse", () => {
    const e = envelope("chat.message", message("rom_1", 3));
    const back = parse(JSON.stringify(e));
    expect(back).toMatchObject({ v: 1, type: "chat.message", data: { seq: 3, roomId: "rom_1" } });
    expect(events["chat.message"].parse(back?.data).seq).toBe(3);
  });

  it("refuses messages without a positive integer seq or with a wrong sender", () => {
    expect(() => envelope("chat.message", { ...message("r", 1), seq: 0 })).toThrow();
    expect(() => envelope("chat.message", { ...message("r", 1), seq: 1.5 })).toThrow();
    // @ts-expect-error sender must be an object
    expect(() => envelope("chat.message", { ...message("r", 1), sender: "u1" })).toThrow();
    expect(() => envelope("chat.read", { roomId: "r", userId: "u", seq: -1 })).toThrow();
  });

  it("knows the typing action and checks its room id", () => {
    expect(Action.safeParse({ action: "typing", roomId: "rom_1" }).success).toBe(true);
    expect(Action.safeParse({ action: "typing" }).success).toBe(false);
    expect(Action.safeParse({ action: "typing", roomId: "" }).success).toBe(false);
  });
});

describe("a call's entry in a room's history", () => {
  it("names only final states and the call's own kinds and end reasons", async () => {
    const { MessageCall } = await import("../src/chat");
    const { CALL_KINDS, CALL_STATES, END_REASONS } = await import("../src/call");
    expect(MessageCall.shape.kind.options).toEqual([...CALL_KINDS]);
    expect(MessageCall.shape.state.options).toEqual(
      CALL_STATES.filter((s) => s !== "ringing" && s !== "accepted"),
    );
    expect(MessageCall.shape.endReason.unwrap().options).toEqual(
      END_REASONS.filter((r) => r !== "answered_elsewhere"),
    );
  });
});
