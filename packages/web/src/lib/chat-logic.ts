// Pure chat view logic (merging, grouping, read markers, the room list), kept apart from React for unit tests.
import type { Member, Message, Room } from "./api-types";

const editedAt = (m: Message) => (m.editedAt ? Date.parse(m.editedAt) : 0);

/** States, not arrival order, decide: a stale read never undoes an edit or resurrects a deletion. */
function isNewer(next: Message, shown: Message): boolean {
  if (shown.deleted) return false;
  return next.deleted || editedAt(next) > editedAt(shown);
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
