import { NOTIFICATION_TYPES } from "@asyncsns/realtime";
import { describe, expect, it } from "vitest";
import { actorOrder, groupKeyOf, notificationId, preview, rowIdOf, rowOrder } from "../src/notification/keys";
import { Preferences } from "../src/notification/preferences";
import { withRecent } from "../src/notification/store";

describe("notificationId", () => {
  it("is stable: the same event derives the same id every time", () => {
    const a = notificationId("u1", "post.like", "pst_1", "u2");
    expect(a).toMatch(/^ntf_[0-9a-f]{32}$/);
    expect(notificationId("u1", "post.like", "pst_1", "u2")).toBe(a);
  });

  it("differs in each part: recipient, type, subject, actor", () => {
    const ids = new Set([
      notificationId("u1", "post.like", "pst_1", "u2"),
      notificationId("u3", "post.like", "pst_1", "u2"),
      notificationId("u1", "post.repost", "pst_1", "u2"),
      notificationId("u1", "post.like", "pst_2", "u2"),
      notificationId("u1", "post.like", "pst_1", "u3"),
      notificationId("u1", "follow", undefined, "u2"),
    ]);
    expect(ids.size).toBe(6);
  });

  it("cannot be confused by separators inside the parts", () => {
    expect(notificationId("a", "post.like", "b:c", "d")).not.toBe(
      notificationId("a", "post.like", "b", "c:d"),
    );
  });

  it("never equals a row id", () => {
    expect(notificationId("u1", "post.like", "pst_1", "u2")).not.toBe(rowIdOf("u1", "post.like:pst_1"));
  });
});

describe("groupKeyOf", () => {
  const at = Date.UTC(2026, 11, 7, 23, 59, 59, 999);

  it("groups likes and reposts per post and chat per room", () => {
    expect(groupKeyOf("post.like", "pst_1", at)).toBe("post.like:pst_1");
    expect(groupKeyOf("post.repost", "pst_1", at)).toBe("post.repost:pst_1");
    expect(groupKeyOf("chat.message", "rom_1", at)).toBe("chat.message:rom_1");
  });

  it("groups follows per UTC day", () => {
    expect(groupKeyOf("follow", undefined, at)).toBe("follow:2026-12-07");
    expect(groupKeyOf("follow", undefined, at + 1)).toBe("follow:2026-12-08");
  });

  it("keeps replies, mentions and missed calls one row per subject", () => {
    expect(groupKeyOf("post.reply", "pst_9", at)).toBe("post.reply:pst_9");
    expect(groupKeyOf("post.mention", "pst_9", at)).toBe("post.mention:pst_9");
    expect(groupKeyOf("call.missed", "cal_1", at)).toBe("call.missed:cal_1");
  });

  it("refuses a subject-less event of a type that needs one", () => {
    expect(() => groupKeyOf("post.like", undefined, at)).toThrow(/subject/);
  });
});

describe("orders", () => {
  it("sort as strings the way the times sort", () => {
    const keys = [rowOrder(999, "ntf_b"), rowOrder(1_000, "ntf_a"), rowOrder(1_765_000_000_000, "ntf_c")];
    expect([...keys].sort()).toEqual(keys);
    expect(actorOrder(5, "z") < actorOrder(10, "a")).toBe(true);
  });
});

describe("withRecent", () => {
  it("keeps the newest three, newest first, each actor once", () => {
    let recent: { id: string; at: number }[] = [];
    for (const [id, at] of [
      ["a", 1],
      ["b", 2],
      ["c", 3],
      ["d", 4],
    ] as const)
      recent = withRecent(recent, { id, at });
    expect(recent.map((r) => r.id)).toEqual(["d", "c", "b"]);
    expect(withRecent(recent, { id: "b", at: 5 }).map((r) => r.id)).toEqual(["b", "d", "c"]);
  });

  it("leaves out an actor older than the three shown", () => {
    const recent = [
      { id: "c", at: 30 },
      { id: "b", at: 20 },
      { id: "a", at: 10 },
    ];
    expect(withRecent(recent, { id: "old", at: 5 })).toEqual(recent);
  });
});

describe("preview", () => {
  it("bounds the text to 140 characters without splitting a surrogate pair", () => {
    expect(preview("x".repeat(200))).toHaveLength(140);
    expect(Array.from(preview("😀".repeat(200)))).toHaveLength(140);
  });
});

describe("Preferences", () => {
  it("defaults every type to in-app, push, from everyone", () => {
    const prefs = Preferences.defaults();
    expect(Object.keys(prefs).sort()).toEqual([...NOTIFICATION_TYPES].sort());
    for (const pref of Object.values(prefs))
      expect(pref).toEqual({ inApp: true, push: true, from: "everyone" });
  });

  it("applies the from rule to each relation", () => {
    const relations = [
      { following: false, followedBy: false },
      { following: true, followedBy: false },
      { following: false, followedBy: true },
      { following: true, followedBy: true },
    ];
    const allowed = (from: "everyone" | "following" | "followers" | "mutuals") =>
      relations.map((r) => Preferences.allows({ inApp: true, push: true, from }, r));
    expect(allowed("everyone")).toEqual([true, true, true, true]);
    expect(allowed("following")).toEqual([false, true, false, true]);
    expect(allowed("followers")).toEqual([false, false, true, true]);
    expect(allowed("mutuals")).toEqual([false, false, false, true]);
  });

  it("validates a patch: any subset, unknown types dropped, bad values refused", () => {
    expect(
      Preferences.schema.parse({ follow: { inApp: false, push: false, from: "everyone" }, "no.such": {} }),
    ).toEqual({ follow: { inApp: false, push: false, from: "everyone" } });
    expect(() => Preferences.schema.parse({ follow: { inApp: "no" } })).toThrow();
  });
});

describe("the store's keys and the table stream", () => {
  it("match no stream filter, so notifications never wake a stream subscriber", async () => {
    const { streamFilters, unionOf, matchesAny } = await import("../../functions/src/stream/filters");
    const E = await import("../src/notification/notification.entity");
    const rowId = rowIdOf("u1", "post.like:pst_1");
    const row = {
      recipient: "u1",
      rowId,
      type: "post.like",
      groupKey: "post.like:pst_1",
      actorCount: 1,
      recent: [{ id: "u2", at: 1 }],
      unread: true,
      gen: 0,
      createdAt: 1,
      updatedAt: 1,
      order: rowOrder(1, rowId),
      version: 1,
    };
    const items = [
      E.NotificationStateEntity.put({ recipient: "u1", unread: 1, gen: 0 }).params().Item,
      E.NotificationRowEntity.put(row).params().Item,
      E.NotificationSlotEntity.put({ ...row, inbox: "u1" }).params().Item,
      E.NotificationMarkEntity.put({
        recipient: "u1",
        markId: notificationId("u1", "post.like", "pst_1", "u2"),
        state: "live",
        at: 1,
        actor: "u2",
        version: 1,
      }).params().Item,
      E.NotificationMemberEntity.put({ rowId, actor: "u2", marks: 1, lastAt: 1 }).params().Item,
      E.NotificationActorEntity.put({ rowId, order: actorOrder(1, "u2"), actor: "u2", at: 1 }).params().Item,
      E.NotificationPreferencesEntity.put({ recipient: "u1", types: {}, version: 1 }).params().Item,
    ];
    const filters = unionOf(Object.values(streamFilters));
    for (const item of items)
      for (const eventName of ["INSERT", "MODIFY", "REMOVE"]) {
        const record = { eventName, dynamodb: { Keys: { pk: { S: item.pk }, sk: { S: item.sk } } } };
        expect(matchesAny(record, filters), `${item.pk} ${item.sk}`).toBe(false);
      }
  });
});
