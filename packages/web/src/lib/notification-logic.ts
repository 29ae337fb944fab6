// Pure notification logic: the grouped sentence, the badge text, links, and the list/unread state the events drive.
import type { NotificationItem, NotificationType, Sender } from "@asyncsns/realtime";
import type { MessageKey } from "../i18n/en";
import type { Translate } from "../i18n/translate";

/** The count on the bell and the app badge: exact up to 99, then "99+". */
export function badgeText(unread: number): string {
  if (unread <= 0) return "";
  return unread > 99 ? "99+" : String(unread);
}

/** A sentence in pieces, so the page can show actors' names as such while tests read it as text. */
export type Segment = { kind: "text"; text: string } | { kind: "actor"; actor: Sender };

const SENTENCES: Record<NotificationType, MessageKey> = {
  follow: "notifications.sentence.follow",
  "post.like": "notifications.sentence.like",
  "post.repost": "notifications.sentence.repost",
  "post.reply": "notifications.sentence.reply",
  "post.mention": "notifications.sentence.mention",
  "chat.message": "notifications.sentence.message",
  "call.missed": "notifications.sentence.missedCall",
  "moderation.removed": "notifications.sentence.moderationRemoved",
};

/** Splits a template on {a}, {b} (actors) and {n}, {who} (already built parts). */
function fill(template: string, parts: Record<string, Segment[] | undefined>): Segment[] {
  const out: Segment[] = [];
  const push = (segment: Segment) => {
    const last = out.at(-1);
    if (segment.kind === "text" && last?.kind === "text") last.text += segment.text;
    else out.push(segment.kind === "text" ? { ...segment } : segment);
  };
  let rest = template;
  for (let m = /\{(\w+)\}/.exec(rest); m; m = /\{(\w+)\}/.exec(rest)) {
    if (m.index > 0) push({ kind: "text", text: rest.slice(0, m.index) });
    for (const segment of parts[m[1]!] ?? [{ kind: "text", text: m[0] } as Segment]) push(segment);
    rest = rest.slice(m.index + m[0].length);
  }
  if (rest) push({ kind: "text", text: rest });
  return out;
}

/** "Aki", "Aki and Ben", "Aki and 1 other", "Aki and 3 others" (ja: "Aki さんほか 3 人"). */
export function whoSegments(t: Translate, actors: readonly Sender[], actorCount: number): Segment[] {
  const [first, second] = actors;
  if (!first) return [{ kind: "text", text: t("notifications.who.someone") }];
  const a: Segment[] = [{ kind: "actor", actor: first }];
  const count = Math.max(actorCount, actors.length, 1);
  if (count === 1) return fill(t("notifications.who.one"), { a });
  if (count === 2 && second)
    return fill(t("notifications.who.two"), { a, b: [{ kind: "actor", actor: second }] });
  const others = count - 1;
  // The count is filled (and its plural chosen) by the message; the actor stays a segment.
  return fill(t("notifications.who.others", { n: others }), { a });
}

/** "Aki and 3 others liked your post", in pieces. */
export function sentenceSegments(
  t: Translate,
  item: Pick<NotificationItem, "type" | "actors" | "actorCount">,
): Segment[] {
  return fill(t(SENTENCES[item.type]), { who: whoSegments(t, item.actors, item.actorCount) });
}

export function segmentsText(segments: readonly Segment[]): string {
  return segments.map((s) => (s.kind === "text" ? s.text : s.actor.displayName)).join("");
}

export function sentenceText(
  t: Translate,
  item: Pick<NotificationItem, "type" | "actors" | "actorCount">,
): string {
  return segmentsText(sentenceSegments(t, item));
}

const profileHref = (handle: string) => `/u/?h=${encodeURIComponent(handle)}`;

/** Where a row leads: the post, the room, the follower (or all followers when several followed). */
export function notificationHref(item: NotificationItem, myHandle: string | undefined): string {
  const subject = item.subject;
  if (subject?.kind === "post") return `/post/?id=${encodeURIComponent(subject.id)}`;
  if (subject?.kind === "room") return `/chat/room/?id=${encodeURIComponent(subject.id)}`;
  const first = item.actors[0];
  if (item.type === "follow" && item.actorCount > 1 && myHandle)
    return `/u/followers/?h=${encodeURIComponent(myHandle)}`;
  if (first) return profileHref(first.handle);
  return "/notifications/";
}

// ---- the list and the unread count, driven by pages and live events ----

export interface NotificationsState {
  /** Null until the first page is read. Newest (by updatedAt) first. */
  items: NotificationItem[] | null;
  /** Where the next (older) page starts; null at the end. */
  cursor: string | null;
  /** The server's exact count of unread rows. */
  unread: number;
}

export type NotificationsAction =
  | { type: "reset" }
  | { type: "page"; items: NotificationItem[]; cursor: string | null; unread: number; append: boolean }
  | { type: "head"; items: NotificationItem[]; unread: number }
  | { type: "unread"; unread: number }
  | { type: "created"; item: NotificationItem; unread: number }
  | { type: "read"; upTo: string | null; unread: number }
  | { type: "removed"; id: string; item: NotificationItem | null; unread: number };

export const initialNotifications: NotificationsState = { items: null, cursor: null, unread: 0 };

const newer = (a: NotificationItem, b: NotificationItem) => a.updatedAt > b.updatedAt;

/** Puts a row where its updatedAt belongs (a grouped row that gained an actor moves to the top). */
function placed(items: NotificationItem[], item: NotificationItem): NotificationItem[] {
  const rest = items.filter((i) => i.id !== item.id);
  const at = rest.findIndex((i) => newer(item, i) || i.updatedAt === item.updatedAt);
  if (at === -1) return [...rest, item];
  return [...rest.slice(0, at), item, ...rest.slice(at)];
}

/** Rows from `upTo` down (it and older) read, or all when upTo is null; unknown upTo: unchanged. */
export function markedRead(items: NotificationItem[], upTo: string | null): NotificationItem[] {
  const from = upTo === null ? 0 : items.findIndex((i) => i.id === upTo);
  if (from === -1) return items;
  return items.map((item, index) => (index >= from && !item.read ? { ...item, read: true } : item));
}

/** Every event is idempotent: the same event twice (a redelivery, two tabs' echo) leaves the same state. */
export function notificationsReducer(
  state: NotificationsState,
  action: NotificationsAction,
): NotificationsState {
  switch (action.type) {
    case "reset":
      return initialNotifications;
    case "page": {
      if (!action.append || !state.items)
        return { items: action.items, cursor: action.cursor, unread: action.unread };
      // A row that moved to the top since the last page is already shown: keep the newer copy.
      const shown = new Set(state.items.map((i) => i.id));
      return {
        items: [...state.items, ...action.items.filter((i) => !shown.has(i.id))],
        cursor: action.cursor,
        unread: action.unread,
      };
    }
    case "head": {
      // The newest page read again (after a reconnect): its rows go where they belong, older pages stay.
      if (!state.items) return { ...state, unread: action.unread };
      let items = state.items;
      for (const item of [...action.items].reverse()) {
        const existing = items.find((i) => i.id === item.id);
        if (!existing || existing.updatedAt <= item.updatedAt) items = placed(items, item);
      }
      return { ...state, items, unread: action.unread };
    }
    case "unread":
      return state.unread === action.unread ? state : { ...state, unread: action.unread };
    case "created": {
      if (!state.items) return { ...state, unread: action.unread };
      const existing = state.items.find((i) => i.id === action.item.id);
      // An older copy of a row already shown newer (events crossed) changes nothing but the count.
      if (existing && !newer(action.item, existing) && existing.updatedAt !== action.item.updatedAt)
        return { ...state, unread: action.unread };
      return { ...state, items: placed(state.items, action.item), unread: action.unread };
    }
    case "read":
      return {
        ...state,
        items: state.items ? markedRead(state.items, action.upTo) : null,
        unread: action.unread,
      };
    case "removed": {
      if (!state.items) return { ...state, unread: action.unread };
      const { item } = action;
      const items = item
        ? state.items.map((i) => (i.id === action.id ? item : i))
        : state.items.filter((i) => i.id !== action.id);
      return { ...state, items, unread: action.unread };
    }
  }
}

/** How many unread rows a local "read up to" covers, for the count shown before the server's answer. */
export function unreadAfterRead(state: NotificationsState, upTo: string | null): number {
  if (upTo === null) return 0;
  const items = state.items ?? [];
  const from = items.findIndex((i) => i.id === upTo);
  if (from === -1) return state.unread;
  const cleared = items.slice(from).filter((i) => !i.read).length;
  return Math.max(0, state.unread - cleared);
}
