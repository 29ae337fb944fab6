import type { NotificationItem } from "@asyncsns/realtime";
import { describe, expect, it } from "vitest";
import { type Lang, translate } from "../src/i18n/translate";
import {
  badgeText,
  initialNotifications,
  type NotificationsAction,
  type NotificationsState,
  notificationHref,
  notificationsReducer,
  sentenceSegments,
  sentenceText,
  unreadAfterRead,
} from "../src/lib/notification-logic";

const person = (name: string) => ({
  id: `usr_${name.toLowerCase()}`,
  handle: name.toLowerCase(),
  displayName: name,
  avatarUrl: null,
});
const [aki, ben, chie] = [person("Aki"), person("Ben"), person("Chie")];

const item = (id: string, minute: number, extra: Partial<NotificationItem> = {}): NotificationItem => ({
  id,
  type: "post.like",
  groupKey: `post.like:pst_${id}`,
  actors: [aki],
  actorCount: 1,
  subject: { kind: "post", id: `pst_${id}`, text: "hello" },
  read: false,
  createdAt: new Date(Date.UTC(2026, 11, 7, 12, minute)).toISOString(),
  updatedAt: new Date(Date.UTC(2026, 11, 7, 12, minute)).toISOString(),
  ...extra,
});

const t = (lang: Lang) => (key: Parameters<typeof translate>[1], vars?: Record<string, string | number>) =>
  translate(lang, key, vars);
const en = t("en");
const ja = t("ja");

describe("the grouped sentence", () => {
  const like = (actors: (typeof aki)[], actorCount: number) => ({
    type: "post.like" as const,
    actors,
    actorCount,
  });

  it("names one, two, or the first and how many others, in English with plurals", () => {
    expect(sentenceText(en, like([aki], 1))).toBe("Aki liked your post");
    expect(sentenceText(en, like([aki, ben], 2))).toBe("Aki and Ben liked your post");
    expect(sentenceText(en, like([aki, ben, chie], 3))).toBe("Aki and 2 others liked your post");
    expect(sentenceText(en, like([aki, ben, chie], 4))).toBe("Aki and 3 others liked your post");
    // The second actor's card is gone (deleted account) but they still count: "1 other", singular.
    expect(sentenceText(en, like([aki], 2))).toBe("Aki and 1 other liked your post");
  });

  it("uses Japanese phrasing: さん, と, ほか N 人, and the verb at the end", () => {
    expect(sentenceText(ja, like([aki], 1))).toBe("Aki さんがあなたの投稿にいいねしました");
    expect(sentenceText(ja, like([aki, ben], 2))).toBe("Aki さんと Ben さんがあなたの投稿にいいねしました");
    expect(sentenceText(ja, like([aki, ben, chie], 4))).toBe(
      "Aki さんほか 3 人があなたの投稿にいいねしました",
    );
  });

  it("has a sentence for every type, in both languages", () => {
    const types = [
      ["follow", "Aki and Ben followed you", "Aki さんと Ben さんがあなたをフォローしました"],
      [
        "post.repost",
        "Aki and Ben reposted your post",
        "Aki さんと Ben さんがあなたの投稿をリポストしました",
      ],
      ["post.reply", "Aki and Ben replied to your post", "Aki さんと Ben さんがあなたの投稿に返信しました"],
      ["post.mention", "Aki and Ben mentioned you", "Aki さんと Ben さんがあなたをメンションしました"],
      ["chat.message", "Aki and Ben sent you a message", "Aki さんと Ben さんからメッセージが届きました"],
      ["call.missed", "You missed a call from Aki and Ben", "Aki さんと Ben さんからの不在着信があります"],
      // Moderators act for the service: the sentence names no one.
      [
        "moderation.removed",
        "A moderator removed your post or message: it broke the rules",
        "ルールに反するため、モデレーターがあなたの投稿またはメッセージを削除しました",
      ],
    ] as const;
    for (const [type, english, japanese] of types) {
      expect(sentenceText(en, { type, actors: [aki, ben], actorCount: 2 })).toBe(english);
      expect(sentenceText(ja, { type, actors: [aki, ben], actorCount: 2 })).toBe(japanese);
    }
  });

  it("keeps the actors apart from the words, so their names can be shown as names", () => {
    expect(sentenceSegments(en, like([aki, ben, chie], 5))).toEqual([
      { kind: "actor", actor: aki },
      { kind: "text", text: " and 4 others liked your post" },
    ]);
    expect(sentenceSegments(ja, like([aki, ben], 2))).toEqual([
      { kind: "actor", actor: aki },
      { kind: "text", text: " さんと " },
      { kind: "actor", actor: ben },
      { kind: "text", text: " さんがあなたの投稿にいいねしました" },
    ]);
  });

  it("says someone when no actor card is left", () => {
    expect(sentenceText(en, like([], 0))).toBe("Someone liked your post");
  });
});

describe("badge text", () => {
  it("is empty at zero, exact up to 99, then 99+", () => {
    expect(badgeText(0)).toBe("");
    expect(badgeText(1)).toBe("1");
    expect(badgeText(99)).toBe("99");
    expect(badgeText(100)).toBe("99+");
    expect(badgeText(12_345)).toBe("99+");
  });
});

describe("where a row leads", () => {
  it("opens the post, the room, the follower, or the followers list for a group of follows", () => {
    expect(notificationHref(item("a", 1), "me")).toBe("/post/?id=pst_a");
    expect(
      notificationHref(item("b", 1, { type: "chat.message", subject: { kind: "room", id: "rom_1" } }), "me"),
    ).toBe("/chat/room/?id=rom_1");
    const follow = item("c", 1, { type: "follow", subject: undefined });
    expect(notificationHref(follow, "me")).toBe("/u/?h=aki");
    expect(notificationHref({ ...follow, actors: [aki, ben], actorCount: 2 }, "me")).toBe(
      "/u/followers/?h=me",
    );
  });
});

describe("the notifications state", () => {
  const run = (state: NotificationsState, ...actions: NotificationsAction[]) =>
    actions.reduce(notificationsReducer, state);
  const loaded = run(initialNotifications, {
    type: "page",
    items: [item("c", 3), item("b", 2), item("a", 1, { read: true })],
    cursor: "next",
    unread: 2,
    append: false,
  });
  const ids = (s: NotificationsState) => s.items?.map((i) => i.id);

  it("puts a new row on top and takes the server's unread count", () => {
    const next = run(loaded, { type: "created", item: item("d", 4), unread: 3 });
    expect(ids(next)).toEqual(["d", "c", "b", "a"]);
    expect(next.unread).toBe(3);
  });

  it("is idempotent by id: the same event twice leaves one row", () => {
    const event: NotificationsAction = { type: "created", item: item("d", 4), unread: 3 };
    expect(run(loaded, event, event)).toEqual(run(loaded, event));
  });

  it("moves a grouped row that gained an actor to the top, once", () => {
    const grown = item("b", 5, { actors: [ben, aki], actorCount: 2 });
    const next = run(loaded, { type: "created", item: grown, unread: 2 });
    expect(ids(next)).toEqual(["b", "c", "a"]);
    expect(next.items?.[0]?.actorCount).toBe(2);
    // An older copy arriving late (events crossed) does not undo it.
    const late = run(next, { type: "created", item: item("b", 2), unread: 2 });
    expect(late.items?.[0]).toEqual(grown);
  });

  it("counts a row that arrives before the list is read, without inventing a list", () => {
    const next = run(initialNotifications, { type: "created", item: item("d", 4), unread: 7 });
    expect(next.items).toBeNull();
    expect(next.unread).toBe(7);
  });

  it("marks read up to a row (it and older) or all, and repeats harmlessly", () => {
    const upToB: NotificationsAction = { type: "read", upTo: "b", unread: 1 };
    const once = run(loaded, upToB);
    expect(once.items?.map((i) => i.read)).toEqual([false, true, true]);
    expect(once.unread).toBe(1);
    expect(run(once, upToB)).toEqual(once);
    const all = run(loaded, { type: "read", upTo: null, unread: 0 });
    expect(all.items?.every((i) => i.read)).toBe(true);
    expect(all.unread).toBe(0);
  });

  it("leaves rows alone when the read row is not loaded, but takes the count", () => {
    const next = run(loaded, { type: "read", upTo: "zzz", unread: 0 });
    expect(next.items).toEqual(loaded.items);
    expect(next.unread).toBe(0);
  });

  it("drops a retracted row, or shows what is left of a group, idempotently", () => {
    const gone: NotificationsAction = { type: "removed", id: "c", item: null, unread: 1 };
    expect(ids(run(loaded, gone))).toEqual(["b", "a"]);
    expect(run(loaded, gone, gone)).toEqual(run(loaded, gone));
    const shrunk = item("b", 2, { actors: [ben], actorCount: 1 });
    const next = run(loaded, { type: "removed", id: "b", item: shrunk, unread: 2 });
    expect(ids(next)).toEqual(["c", "b", "a"]);
    expect(next.items?.[1]?.actors).toEqual([ben]);
  });

  it("appends older pages without repeating a row that moved up meanwhile", () => {
    const moved = run(loaded, { type: "created", item: item("x", 9), unread: 3 });
    const next = run(moved, {
      type: "page",
      items: [item("x", 0), item("older", 0)],
      cursor: null,
      unread: 3,
      append: true,
    });
    expect(ids(next)).toEqual(["x", "c", "b", "a", "older"]);
    expect(next.cursor).toBeNull();
  });

  it("merges the newest page read again after a reconnect, keeping older pages", () => {
    const next = run(loaded, {
      type: "head",
      items: [item("e", 6), item("c", 3, { read: true })],
      unread: 1,
    });
    expect(ids(next)).toEqual(["e", "c", "b", "a"]);
    expect(next.items?.[1]?.read).toBe(true);
    expect(next.cursor).toBe("next");
  });

  it("estimates the count a local read leaves until the server says", () => {
    expect(unreadAfterRead(loaded, null)).toBe(0);
    expect(unreadAfterRead(loaded, "b")).toBe(1);
    expect(unreadAfterRead(loaded, "unknown")).toBe(2);
  });

  it("forgets everything on sign-out", () => {
    expect(run(loaded, { type: "reset" })).toEqual(initialNotifications);
  });
});
