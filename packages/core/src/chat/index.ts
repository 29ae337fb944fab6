export * as Chat from "./index";

import { envelope, Message as MessageSchema } from "@asyncsns/realtime";
import { Service } from "electrodb";
import { z } from "zod";
import { useUserId } from "../actor";
import { configuration } from "../dynamo";
import { VisibleError } from "../error";
import { createId } from "../id";
import { Media } from "../media";
import { MediaEntity } from "../media/media.entity";
import { handleKey } from "../user";
import { HandleEntity, UserEntity } from "../user/user.entity";
import { fn, graphemeLength } from "../util";
import {
  DirectEntity,
  MembershipEntity,
  type MembershipItem,
  MessageEntity,
  type MessageItem,
  RoomEntity,
  type RoomItem,
} from "./chat.entity";
import { deliver } from "./delivery";
import { signedMedia } from "./media";

export const MAX_MEMBERS = 50;
export const MAX_TEXT = 4_000;
export const PAGE_SIZE = 50;

export const Message = MessageSchema;
export type Message = z.infer<typeof Message>;

export const Member = z.object({
  id: z.string(),
  handle: z.string(),
  displayName: z.string(),
  avatarUrl: z.string().nullable(),
  role: z.enum(["owner", "admin", "member"]),
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
    lastMessage: Message.nullable(),
    unread: z.number().int(),
    myRole: z.enum(["owner", "admin", "member"]),
    createdAt: z.string(),
  })
  .meta({ id: "Room" });
export type Info = z.infer<typeof Info>;

const RoomId = z.string().regex(/^rom_[0-9A-HJKMNP-TV-Z]{26}$/, "Not a room id.");
const MessageId = z.string().regex(/^msg_[0-9A-HJKMNP-TV-Z]{26}$/, "Not a message id.");
const HandleRef = z.string().trim().min(1).max(64);
const Seq = z.coerce.number().int().nonnegative();

const Text = z.string().refine((value) => graphemeLength(value) <= MAX_TEXT, {
  message: `A message is at most ${MAX_TEXT} characters.`,
  params: { code: "chat.text_too_long" },
});

const RoomName = z
  .string()
  .trim()
  .refine((value) => graphemeLength(value) >= 1 && graphemeLength(value) <= 80, {
    message: "A room name is 1–80 characters.",
    params: { code: "room.invalid_name" },
  });

const service = new Service(
  {
    room: RoomEntity,
    direct: DirectEntity,
    membership: MembershipEntity,
    message: MessageEntity,
    media: MediaEntity,
  },
  configuration(),
);

// ---------- rooms ----------

export const create = fn(
  z.object({
    /** The other members: the caller makes the room's fiftieth. */
    memberHandles: z
      .array(HandleRef)
      .min(1)
      .refine((handles) => handles.length < MAX_MEMBERS, {
        message: `A room has at most ${MAX_MEMBERS} members.`,
        params: { code: "room.too_many_members" },
      }),
    name: RoomName.optional(),
  }),
  async (input): Promise<{ room: Info; created: boolean }> => {
    const me = await profileOf(useUserId());
    const others = [...new Set(await Promise.all(input.memberHandles.map(userIdOf)))].filter(
      (id) => id !== me.userId,
    );
    if (others.length === 0)
      throw new VisibleError("input", "room.no_members", "Add at least one person other than yourself.");
    if (others.length + 1 > MAX_MEMBERS)
      throw new VisibleError("input", "room.too_many_members", `A room has at most ${MAX_MEMBERS} members.`);
    if (others.length === 1 && input.name === undefined) return createDirect(me.userId, others[0]!);
    const roomId = createId("rom");
    const result = await service.transaction
      .write(({ room, membership }) => [
        room
          .create({
            roomId,
            kind: "group",
            name: input.name,
            createdBy: me.userId,
            memberCount: others.length + 1,
          })
          .commit(),
        membership.create({ roomId, userId: me.userId, role: "owner" }).commit(),
        ...others.map((userId) => membership.create({ roomId, userId, role: "member" }).commit()),
      ])
      .go();
    if (result.canceled) throw retry();
    await roomChanged(roomId, [me.userId, ...others], "created");
    return { room: await view(roomId, me.userId), created: true };
  },
);

/** A 1:1 room is keyed by the sorted pair: creating it twice, even at once, yields one room. */
async function createDirect(userId: string, otherId: string): Promise<{ room: Info; created: boolean }> {
  const pairKey = [userId, otherId].sort().join("#");
  const existing = await DirectEntity.get({ pairKey }).go();
  if (existing.data) return { room: await view(existing.data.roomId, userId), created: false };
  const roomId = createId("rom");
  const result = await service.transaction
    .write(({ room, direct, membership }) => [
      direct.create({ pairKey, roomId }).commit(),
      room.create({ roomId, kind: "direct", createdBy: userId, memberCount: 2 }).commit(),
      membership.create({ roomId, userId, role: "member" }).commit(),
      membership.create({ roomId, userId: otherId, role: "member" }).commit(),
    ])
    .go();
  if (result.canceled) {
    const winner = await DirectEntity.get({ pairKey }).go();
    if (!winner.data) throw retry();
    return { room: await view(winner.data.roomId, userId), created: false };
  }
  await roomChanged(roomId, [userId, otherId], "created");
  return { room: await view(roomId, userId), created: true };
}

/** One room as the caller sees it; 403 unless they are a member. */
export const get = fn(RoomId, async (roomId) => view(roomId, useUserId()));

/** The caller's rooms, most recent message first: one key query on the per-user index, then batch gets. */
export async function list(): Promise<{ items: Info[] }> {
  const userId = useUserId();
  const mine = await MembershipEntity.query.byUser({ userId }).go({ pages: "all" });
  if (mine.data.length === 0) return { items: [] };
  const rooms = await batchRooms(mine.data.map((m) => m.roomId));
  const items = await Promise.all(
    mine.data.flatMap((m) => {
      const room = rooms.get(m.roomId);
      return room ? [assemble(room, userId)] : [];
    }),
  );
  items.sort((a, b) =>
    (b.lastMessage?.createdAt ?? b.createdAt).localeCompare(a.lastMessage?.createdAt ?? a.createdAt),
  );
  return { items };
}

export const addMembers = fn(
  z.object({ roomId: RoomId, handles: z.array(HandleRef).min(1).max(MAX_MEMBERS) }),
  async ({ roomId, handles }) => {
    const userId = useUserId();
    const { room, membership } = await requireMember(roomId, userId);
    requireGroup(room);
    if (membership.role === "member")
      throw new VisibleError(
        "forbidden",
        "room.not_admin",
        "Only the room's owner or admins can add people.",
      );
    const ids = [...new Set(await Promise.all(handles.map(userIdOf)))];
    const present = new Set((await members(roomId)).map((m) => m.userId));
    const added = ids.filter((id) => !present.has(id));
    if (added.length > 0) {
      if (room.memberCount + added.length > MAX_MEMBERS) throw tooMany();
      const result = await service.transaction
        .write(({ room: r, membership: m }) => [
          r
            .patch({ roomId })
            .add({ memberCount: added.length })
            .where((a, op) => op.lte(a.memberCount, MAX_MEMBERS - added.length))
            .commit(),
          ...added.map((id) => m.create({ roomId, userId: id, role: "member" }).commit()),
        ])
        .go();
      if (result.canceled) {
        if (result.data[0]?.code === "ConditionalCheckFailed") throw tooMany();
        throw retry();
      }
      await roomChanged(roomId, [...present, ...added], "member_added");
    }
    return view(roomId, userId);
  },
);

/** Removes a member (owner/admin), or the caller themself (leave). Owners hand the room on when leaving. */
export const removeMember = fn(
  z.object({ roomId: RoomId, handle: HandleRef }),
  async ({ roomId, handle }) => {
    const userId = useUserId();
    const { room, membership } = await requireMember(roomId, userId);
    requireGroup(room);
    const targetId = await userIdOf(handle);
    const everyone = await members(roomId);
    const target = everyone.find((m) => m.userId === targetId);
    if (!target)
      throw new VisibleError("not-found", "room.member_not_found", `@${handle} is not in this room.`);
    const leaving = targetId === userId;
    const rank = (role: string) => ({ owner: 2, admin: 1 })[role] ?? 0;
    if (!leaving && rank(membership.role) <= rank(target.role))
      throw new VisibleError("forbidden", "room.not_admin", "You cannot remove this member.");
    const heir =
      leaving && target.role === "owner"
        ? everyone
            .filter((m) => m.userId !== userId)
            .sort((a, b) => rank(b.role) - rank(a.role) || a.joinedAt - b.joinedAt)[0]
        : undefined;
    const result = await service.transaction
      .write(({ room: r, membership: m }) => [
        m
          .delete({ roomId, userId: targetId })
          .where((a, op) => op.exists(a.userId))
          .commit(),
        r.patch({ roomId }).subtract({ memberCount: 1 }).commit(),
        ...(heir ? [m.patch({ roomId, userId: heir.userId }).set({ role: "owner" }).commit()] : []),
      ])
      .go();
    if (result.canceled) throw retry();
    await roomChanged(
      roomId,
      everyone.map((m) => m.userId),
      leaving ? "member_left" : "member_removed",
      targetId,
    );
  },
);

// ---------- messages ----------

export const send = fn(
  z.object({
    roomId: RoomId,
    text: Text,
    mediaIds: z.array(z.string()).max(4).optional(),
    replyTo: MessageId.optional(),
  }),
  async (input): Promise<Message> => {
    const mediaIds = input.mediaIds ?? [];
    if (input.text.trim() === "" && mediaIds.length === 0)
      throw new VisibleError("input", "chat.empty", "Write something or attach a file.");
    const userId = useUserId();
    const [sender, { room }, replyTo] = await Promise.all([
      profileOf(userId),
      requireMember(input.roomId, userId),
      input.replyTo ? messageById(input.roomId, input.replyTo) : undefined,
      mediaIds.length > 0 ? Media.verifyForAttach(mediaIds) : undefined,
    ]);
    const messageId = createId("msg");
    const item = await allocate(room, async (seq) => {
      const now = Date.now();
      const message = {
        roomId: input.roomId,
        seq,
        messageId,
        senderId: sender.userId,
        senderHandle: sender.handle,
        senderName: sender.displayName,
        senderAvatar: sender.avatarKey,
        text: input.text,
        mediaIds,
        replyToId: replyTo?.messageId,
        replyToSeq: replyTo?.seq,
        createdAt: now,
      };
      const result = await service.transaction
        .write(({ room: r, message: m, membership, media }) => [
          r
            .patch({ roomId: input.roomId })
            .set({ seq, lastMessageAt: now })
            .where((a, op) => op.eq(a.seq, seq - 1))
            .commit(),
          m.create(message).commit(),
          membership
            .check({ roomId: input.roomId, userId: sender.userId })
            .where((a, op) => op.exists(a.userId))
            .commit(),
          ...mediaIds.map((mediaId) =>
            media
              .patch({ mediaId })
              .set({ attachedTo: messageId })
              .where((a, op) => `${op.notExists(a.attachedTo)} AND ${op.eq(a.ownerId, sender.userId)}`)
              .commit(),
          ),
        ])
        .go();
      if (!result.canceled) return { ok: true as const, item: message };
      const codes = result.data.map((d) => d.code);
      if (codes[2] === "ConditionalCheckFailed") throw notMember();
      if (codes.slice(3).includes("ConditionalCheckFailed")) throw Media.inUse();
      return { ok: false as const };
    });
    const [message, everyone] = await Promise.all([
      serialize(item as MessageItem),
      memberIds(input.roomId),
      // Your own message is read; a conditional bump so concurrent sends never move it backwards.
      MembershipEntity.patch({ roomId: input.roomId, userId: sender.userId })
        .set({ lastReadSeq: item.seq })
        .where((a, op) => op.lt(a.lastReadSeq, item.seq))
        .go()
        .catch(() => undefined),
    ]);
    await deliver(everyone, envelope("chat.message", message), { actor: sender.userId, offline: "notify" });
    return message;
  },
);

/** Reads the room's counter and retries the conditional transaction until this send wins a seq. */
async function allocate<T>(
  room: RoomItem,
  attempt: (seq: number) => Promise<{ ok: true; item: T } | { ok: false }>,
): Promise<T & { seq: number }> {
  let seq = room.seq + 1;
  for (let tries = 0; tries < 40; tries++) {
    const result = await attempt(seq);
    if (result.ok) return result.item as T & { seq: number };
    // Lost the race: someone took this seq. Re-read the counter after a short jittered pause.
    await new Promise((r) => setTimeout(r, Math.random() * Math.min(100, 5 * 2 ** Math.min(tries, 5))));
    const fresh = await RoomEntity.get({ roomId: room.roomId }).go({ consistent: true });
    seq = (fresh.data?.seq ?? seq) + 1;
  }
  throw new VisibleError("conflict", "chat.busy", "The room is very busy; please send again.");
}

export const history = fn(
  z.object({
    roomId: RoomId,
    afterSeq: Seq.optional(),
    beforeSeq: Seq.optional(),
    limit: z.coerce.number().int().min(1).max(100).optional(),
  }),
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
    return { items: await Promise.all(inRange.map(serialize)) };
  },
);

export const edit = fn(
  z.object({ roomId: RoomId, messageId: MessageId, text: Text }),
  async ({ roomId, messageId, text }) => {
    if (text.trim() === "") throw new VisibleError("input", "chat.empty", "A message cannot be empty.");
    const userId = useUserId();
    await requireMember(roomId, userId);
    const current = await ownMessage(roomId, messageId, userId);
    const updated = await MessageEntity.patch({ roomId, seq: current.seq })
      .set({ text, editedAt: Date.now() })
      .where((a, op) => `${op.notExists(a.deletedAt)} AND ${op.eq(a.senderId, userId)}`)
      .go({ response: "all_new" })
      .catch(() => {
        throw gone();
      });
    const message = await serialize(updated.data as MessageItem);
    await deliver(await memberIds(roomId), envelope("chat.message_updated", message), { actor: userId });
    return message;
  },
);

/** Deleting leaves a tombstone (same seq, no text or media) so clients see no gap. */
export const remove = fn(
  z.object({ roomId: RoomId, messageId: MessageId }),
  async ({ roomId, messageId }) => {
    const userId = useUserId();
    await requireMember(roomId, userId);
    const current = await ownMessage(roomId, messageId, userId);
    const updated = await MessageEntity.patch({ roomId, seq: current.seq })
      .set({ text: "", mediaIds: [], deletedAt: Date.now() })
      .where((a, op) => `${op.notExists(a.deletedAt)} AND ${op.eq(a.senderId, userId)}`)
      .go({ response: "all_new" })
      .catch(() => undefined);
    if (!updated) return;
    const message = await serialize(updated.data as MessageItem);
    await deliver(await memberIds(roomId), envelope("chat.message_deleted", message), { actor: userId });
  },
);

/** Moves the caller's read marker forward (never back) and tells the other members. */
export const markRead = fn(z.object({ roomId: RoomId, seq: Seq }), async ({ roomId, seq }) => {
  const userId = useUserId();
  const { room } = await requireMember(roomId, userId);
  const upTo = Math.min(seq, room.seq);
  const moved = await MembershipEntity.patch({ roomId, userId })
    .set({ lastReadSeq: upTo })
    .where((a, op) => op.lt(a.lastReadSeq, upTo))
    .go()
    .then(() => true)
    .catch(() => false);
  if (moved)
    await deliver(await memberIds(roomId), envelope("chat.read", { roomId, userId, seq: upTo }), {
      actor: userId,
    });
});

/** Relays a typing signal to the other members; the caller must be a member. Nothing is stored. */
export const typing = fn(RoomId, async (roomId) => {
  const userId = useUserId();
  await requireMember(roomId, userId);
  const profile = await profileOf(userId);
  const others = (await memberIds(roomId)).filter((id) => id !== userId);
  await deliver(others, envelope("chat.typing", { roomId, userId, handle: profile.handle }), {
    actor: userId,
  });
});

// ---------- helpers ----------

async function requireMember(
  roomId: string,
  userId: string,
): Promise<{ room: RoomItem; membership: MembershipItem }> {
  const [room, membership] = await Promise.all([
    RoomEntity.get({ roomId }).go({ consistent: true }),
    MembershipEntity.get({ roomId, userId }).go({ consistent: true }),
  ]);
  if (!room.data) throw new VisibleError("not-found", "room.not_found", "This room does not exist.");
  if (!membership.data) throw notMember();
  return { room: room.data, membership: membership.data };
}

function requireGroup(room: RoomItem) {
  if (room.kind !== "group")
    throw new VisibleError(
      "input",
      "room.direct",
      "A 1:1 room's members cannot change; start a group instead.",
    );
}

async function members(roomId: string): Promise<MembershipItem[]> {
  return (await MembershipEntity.query.byRoom({ roomId }).go({ pages: "all" })).data;
}

async function memberIds(roomId: string): Promise<string[]> {
  return (await members(roomId)).map((m) => m.userId);
}

async function userIdOf(handle: string): Promise<string> {
  const found = await HandleEntity.get({ handleKey: handleKey(handle.replace(/^@/, "")) }).go();
  if (!found.data)
    throw new VisibleError("not-found", "profile.not_found", `No one has the handle @${handle}.`);
  return found.data.userId;
}

async function profileOf(userId: string) {
  const user = await UserEntity.get({ userId }).go();
  if (!user.data)
    throw new VisibleError("not-found", "profile.not_found", "Create your profile first: choose a handle.");
  return user.data;
}

async function messageById(roomId: string, messageId: string): Promise<MessageItem> {
  const found = await MessageEntity.query.byId({ messageId }).go();
  const item = found.data[0];
  if (!item || item.roomId !== roomId)
    throw new VisibleError("not-found", "chat.message_not_found", "This message does not exist.");
  return item;
}

async function ownMessage(roomId: string, messageId: string, userId: string): Promise<MessageItem> {
  const item = await messageById(roomId, messageId);
  if (item.senderId !== userId)
    throw new VisibleError("forbidden", "chat.not_sender", "You can only change your own messages.");
  if (item.deletedAt) throw gone();
  return item;
}

async function batchRooms(roomIds: string[]): Promise<Map<string, RoomItem>> {
  const out = new Map<string, RoomItem>();
  for (let i = 0; i < roomIds.length; i += 100) {
    const { data } = await RoomEntity.get(roomIds.slice(i, i + 100).map((roomId) => ({ roomId }))).go();
    for (const room of data) out.set(room.roomId, room);
  }
  return out;
}

async function view(roomId: string, userId: string): Promise<Info> {
  const { room } = await requireMember(roomId, userId);
  return assemble(room, userId);
}

async function assemble(room: RoomItem, userId: string): Promise<Info> {
  const [all, last] = await Promise.all([
    members(room.roomId),
    room.seq > 0 ? MessageEntity.get({ roomId: room.roomId, seq: room.seq }).go() : undefined,
  ]);
  const profiles = await UserEntity.get(all.map((m) => ({ userId: m.userId }))).go();
  const byId = new Map(profiles.data.map((p) => [p.userId, p]));
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
        avatarUrl: p?.avatarKey ? `/media/${p.avatarKey}` : null,
        role: m.role,
        lastReadSeq: m.lastReadSeq,
      };
    }),
    seq: room.seq,
    lastMessage: last?.data ? await serialize(last.data) : null,
    unread: Math.max(0, room.seq - (me?.lastReadSeq ?? room.seq)),
    myRole: me?.role ?? "member",
    createdAt: new Date(room.createdAt).toISOString(),
  };
}

async function serialize(item: MessageItem): Promise<Message> {
  return {
    id: item.messageId,
    roomId: item.roomId,
    seq: item.seq,
    sender: {
      id: item.senderId,
      handle: item.senderHandle,
      displayName: item.senderName,
      avatarUrl: item.senderAvatar ? `/media/${item.senderAvatar}` : null,
    },
    text: item.text,
    media: item.deletedAt ? [] : await signedMedia(item.mediaIds ?? []),
    replyTo: item.replyToId ? { id: item.replyToId, seq: item.replyToSeq ?? 0 } : null,
    createdAt: new Date(item.createdAt).toISOString(),
    editedAt: item.editedAt ? new Date(item.editedAt).toISOString() : null,
    deleted: item.deletedAt !== undefined,
  };
}

async function roomChanged(
  roomId: string,
  userIds: string[],
  reason: "created" | "member_added" | "member_removed" | "member_left",
  removed?: string,
) {
  const actor = useUserId();
  await Promise.all(
    userIds.map((id) =>
      deliver([id], envelope("room.updated", { roomId, reason, member: id !== removed }), { actor }),
    ),
  );
}

const notMember = () =>
  new VisibleError("forbidden", "room.not_member", "You are not a member of this room.");
const retry = () =>
  new VisibleError("conflict", "room.retry", "The room changed meanwhile; please try again.");
const gone = () => new VisibleError("not-found", "chat.message_not_found", "This message was deleted.");
const tooMany = () =>
  new VisibleError("input", "room.too_many_members", `A room has at most ${MAX_MEMBERS} members.`);
