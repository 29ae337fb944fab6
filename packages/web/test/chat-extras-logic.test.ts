import { describe, expect, it } from "vitest";
import type { Message } from "../src/lib/api-types";
import {
  applyReaction,
  dayLabel,
  firstUnread,
  keepMine,
  mergeMessages,
  totalUnread,
  unreadAfterMessage,
  unreadAfterRead,
} from "../src/lib/chat-logic";

const msg = (seq: number, from: string, extra: Partial<Message> = {}): Message => ({
  id: `msg_${seq}`,
  roomId: "rom_1",
  seq,
  sender: { id: from, handle: from, displayName: from, avatarUrl: null },
  text: `m${seq}`,
  media: [],
  replyTo: null,
  createdAt: new Date(Date.UTC(2026, 0, 1, 12, 0, seq)).toISOString(),
  editedAt: null,
  deleted: false,
  reactions: [],
  ...extra,
});

describe("reactions in the view", () => {
  it("applies counts from events, marking the reader's own and keeping the fixed order", () => {
    let list = [msg(1, "a"), msg(2, "b")];
    list = applyReaction(list, { seq: 2, emoji: "🙏", count: 1, userId: "b", reacted: true }, "me");
    list = applyReaction(list, { seq: 2, emoji: "👍", count: 1, userId: "me", reacted: true }, "me");
    expect(list[1]!.reactions).toEqual([
      { emoji: "👍", count: 1, mine: true },
      { emoji: "🙏", count: 1, mine: false },
    ]);
    list = applyReaction(list, { seq: 2, emoji: "👍", count: 2, userId: "c", reacted: true }, "me");
    expect(list[1]!.reactions![0]).toEqual({ emoji: "👍", count: 2, mine: true });
    list = applyReaction(list, { seq: 2, emoji: "🙏", count: 0, userId: "b", reacted: false }, "me");
    expect(list[1]!.reactions).toEqual([{ emoji: "👍", count: 2, mine: true }]);
    // Messages not shown are left alone, by identity.
    const same = applyReaction(list, { seq: 9, emoji: "👍", count: 1, userId: "b", reacted: true }, "me");
    expect(same).toBe(list);
  });

  it("keeps the reader's own marks through an edit event, and a re-read brings changed counts", () => {
    const shown = msg(1, "a", { reactions: [{ emoji: "😂", count: 1, mine: true }] });
    const edited = msg(1, "a", {
      text: "fixed",
      editedAt: new Date().toISOString(),
      reactions: [{ emoji: "😂", count: 1, mine: false }],
    });
    expect(keepMine(edited, shown).reactions).toEqual([{ emoji: "😂", count: 1, mine: true }]);
    const reread = msg(1, "a", { reactions: [{ emoji: "😂", count: 2, mine: true }] });
    expect(mergeMessages([shown], [reread])[0]!.reactions![0]!.count).toBe(2);
    expect(mergeMessages([shown], [msg(1, "a", { reactions: shown.reactions })])[0]).toBe(shown);
  });
});

describe("dividers and the first unread", () => {
  const now = new Date(2026, 11, 7, 15, 0);
  it("says today, yesterday, or the date in the reader's language", () => {
    expect(dayLabel(new Date(2026, 11, 7, 0, 5).toISOString(), "en", now)).toBe("today");
    expect(dayLabel(new Date(2026, 11, 6, 23, 55).toISOString(), "en", now)).toBe("yesterday");
    expect(dayLabel(new Date(2026, 11, 1, 9).toISOString(), "en", now)).toBe("Tue, December 1");
    expect(dayLabel(new Date(2026, 11, 1, 9).toISOString(), "ja", now)).toBe("12月1日(火)");
    expect(dayLabel(new Date(2025, 0, 2).toISOString(), "en", now)).toBe("Thu, January 2, 2025");
  });

  it("finds the first message someone else sent after the marker", () => {
    const list = [msg(1, "a"), msg(2, "me"), msg(3, "me"), msg(4, "b")];
    expect(firstUnread(list, 1, "me")).toBe(4);
    expect(firstUnread(list, 0, "me")).toBe(1);
    expect(firstUnread(list, 4, "me")).toBeNull();
  });
});

describe("the Chat tab's count", () => {
  it("counts others' messages, not one's own, and drops on a read", () => {
    let rooms = new Map([["r1", { seq: 3, read: 1 }]]);
    expect(totalUnread(rooms)).toBe(2);
    rooms = unreadAfterMessage(rooms, { roomId: "r1", seq: 4, sender: { id: "x" } }, "me");
    rooms = unreadAfterMessage(rooms, { roomId: "r2", seq: 7, sender: { id: "x" } }, "me");
    expect(totalUnread(rooms)).toBe(4);
    rooms = unreadAfterMessage(rooms, { roomId: "r2", seq: 8, sender: { id: "me" } }, "me");
    expect(totalUnread(rooms)).toBe(3);
    // A duplicate delivery counts once.
    rooms = unreadAfterMessage(rooms, { roomId: "r1", seq: 4, sender: { id: "x" } }, "me");
    expect(totalUnread(rooms)).toBe(3);
    rooms = unreadAfterRead(rooms, "r1", 4);
    expect(totalUnread(rooms)).toBe(0);
    expect(unreadAfterRead(rooms, "r1", 2)).toBe(rooms);
  });
});
