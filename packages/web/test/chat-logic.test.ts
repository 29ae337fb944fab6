import { describe, expect, it } from "vitest";
import type { Member, Message, Room } from "../src/lib/api-types";
import {
  groupMessages,
  isSendKey,
  mergeMessages,
  readMarkers,
  replaceMessage,
  roomAfterRead,
  roomsAfterMessage,
  roomTitle,
  shouldSendTyping,
} from "../src/lib/chat-logic";

const person = (id: string) => ({ id, handle: id, displayName: id.toUpperCase(), avatarUrl: null });
const msg = (seq: number, from: string, extra: Partial<Message> = {}): Message => ({
  id: `msg_${seq}`,
  roomId: "rom_1",
  seq,
  sender: person(from),
  text: `m${seq}`,
  media: [],
  replyTo: null,
  createdAt: new Date(Date.UTC(2026, 0, 1, 12, 0, seq)).toISOString(),
  editedAt: null,
  deleted: false,
  ...extra,
});
const member = (id: string, lastReadSeq: number): Member => ({
  ...person(id),
  role: "member",
  status: "member",
  lastReadSeq,
});
const room = (id: string, seq: number, unread: number, at: string): Room => ({
  id,
  kind: "direct",
  name: null,
  members: [member("me", seq - unread), member("bo", seq)],
  seq,
  lastMessage: seq ? { ...msg(seq, "bo"), roomId: id, createdAt: at } : null,
  unread,
  myRole: "member",
  status: "member",
  archived: false,
  invitedBy: null,
  createdAt: "2026-01-01T00:00:00.000Z",
});

describe("mergeMessages", () => {
  it("orders by seq and keeps each seq once, whatever the arrival order", () => {
    const merged = mergeMessages([msg(3, "a"), msg(1, "a")], [msg(2, "b"), msg(3, "a"), msg(1, "a")]);
    expect(merged.map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it("does not let a late copy of the original undo an edit or a delete", () => {
    const edited = msg(1, "a", { text: "fixed", editedAt: "2026-01-01T13:00:00.000Z" });
    const deleted = msg(2, "a", { text: "", deleted: true });
    const merged = mergeMessages([edited, deleted], [msg(1, "a"), msg(2, "a")]);
    expect(merged.map((m) => m.text)).toEqual(["fixed", ""]);
  });
});

describe("mergeMessages: the window read again after a reconnect", () => {
  const T1 = "2026-01-01T13:00:00.000Z";
  const T2 = "2026-01-01T13:05:00.000Z";
  const edited = (seq: number, text: string, at: string) => msg(seq, "a", { text, editedAt: at });
  const tombstone = (seq: number) => msg(seq, "a", { text: "", deleted: true });
  /** What a user sees of each message: seq, text, attachments, and the "edited" / "deleted" marks. */
  const seen = (messages: Message[]) =>
    messages.map(
      (m) =>
        `${m.seq}:${m.deleted ? "deleted" : m.text}${m.media.length ? ` +${m.media.length} media` : ""}${m.editedAt && !m.deleted ? " (edited)" : ""}`,
    );

  it.each([
    {
      name: "edited while offline: the new text, marked edited",
      shown: [msg(1, "a"), msg(2, "a")],
      read: [msg(1, "a"), edited(2, "fixed", T1)],
      expected: ["1:m1", "2:fixed (edited)"],
    },
    {
      name: "deleted while offline: a tombstone, its attachments gone",
      shown: [
        msg(1, "a"),
        msg(2, "a", { media: [{ id: "med_1", kind: "image", contentType: "image/png", url: "/u" }] }),
      ],
      read: [msg(1, "a"), tombstone(2)],
      expected: ["1:m1", "2:deleted"],
    },
    {
      name: "edited twice: the later edit wins",
      shown: [edited(1, "first fix", T1)],
      read: [edited(1, "second fix", T2)],
      expected: ["1:second fix (edited)"],
    },
    {
      name: "a seq not shown yet: added in order, every seq once",
      shown: [msg(1, "a"), msg(3, "a")],
      read: [msg(1, "a"), msg(2, "b"), msg(3, "a")],
      expected: ["1:m1", "2:m2", "3:m3"],
    },
    {
      name: "the user's own save answered after the read started: the stale copy does not undo it",
      shown: [edited(1, "saved", T2)],
      read: [edited(1, "older", T1)],
      expected: ["1:saved (edited)"],
    },
    {
      name: "deleted here while the read was in flight: never resurrected",
      shown: [tombstone(1), msg(2, "a")],
      read: [msg(1, "a"), msg(2, "a")],
      expected: ["1:deleted", "2:m2"],
    },
    {
      name: "a live edit that landed after the read: kept",
      shown: [edited(1, "live", T1)],
      read: [msg(1, "a")],
      expected: ["1:live (edited)"],
    },
  ])("$name", ({ shown, read, expected }) => {
    const merged = mergeMessages(shown, read);
    expect(seen(merged)).toEqual(expected);
  });

  it("unchanged: gives back the same list and objects, so nothing re-renders and media URLs stay", () => {
    const shown = [
      msg(1, "a", { media: [{ id: "med_1", kind: "image", contentType: "image/png", url: "/a?sig=1" }] }),
    ];
    const read = [
      msg(1, "a", { media: [{ id: "med_1", kind: "image", contentType: "image/png", url: "/a?sig=2" }] }),
    ];
    expect(mergeMessages(shown, read)).toBe(shown);
  });

  it("replaces only the changed message, keeping the others' objects", () => {
    const shown = [msg(1, "a"), msg(2, "a"), msg(3, "a")];
    const merged = mergeMessages(shown, [msg(1, "a"), edited(2, "fixed", T1), msg(3, "a")]);
    expect(merged.map((m, i) => m === shown[i])).toEqual([true, false, true]);
  });
});

describe("replaceMessage", () => {
  it("applies a live edit or delete, but not an older copy of a shown message", () => {
    const shown = [msg(1, "a", { text: "fixed", editedAt: "2026-01-01T13:00:00.000Z" }), msg(2, "a")];
    expect(replaceMessage(shown, msg(1, "a"))).toBe(shown);
    expect(replaceMessage(shown, msg(2, "a", { deleted: true, text: "" }))[1]?.deleted).toBe(true);
    expect(replaceMessage(shown, msg(3, "a", { deleted: true }))).toBe(shown);
  });
});

describe("groupMessages", () => {
  it("groups consecutive messages of one sender and splits on a long pause", () => {
    const late = msg(4, "a", { createdAt: "2026-01-01T13:00:00.000Z" });
    const groups = groupMessages([msg(1, "a"), msg(2, "a"), msg(3, "b"), late]);
    expect(groups.map((g) => g.messages.map((m) => m.seq))).toEqual([[1, 2], [3], [4]]);
  });
});

describe("readMarkers", () => {
  it("puts each other member under the last message they read that someone else sent", () => {
    const messages = [msg(1, "me"), msg(2, "me"), msg(3, "bo"), msg(4, "me")];
    const markers = readMarkers(messages, [member("me", 4), member("bo", 3), member("cy", 2)], "me");
    expect([...markers].map(([seq, ms]) => [seq, ms.map((m) => m.id)])).toEqual([[2, ["bo", "cy"]]]);
  });

  it("shows nobody who has read nothing", () => {
    expect(readMarkers([msg(1, "me")], [member("bo", 0)], "me").size).toBe(0);
  });
});

describe("room list", () => {
  it("moves a room with a new message to the top and counts it unread unless it is open or mine", () => {
    const rooms = [
      room("rom_a", 5, 0, "2026-01-02T00:00:00.000Z"),
      room("rom_b", 2, 0, "2026-01-01T00:00:00.000Z"),
    ];
    const incoming = { ...msg(3, "bo"), roomId: "rom_b", createdAt: "2026-01-03T00:00:00.000Z" };
    const after = roomsAfterMessage(rooms, incoming, "me", null);
    expect(after.rooms.map((r) => [r.id, r.unread])).toEqual([
      ["rom_b", 1],
      ["rom_a", 0],
    ]);
    expect(roomsAfterMessage(rooms, incoming, "me", "rom_b").rooms[0]!.unread).toBe(0);
    // A message the list already counted (resume after a reconnect) is not counted twice.
    expect(roomsAfterMessage(after.rooms, incoming, "me", null).rooms[0]!.unread).toBe(1);
    expect(roomsAfterMessage(rooms, { ...incoming, roomId: "rom_new" }, "me", null).known).toBe(false);
  });

  it("reading moves my unread count and never moves a marker backwards", () => {
    const r = room("rom_a", 5, 3, "2026-01-02T00:00:00.000Z");
    expect(roomAfterRead(r, "me", 4, "me").unread).toBe(1);
    expect(roomAfterRead(r, "bo", 1, "me").members.find((m) => m.id === "bo")!.lastReadSeq).toBe(5);
  });

  it("names a room by its name or the other members", () => {
    const r = room("rom_a", 0, 0, "");
    expect(roomTitle(r, "me")).toBe("BO");
    expect(roomTitle({ ...r, name: "Trip" }, "me")).toBe("Trip");
  });
});

describe("keyboard", () => {
  it("sends on Enter, not while an input method composes, not with Shift", () => {
    expect(isSendKey({ key: "Enter", shiftKey: false })).toBe(true);
    expect(isSendKey({ key: "Enter", shiftKey: true })).toBe(false);
    expect(isSendKey({ key: "Enter", shiftKey: false, isComposing: true })).toBe(false);
    expect(isSendKey({ key: "Enter", shiftKey: false, keyCode: 229 })).toBe(false);
    expect(isSendKey({ key: "a", shiftKey: false })).toBe(false);
  });

  it("throttles typing signals", () => {
    expect(shouldSendTyping(0, 10_000)).toBe(true);
    expect(shouldSendTyping(10_000, 11_000)).toBe(false);
    expect(shouldSendTyping(10_000, 12_600)).toBe(true);
  });
});
