export * as Chat from "./rooms";

import { Message as MessageSchema } from "@asyncsns/realtime";
import * as z from "zod";
import { useUserId } from "../actor";
import { avatarUrlOf } from "../media/urls";
import { isBlocked } from "../safety/checks";
import * as Users from "../user/read";
import { fn } from "../util";
import { isActive, isPending, members, requireMember, statusOf } from "./access";
import { RoomId } from "./ids";
import { History, ListRooms } from "./inputs";
import { signedMedia } from "./media";
import { countsOf, myReactions } from "./reaction-counts";
import {
  MembershipEntity,
  type MembershipItem,
  MessageEntity,
  type MessageItem,
  RoomEntity,
  type RoomItem,
} from "./room.entity";

// Chat's read side, its own entry (@asyncsns/core/chat/rooms) so the Query Lambda links no socket or topic.

export { MessageId, RoomId } from "./ids";
export * as inputs from "./inputs";
export { MAX_MEMBERS, MAX_TEXT } from "./inputs";

const PAGE_SIZE = 50;

export const Message = MessageSchema;
export type Message = z.infer<typeof Message>;

export const Member = z.object({
  id: z.string(),
  handle: z.string(),
  displayName: z.string(),
  avatarUrl: z.string().nullable(),
  role: z.enum(["owner", "admin", "member"]),
  /** "invited" until a group invitation is accepted; "request" for a 1:1 request's recipient. */
  status: z.enum(["member", "request", "invited"]),
  lastReadSeq: z.number().int(),
});
export type Member = z.infer<typeof Member>;

export const Info = z
  .object({
    id: z.string(),
    kind: z.enum(["direct", "group"]),
    name: z.string().nullable(),
    members: z.array(Member),
    /** The last seq of the room: a client that has it has everything. */
    seq: z.number().int(),
    lastMessage: z.union([Message, z.null()]),
    unread: z.number().int(),
    myRole: z.enum(["owner", "admin", "member"]),
    /** The caller's standing: a member, or a request / group invitation waiting for their answer. */
    status: z.enum(["member", "request", "invited"]),
    /** Hidden from the caller's inbox: a 1:1 room they left (or a request they deleted). */
    archived: z.boolean(),
    /** Who invited the caller to this group, while the invitation waits. */
    invitedBy: z.string().nullable(),
    createdAt: z.string(),
    /** A 1:1 room whose two members block each other (either way): read-only. Absent on older clients' copies. */
    blocked: z.boolean().optional(),
  })
  .meta({ id: "Room" });
export type Info = z.infer<typeof Info>;

/** One room as the caller sees it; 403 unless they are a member. */
export const room = fn(RoomId, async (roomId) => view(roomId, useUserId()));

/**
 * The caller's rooms in one folder (the inbox unless asked), most recent message first, with the number of requests
 * waiting: one key query on the per-user index, then batch gets.
 */
export const rooms = fn(
  ListRooms,
  async ({ folder = "inbox" }): Promise<{ items: Info[]; requests: number }> => {
    const userId = useUserId();
    const mine = await MembershipEntity.query.byUser({ userId }).go({ pages: "all" });
    if (mine.data.length === 0) return { items: [], requests: 0 };
    const wanted = mine.data.filter((m) => isPending(m) || inFolder(m, folder));
    const rooms = await batchRooms(wanted.map((m) => m.roomId));
    // A 1:1 request shows once its first message is there; an invitation shows at once.
    const waiting = (m: MembershipItem) => {
      const room = rooms.get(m.roomId);
      return room !== undefined && isPending(m) && (room.kind === "group" || room.seq > 0);
    };
    const listed = wanted.filter((m) => (folder === "requests" ? waiting(m) : inFolder(m, folder)));
    const items = await Promise.all(
      listed.flatMap((m) => {
        const room = rooms.get(m.roomId);
        return room ? [assemble(room, userId)] : [];
      }),
    );
    items.sort((a, b) =>
      (b.lastMessage?.createdAt ?? b.createdAt).localeCompare(a.lastMessage?.createdAt ?? a.createdAt),
    );
    return { items, requests: wanted.filter(waiting).length };
  },
);

function inFolder(m: MembershipItem, folder: "inbox" | "requests" | "archived"): boolean {
  if (folder === "inbox") return isActive(m);
  if (folder === "archived") return statusOf(m) === "member" && m.archivedAt !== undefined;
  return isPending(m);
}

export const messages = fn(
  History,
  async ({ roomId, afterSeq, beforeSeq, limit = PAGE_SIZE }): Promise<{ items: Message[] }> => {
    await requireMember(roomId, useUserId());
    const query = MessageEntity.query.byRoom({ roomId });
    const page =
      afterSeq !== undefined
        ? await (beforeSeq !== undefined
            ? query.between({ seq: afterSeq + 1 }, { seq: Math.max(afterSeq + 1, beforeSeq - 1) })
            : query.gt({ seq: afterSeq })
          ).go({ limit, order: "asc" })
        : await (beforeSeq !== undefined ? query.lt({ seq: beforeSeq }) : query).go({ limit, order: "desc" });
    const items = afterSeq !== undefined ? page.data : [...page.data].reverse();
    const inRange = items.filter((m) => beforeSeq === undefined || m.seq < beforeSeq);
    const [mine, gone] = await Promise.all([
      myReactions(roomId, useUserId(), inRange[0]?.seq ?? 1, inRange.at(-1)?.seq ?? 0),
      Users.goneAmong(inRange.map((m) => m.senderId)),
    ]);
    return {
      items: await Promise.all(
        inRange.map(async (m) => ({
          ...(await serialize(m, gone)),
          reactions: countsOf(m, mine.get(m.seq)),
        })),
      ),
    };
  },
);

export const UnreadRoom = z.object({ id: z.string(), seq: z.number().int(), unread: z.number().int() });
export const Unread = z
  .object({
    /** Unread messages over all the caller's rooms (the Chat tab's badge). */
    unread: z.number().int(),
    /** Rooms with unread messages only; `seq` lets a client count on from live messages. */
    rooms: z.array(UnreadRoom),
  })
  .meta({ id: "ChatUnread" });
export type Unread = z.infer<typeof Unread>;

/** The caller's unread counts: their memberships (one index query) and their rooms' counters (batch gets). */
export async function unread(): Promise<Unread> {
  const userId = useUserId();
  const mine = await MembershipEntity.query.byUser({ userId }).go({ pages: "all" });
  const byRoom = await batchRooms(mine.data.map((m) => m.roomId));
  const rooms = mine.data.flatMap((m) => {
    const room = byRoom.get(m.roomId);
    const count = room ? Math.max(0, room.seq - m.lastReadSeq) : 0;
    return room && count > 0 ? [{ id: room.roomId, seq: room.seq, unread: count }] : [];
  });
  return { unread: rooms.reduce((n, r) => n + r.unread, 0), rooms };
}

async function batchRooms(roomIds: string[]): Promise<Map<string, RoomItem>> {
  const out = new Map<string, RoomItem>();
  for (let i = 0; i < roomIds.length; i += 100) {
    const { data } = await RoomEntity.get(roomIds.slice(i, i + 100).map((roomId) => ({ roomId }))).go();
    for (const room of data) out.set(room.roomId, room);
  }
  return out;
}

export async function view(roomId: string, userId: string): Promise<Info> {
  const { room } = await requireMember(roomId, userId);
  return assemble(room, userId);
}

async function assemble(room: RoomItem, userId: string): Promise<Info> {
  const [all, last] = await Promise.all([
    members(room.roomId),
    room.seq > 0 ? MessageEntity.get({ roomId: room.roomId, seq: room.seq }).go() : undefined,
  ]);
  const other = room.kind === "direct" ? all.find((m) => m.userId !== userId)?.userId : undefined;
  // The last message's sender too: one who is suspended (left out of `many`) shows like a deleted user.
  const sender = last?.data?.senderId;
  const [byId, blocked] = await Promise.all([
    Users.many([...all.map((m) => m.userId), ...(sender ? [sender] : [])]),
    other ? isBlocked(userId, other) : false,
  ]);
  const me = all.find((m) => m.userId === userId);
  return {
    id: room.roomId,
    kind: room.kind,
    name: room.name ?? null,
    members: all.map((m) => {
      const p = byId.get(m.userId);
      return {
        id: m.userId,
        handle: p?.handle ?? "",
        displayName: p?.displayName ?? "",
        avatarUrl: p?.avatarUrl ?? null,
        role: m.role,
        status: statusOf(m),
        lastReadSeq: m.lastReadSeq,
      };
    }),
    seq: room.seq,
    lastMessage: last?.data
      ? await serialize(last.data, sender && !byId.has(sender) ? new Set([sender]) : undefined)
      : null,
    unread: Math.max(0, room.seq - (me?.lastReadSeq ?? room.seq)),
    myRole: me?.role ?? "member",
    status: me ? statusOf(me) : "member",
    archived: me?.archivedAt !== undefined,
    invitedBy: me && statusOf(me) === "invited" ? (me.invitedBy ?? null) : null,
    createdAt: new Date(room.createdAt).toISOString(),
    blocked,
  };
}

/** A message as members see it; a sender in `gone` (suspended, read at read time) shows like a deleted account. */
export async function serialize(item: MessageItem, gone?: Set<string>): Promise<Message> {
  const hidden = gone?.has(item.senderId) ?? false;
  return {
    id: item.messageId,
    roomId: item.roomId,
    seq: item.seq,
    sender: {
      id: item.senderId,
      handle: hidden ? "" : item.senderHandle,
      displayName: hidden ? "" : item.senderName,
      avatarUrl: hidden ? null : avatarUrlOf(item.senderAvatar),
    },
    text: item.text,
    media: item.deletedAt ? [] : await signedMedia(item.mediaIds ?? []),
    replyTo: item.replyToId ? { id: item.replyToId, seq: item.replyToSeq ?? 0 } : null,
    createdAt: new Date(item.createdAt).toISOString(),
    editedAt: item.editedAt ? new Date(item.editedAt).toISOString() : null,
    deleted: item.deletedAt !== undefined,
    reactions: countsOf(item),
    ...(item.call
      ? {
          call: {
            id: item.call.callId,
            kind: item.call.kind,
            state: item.call.state,
            ...(item.call.endReason ? { endReason: item.call.endReason } : {}),
            durationSeconds: item.call.durationSeconds,
          },
        }
      : {}),
  };
}
