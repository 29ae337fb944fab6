import { envelope } from "@asyncsns/realtime";
import { beforeEach, describe, expect, it, vi } from "vitest";

const live = new Map<string, number>();
const published: { type: string; actor: string; recipient: string }[][] = [];
let topicFails = false;

vi.mock("../src/realtime", () => ({
  Realtime: {
    publishMany: async (userIds: string[]) => new Map(userIds.map((id) => [id, live.get(id) ?? 0])),
  },
}));
vi.mock("../src/notification", () => ({
  Notification: {
    publish: async (events: { type: string; actor: string; recipient: string }[]) => {
      if (topicFails) throw new Error("sns down");
      published.push(events);
      return events.length;
    },
  },
}));

const { deliver } = await import("../src/chat/delivery");
const event = envelope("chat.read", { roomId: "r", userId: "alice", seq: 1 });

describe("chat delivery", () => {
  beforeEach(() => {
    live.clear();
    published.length = 0;
    topicFails = false;
  });

  it("sends offline members (not the actor) to the notification topic, live ones only over the socket", async () => {
    live.set("bob", 2);
    const result = await deliver(["alice", "bob", "carol", "dave"], event, {
      actor: "alice",
      offline: "notify",
    });
    expect(result).toEqual({ live: 1, notified: 2 });
    expect(published.flat().map((e) => [e.type, e.actor, e.recipient])).toEqual([
      ["chat.read", "alice", "carol"],
      ["chat.read", "alice", "dave"],
    ]);
  });

  it("publishes nothing for ephemeral events, and a topic failure never fails the write", async () => {
    expect(await deliver(["alice", "bob"], event, { actor: "alice" })).toEqual({ live: 0, notified: 0 });
    expect(published).toEqual([]);
    topicFails = true;
    vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(await deliver(["alice", "bob"], event, { actor: "alice", offline: "notify" })).toEqual({
      live: 0,
      notified: 0,
    });
  });
});
