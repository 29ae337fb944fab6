// Pure chat view logic (merging, grouping, read markers, the room list), kept apart from React for unit tests.
import type { Member, Message, Room } from "./api-types";

const editedAt = (m: Message) => (m.editedAt ? Date.parse(m.editedAt) : 0);

const reactionKey = (m: Message) =>
  (m.reactions ?? []).map((r) => `${r.emoji}${r.count}${r.mine ? "+" : ""}`).join(" ");

/** States, not arrival order, decide: a stale read never undoes an edit or resurrects a deletion. */
function isNewer(next: Message, shown: Message): boolean {
  if (shown.deleted) return false;
  if (next.deleted || editedAt(next) > editedAt(shown)) return true;
  // A re-read of the same version still brings reactions changed meanwhile.
  return (
    editedAt(next) === editedAt(shown) &&
    next.reactions !== undefined &&
    reactionKey(next) !== reactionKey(shown)
  );
}

export type Reaction = NonNullable<Message["reactions"]>[number];
export type Emoji = Reaction["emoji"];
/** The fixed set, in the server's order. */
export const REACTIONS: readonly Emoji[] = ["👍", "❤️", "😂", "😮", "😢", "🙏"];

/** Events go to every member, so their copies cannot say which reactions are the reader's: keep the shown ones. */
export function keepMine(next: Message, shown: Message | undefined): Message {
  if (!shown?.reactions || !next.reactions) return next;
  const mine = new Set(shown.reactions.filter((r) => r.mine).map((r) => r.emoji));
  return { ...next, reactions: next.reactions.map((r) => ({ ...r, mine: r.mine || mine.has(r.emoji) })) };
}

/** Applies a chat.reaction event: the emoji's count as the server counted it, and the reader's own choice. */
export function applyReaction(
  current: readonly Message[],
  e: { seq: number; emoji: Emoji; count: number; userId: string; reacted: boolean },
  meId: string | undefined,
): Message[] {
  let found = false;
  const out = current.map((m) => {
    if (m.seq !== e.seq || m.deleted) return m;
    found = true;
    const had = (m.reactions ?? []).find((r) => r.emoji === e.emoji);
    const mine = e.userId === meId ? e.reacted : (had?.mine ?? false);
    const others = (m.reactions ?? []).filter((r) => r.emoji !== e.emoji);
    const next = e.count > 0 ? [...others, { emoji: e.emoji, count: e.count, mine }] : others;
    next.sort((a, b) => REACTIONS.indexOf(a.emoji) - REACTIONS.indexOf(b.emoji));
    return { ...m, reactions: next };
  });
  return found ? out : (current as Message[]);
}

/** A local calendar day, for the dividers between messages. */
export function dayKey(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
}

/** "today", "yesterday" or the date in the reader's language; `now` for tests. */
export function dayLabel(iso: string, lang: string, now = new Date()): "today" | "yesterday" | string {
  const key = dayKey(iso);
  if (key === dayKey(now.toISOString())) return "today";
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (key === dayKey(yesterday.toISOString())) return "yesterday";
  const d = new Date(iso);
  return new Intl.DateTimeFormat(lang, {
    year: d.getFullYear() === now.getFullYear() ? undefined : "numeric",
    month: "long",
    day: "numeric",
    weekday: "short",
  }).format(d);
}

/** The first message someone else sent after the reader's marker: where opening the room jumps to. */
export function firstUnread(messages: readonly Message[], lastReadSeq: number, meId: string): number | null {
  return messages.find((m) => m.seq > lastReadSeq && m.sender.id !== meId)?.seq ?? null;
}

export interface UnreadState {
  /** Per room: its last seq and the reader's marker, as far as this client knows. */
  rooms: ReadonlyMap<string, { seq: number; read: number }>;
}

/** The Chat tab's count: unread messages over every room. */
export function totalUnread(rooms: UnreadState["rooms"]): number {
  let n = 0;
  for (const r of rooms.values()) n += Math.max(0, r.seq - r.read);
  return n;
}

/** A message arrived live: one's own moves the marker too (the server marks it read). */
export function unreadAfterMessage(
  rooms: UnreadState["rooms"],
  m: { roomId: string; seq: number; sender: { id: string } },
  meId: string | undefined,
): Map<string, { seq: number; read: number }> {
  const next = new Map(rooms);
  const had = rooms.get(m.roomId) ?? { seq: m.seq - 1, read: m.seq - 1 };
  const seq = Math.max(had.seq, m.seq);
  next.set(m.roomId, { seq, read: m.sender.id === meId ? Math.max(had.read, m.seq) : had.read });
  return next;
}

export function unreadAfterRead(
  rooms: UnreadState["rooms"],
  roomId: string,
  seq: number,
): Map<string, { seq: number; read: number }> {
  const had = rooms.get(roomId);
  if (!had || had.read >= seq) return rooms as Map<string, { seq: number; read: number }>;
  return new Map(rooms).set(roomId, { ...had, read: Math.min(Math.max(had.read, seq), had.seq) });
}

/** Unchanged copies keep the shown object, so re-reading a window re-renders only what changed. */
export function mergeMessages(current: readonly Message[], incoming: readonly Message[]): Message[] {
  const bySeq = new Map<number, Message>();
  for (const m of current) bySeq.set(m.seq, m);
  let changed = false;
  for (const m of incoming) {
    const had = bySeq.get(m.seq);
    if (had && !isNewer(m, had)) continue;
    bySeq.set(m.seq, m);
    changed = true;
  }
  return changed ? [...bySeq.values()].sort((a, b) => a.seq - b.seq) : (current as Message[]);
}

/** Replaces a message (edited or deleted) if it is shown and the copy is newer. */
export function replaceMessage(current: readonly Message[], next: Message): Message[] {
  let found = false;
  const out = current.map((m) => {
    if (m.seq !== next.seq || !isNewer(next, m)) return m;
    found = true;
    return next;
  });
  return found ? out : (current as Message[]);
}

export interface MessageGroup {
  key: string;
  sender: Message["sender"];
  messages: Message[];
}

/** Consecutive messages from one sender, a few minutes apart at most, share one header. */
export function groupMessages(messages: readonly Message[], gapMs = 5 * 60_000): MessageGroup[] {
  const groups: MessageGroup[] = [];
  for (const m of messages) {
    const last = groups.at(-1);
    const prev = last?.messages.at(-1);
    if (
      last &&
      prev &&
      last.sender.id === m.sender.id &&
      Date.parse(m.createdAt) - Date.parse(prev.createdAt) <= gapMs
    ) {
      last.messages.push(m);
    } else {
      groups.push({ key: `g${m.seq}`, sender: m.sender, messages: [m] });
    }
  }
  return groups;
}

/** Markers sit under the last read message someone else sent: one's own messages count as read. */
export function readMarkers(
  messages: readonly Message[],
  members: readonly Member[],
  meId: string,
): Map<number, Member[]> {
  const out = new Map<number, Member[]>();
  for (const member of members) {
    if (member.id === meId || member.lastReadSeq <= 0) continue;
    let at: number | undefined;
    for (let i = messages.length - 1; i >= 0; i--) {
      const m = messages[i]!;
      if (m.seq <= member.lastReadSeq && m.sender.id !== member.id) {
        at = m.seq;
        break;
      }
    }
    if (at === undefined) continue;
    out.set(at, [...(out.get(at) ?? []), member]);
  }
  return out;
}

/** A room's title: its name, or the other members' names. */
export function roomTitle(room: Pick<Room, "name" | "members">, meId: string | undefined): string {
  if (room.name) return room.name;
  const others = room.members.filter((m) => m.id !== meId);
  return (others.length > 0 ? others : room.members).map((m) => m.displayName || `@${m.handle}`).join(", ");
}

const activity = (room: Room) => room.lastMessage?.createdAt ?? room.createdAt;

export function sortRooms(rooms: readonly Room[]): Room[] {
  return [...rooms].sort((a, b) => activity(b).localeCompare(activity(a)));
}

/** The room list after a live message: new last message, unread count, and the room moved to the top. */
export function roomsAfterMessage(
  rooms: readonly Room[],
  message: Message,
  meId: string | undefined,
  readingRoomId: string | null,
): { rooms: Room[]; known: boolean } {
  const room = rooms.find((r) => r.id === message.roomId);
  if (!room) return { rooms: rooms as Room[], known: false };
  if (message.seq <= room.seq) return { rooms: rooms as Room[], known: true };
  const mine = message.sender.id === meId;
  const unread = mine || readingRoomId === room.id ? room.unread : room.unread + 1;
  const next: Room = { ...room, seq: message.seq, lastMessage: message, unread: mine ? 0 : unread };
  return { rooms: sortRooms(rooms.map((r) => (r.id === room.id ? next : r))), known: true };
}

/** A member's read marker moved (never backwards). */
export function roomAfterRead(room: Room, userId: string, seq: number, meId: string | undefined): Room {
  return {
    ...room,
    members: room.members.map((m) =>
      m.id === userId && seq > m.lastReadSeq ? { ...m, lastReadSeq: seq } : m,
    ),
    unread: userId === meId ? Math.max(0, room.seq - seq) : room.unread,
  };
}

/** Typing signals go out at most this often; the server drops faster ones anyway. */
export const TYPING_SEND_EVERY_MS = 2_500;
/** A "typing…" line lasts this long after the last signal. */
export const TYPING_SHOW_MS = 6_000;

export function shouldSendTyping(lastSentAt: number, now: number): boolean {
  return now - lastSentAt >= TYPING_SEND_EVERY_MS;
}

/** True when Enter should send: not while an input method is composing, not with Shift (newline). */
export function isSendKey(e: {
  key: string;
  shiftKey: boolean;
  altKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  isComposing?: boolean;
  keyCode?: number;
}): boolean {
  if (e.key !== "Enter") return false;
  // Chrome/Safari report keyCode 229 for keys the IME consumes; isComposing is the standard flag.
  if (e.isComposing || e.keyCode === 229) return false;
  return !e.shiftKey && !e.altKey;
}
