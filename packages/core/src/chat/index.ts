export * as Chat from "./index";

import { envelope } from "@asyncsns/realtime";
import { useUserId } from "../actor";
import { transact } from "../dynamo/service";
import { VisibleError } from "../error";
import { followersAmong, exists as follows } from "../follow";
import { createId } from "../id";
import { Limit } from "../limit";
import { Media } from "../media";
import { isBlocked, requireUnblocked, unblockedChecks } from "../safety/checks";
import { unsuspendedCheck } from "../user/read";
import { fn } from "../util";
import {
  activeMemberIds,
  contactIdOf,
  isActive,
  isPending,
  memberIds,
  members,
  noOne,
  notMember,
  profileOf,
  requireMember,
  userIdOf,
} from "./access";
import { deliver } from "./delivery";
import {
  AddMembers,
  CreateRoom,
  DeleteMessage,
  EditMessage,
  MAX_MEMBERS,
  MarkRead,
  RemoveMember,
  RenameRoom,
  SendMessage,
  SetRole,
} from "./inputs";
import { join } from "./requests";
import {
  DirectEntity,
  MembershipEntity,
  MessageEntity,
  type MessageItem,
  RoomEntity,
  type RoomItem,
} from "./room.entity";
import { type Info, type Message, serialize, view } from "./rooms";

export { MessageId, RoomId } from "./ids";
export * as inputs from "./inputs";
export { MAX_MEMBERS, MAX_TEXT } from "./inputs";
export { react, unreact } from "./reactions";
export { accept, decline, leave } from "./requests";
export { Info, Member, Message, messages, room, rooms, Unread, unread } from "./rooms";
export { typing } from "./typing";

// Each write is followed by delivery so members see it without polling; reads live in rooms.ts.

// ---------- rooms ----------

export const create = fn(CreateRoom, async (input): Promise<{ room: Info; created: boolean }> => {
  const me = await profileOf(useUserId());
  // A suspended user is nobody to others: no room starts with them (history in rooms they share stays).
  const others = [...new Set(await Promise.all(input.memberHandles.map(contactIdOf)))].filter(
    (id) => id !== me.userId,
  );
  if (others.length === 0)
    throw new VisibleError("input", "room.no_members", "Add at least one person other than yourself.");
  if (others.length + 1 > MAX_MEMBERS)
    throw new VisibleError("input", "room.too_many_members", `A room has at most ${MAX_MEMBERS} members.`);
  if (input.kind === "direct" && (others.length !== 1 || input.name !== undefined))
    throw new VisibleError("input", "room.direct", "A 1:1 room has exactly one other person and no name.");
  // A named room, or one asked for as a group, is a group even with two members ("a group of two").
  if (others.length === 1 && input.name === undefined && input.kind !== "group")
    return createDirect(me.userId, others[0]!, otherHandle(input.memberHandles, me.handle));
  await requireUnblocked(
    me.userId,
    others,
    "You cannot start a room with someone who blocked you or whom you block.",
  );
  await Limit.consume("room");
  const roomId = createId("rom");
  // People who do not follow the creator are invited: they join only when they accept.
  const followers = await followersAmong(me.userId, others);
  const outcome = await transact(({ room, membership, user }) => ({
    room: room
      .create({
        roomId,
        kind: "group",
        name: input.name,
        createdBy: me.userId,
        memberCount: others.length + 1,
      })
      .commit(),
    owner: membership.create({ roomId, userId: me.userId, role: "owner" }).commit(),
    members: others.map((userId) =>
      membership
        .create({ roomId, userId, role: "member", ...invitation(followers, userId, me.userId) })
        .commit(),
    ),
    // A suspension landing since the handles were read: nobody is added to a room with them.
    unsuspended: others.map((userId) => unsuspendedCheck({ user }, userId)),
  }));
  if (!outcome.ok)
    throw outcome.failed.includes("unsuspended") ? suspendedAmong(input.memberHandles) : retry();
  await roomChanged(roomId, [me.userId, ...others], "created");
  return { room: await view(roomId, me.userId), created: true };
});

/** A 1:1 room is keyed by the sorted pair: creating it twice, even at once, yields one room. */
async function createDirect(
  userId: string,
  otherId: string,
  handle: string,
): Promise<{ room: Info; created: boolean }> {
  const pairKey = [userId, otherId].sort().join("#");
  const existing = await DirectEntity.get({ pairKey }).go();
  // An existing room opens even after a block (read-only, it says why); a new one is refused.
  if (existing.data) {
    // Opening the conversation oneself answers a request (or brings back a room one left).
    await join(existing.data.roomId, userId);
    return { room: await view(existing.data.roomId, userId), created: false };
  }
  await requireUnblocked(userId, [otherId], "You cannot message someone who blocked you or whom you block.");
  // Only a room that will be created counts; opening an existing 1:1 room is free.
  await Limit.consume("room");
  const roomId = createId("rom");
  // A first message from someone the other does not follow lands in their requests.
  const status = (await follows(otherId, userId)) ? "member" : "request";
  const outcome = await transact(({ room, direct, membership, user }) => ({
    pair: direct.create({ pairKey, roomId }).commit(),
    room: room.create({ roomId, kind: "direct", createdBy: userId, memberCount: 2 }).commit(),
    members: [
      membership.create({ roomId, userId, role: "member" }).commit(),
      membership.create({ roomId, userId: otherId, role: "member", status }).commit(),
    ],
    // A suspension landing since the handle was read: no room (nor request) is written.
    unsuspended: unsuspendedCheck({ user }, otherId),
  }));
  if (!outcome.ok && outcome.failed.includes("unsuspended")) throw noOne(handle);
  if (!outcome.ok) {
    // Most often the pair item: the same room was created at once from the other side.
    const winner = await DirectEntity.get({ pairKey }).go();
    if (!winner.data) throw retry();
    return { room: await view(winner.data.roomId, userId), created: false };
  }
  await roomChanged(roomId, [userId, otherId], "created");
  return { room: await view(roomId, userId), created: true };
}

export const addMembers = fn(AddMembers, async ({ roomId, handles }) => {
  const userId = useUserId();
  const { room, membership } = await requireMember(roomId, userId);
  requireGroup(room);
  if (membership.role === "member")
    throw new VisibleError("forbidden", "room.not_admin", "Only the room's owner or admins can add people.");
  // A suspended user is nobody to others: nobody adds them (removing one who is a member still works).
  const ids = [...new Set(await Promise.all(handles.map(contactIdOf)))];
  const present = new Set((await members(roomId)).map((m) => m.userId));
  const added = ids.filter((id) => !present.has(id));
  if (added.length > 0) {
    await requireUnblocked(userId, added, "You cannot add someone who blocked you or whom you block.");
    if (room.memberCount + added.length > MAX_MEMBERS) throw tooMany();
    const followers = await followersAmong(userId, added);
    const outcome = await transact(({ room: r, membership: m, user }) => ({
      room: r
        .patch({ roomId })
        .add({ memberCount: added.length })
        .where((a, op) => op.lte(a.memberCount, MAX_MEMBERS - added.length))
        .commit(),
      members: added.map((id) =>
        m.create({ roomId, userId: id, role: "member", ...invitation(followers, id, userId) }).commit(),
      ),
      // A suspension landing since the handles were read: nobody is added.
      unsuspended: added.map((id) => unsuspendedCheck({ user }, id)),
    }));
    if (!outcome.ok && outcome.failed.includes("unsuspended")) throw suspendedAmong(handles);
    if (!outcome.ok) throw outcome.failed.includes("room") ? tooMany() : retry();
    await roomChanged(roomId, [...present, ...added], "member_added");
  }
  return view(roomId, userId);
});

/** Removes a member (owner/admin), or the caller themself (leave). Owners hand the room on when leaving. */
export const removeMember = fn(RemoveMember, async ({ roomId, handle }) => {
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
  const outcome = await transact(({ room: r, membership: m }) => ({
    member: m
      .delete({ roomId, userId: targetId })
      .where((a, op) => op.exists(a.userId))
      .commit(),
    room: r.patch({ roomId }).subtract({ memberCount: 1 }).commit(),
    heir: heir ? m.patch({ roomId, userId: heir.userId }).set({ role: "owner" }).commit() : undefined,
  }));
  if (!outcome.ok) throw retry();
  await roomChanged(
    roomId,
    everyone.map((m) => m.userId),
    leaving ? "member_left" : "member_removed",
    targetId,
  );
});

/** Renames a group (owner or admin); members get room.updated. */
export const rename = fn(RenameRoom, async ({ roomId, name }) => {
  const userId = useUserId();
  const { room, membership } = await requireMember(roomId, userId);
  requireGroup(room);
  if (membership.role === "member")
    throw new VisibleError("forbidden", "room.not_admin", "Only the room's owner or admins can rename it.");
  await RoomEntity.patch({ roomId }).set({ name }).go();
  await roomChanged(roomId, await memberIds(roomId), "renamed");
  return view(roomId, userId);
});

/** Makes a member an admin or back (owner only): admins may add, remove members and rename. */
export const setRole = fn(SetRole, async ({ roomId, handle, role }) => {
  const userId = useUserId();
  const { room, membership } = await requireMember(roomId, userId);
  requireGroup(room);
  if (membership.role !== "owner")
    throw new VisibleError("forbidden", "room.not_owner", "Only the room's owner can change roles.");
  const targetId = await userIdOf(handle);
  if (targetId === userId)
    throw new VisibleError(
      "input",
      "room.owner_role",
      "The owner stays owner; leave the room to hand it on.",
    );
  await MembershipEntity.patch({ roomId, userId: targetId })
    .set({ role })
    .go()
    .catch(() => {
      throw new VisibleError("not-found", "room.member_not_found", `@${handle} is not in this room.`);
    });
  await roomChanged(roomId, await memberIds(roomId), "role_changed");
  return view(roomId, userId);
});

// ---------- messages ----------

export const send = fn(SendMessage, async (input): Promise<Message> => {
  const mediaIds = input.mediaIds ?? [];
  if (input.text.trim() === "" && mediaIds.length === 0)
    throw new VisibleError("input", "chat.empty", "Write something or attach a file.");
  const userId = useUserId();
  await Limit.consume("message");
  const [sender, { room, membership: mine }, replyTo] = await Promise.all([
    profileOf(userId),
    requireMember(input.roomId, userId),
    input.replyTo ? messageById(input.roomId, input.replyTo) : undefined,
    mediaIds.length > 0 ? Media.verifyForAttach(mediaIds, "chat") : undefined,
  ]);
  // A 1:1 room goes read-only once either member blocks the other; the block is checked again in the write.
  const other =
    room.kind === "direct" ? (await memberIds(input.roomId)).find((id) => id !== userId) : undefined;
  if (other && (await isBlocked(userId, other))) throw readOnly();
  // Replying answers a request or invitation; writing in a room one left brings it back.
  if (!isActive(mine)) await join(input.roomId, userId);
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
    // One attempt: losing the seq race (or contention on the room) is retried by allocate with a fresh seq.
    const outcome = await transact(
      ({ room: r, message: m, membership, block }) => ({
        unblocked: other ? unblockedChecks({ block }, sender.userId, other) : undefined,
        counter: r
          .patch({ roomId: input.roomId })
          .set({ seq, lastMessageAt: now })
          .where((a, op) => op.eq(a.seq, seq - 1))
          .commit(),
        message: m.create(message).commit(),
        member: membership
          .check({ roomId: input.roomId, userId: sender.userId })
          .where((a, op) => op.exists(a.userId))
          .commit(),
        media: Media.markAttached(mediaIds, messageId),
      }),
      { attempts: 1 },
    );
    if (outcome.ok) return { ok: true as const, item: message };
    if (outcome.failed.includes("member")) throw notMember();
    if (outcome.failed.includes("unblocked")) throw readOnly();
    if (outcome.failed.includes("media")) throw Media.inUse();
    return { ok: false as const };
  });
  const [message, everyone] = await Promise.all([
    serialize(item as MessageItem),
    members(input.roomId),
    // Your own message is read; a conditional bump so concurrent sends never move it backwards.
    MembershipEntity.patch({ roomId: input.roomId, userId: sender.userId })
      .set({ lastReadSeq: item.seq })
      .where((a, op) => op.lt(a.lastReadSeq, item.seq))
      .go()
      .catch(() => undefined),
  ]);
  await Promise.all([
    deliver(
      everyone.filter(isActive).map((m) => m.userId),
      envelope("chat.message", message),
    ),
    // Pending requests hear no message, only that their request count may have changed.
    deliver(
      everyone.filter(isPending).map((m) => m.userId),
      envelope("room.updated", { roomId: input.roomId, reason: "request", member: true }),
    ),
  ]);
  return message;
});

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

export const edit = fn(EditMessage, async ({ roomId, messageId, text }) => {
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
  await deliver(await memberIds(roomId), envelope("chat.message_updated", message));
  return message;
});

/** Deleting leaves a tombstone (same seq, no text or media) so clients see no gap. */
export const remove = fn(DeleteMessage, async ({ roomId, messageId }) => {
  const userId = useUserId();
  await requireMember(roomId, userId);
  const current = await ownMessage(roomId, messageId, userId);
  const updated = await MessageEntity.patch({ roomId, seq: current.seq })
    .set({ text: "", mediaIds: [], deletedAt: Date.now() })
    .where((a, op) => `${op.notExists(a.deletedAt)} AND ${op.eq(a.senderId, userId)}`)
    .go({ response: "all_new" })
    .catch(() => undefined);
  if (!updated) return;
  // A tombstone signs nothing, but the files themselves go too (derivatives, originals).
  if (current.mediaIds?.length) await Media.release(current.mediaIds);
  const message = await serialize(updated.data as MessageItem);
  await deliver(await memberIds(roomId), envelope("chat.message_deleted", message));
});

/** Moves the caller's read marker forward (never back) and tells the other members. */
export const markRead = fn(MarkRead, async ({ roomId, seq }) => {
  const userId = useUserId();
  const { room, membership } = await requireMember(roomId, userId);
  const upTo = Math.min(seq, room.seq);
  const moved = await MembershipEntity.patch({ roomId, userId })
    .set({ lastReadSeq: upTo })
    .where((a, op) => op.lt(a.lastReadSeq, upTo))
    .go()
    .then(() => true)
    .catch(() => false);
  // Reading a request tells its sender nothing: receipts start once it is accepted.
  if (moved && isActive(membership))
    await deliver(await activeMemberIds(roomId), envelope("chat.read", { roomId, userId, seq: upTo }));
});

// ---------- helpers ----------

/** A new member who does not follow the person adding them is invited, not yet joined. */
function invitation(followers: Set<string>, userId: string, by: string) {
  return followers.has(userId) ? {} : { status: "invited" as const, invitedBy: by };
}

function requireGroup(room: RoomItem) {
  if (room.kind !== "group")
    throw new VisibleError(
      "input",
      "room.direct",
      "A 1:1 room's members cannot change; start a group instead.",
    );
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

async function roomChanged(
  roomId: string,
  userIds: string[],
  reason: "created" | "renamed" | "member_added" | "member_removed" | "member_left" | "role_changed",
  removed?: string,
) {
  await Promise.all(
    userIds.map((id) => deliver([id], envelope("room.updated", { roomId, reason, member: id !== removed }))),
  );
}

const readOnly = () =>
  new VisibleError(
    "forbidden",
    "user.blocked",
    "This conversation is read-only: one of you has blocked the other.",
  );
/** The handle of a 1:1 room's other person, as asked for (the caller may list themself too). */
const otherHandle = (handles: string[], mine: string) =>
  handles.find((h) => h.replace(/^@/, "").toLowerCase() !== mine.toLowerCase()) ?? "";

/** A suspension landed meanwhile on one of `handles` (the transaction does not say which): as for unknown handles. */
const suspendedAmong = (handles: string[]) =>
  handles.length === 1
    ? noOne(handles[0]!)
    : new VisibleError(
        "not-found",
        "profile.not_found",
        `No one has one of the handles @${handles.join(", @")}.`,
      );

const retry = () =>
  new VisibleError("conflict", "room.retry", "The room changed meanwhile; please try again.");
const gone = () => new VisibleError("not-found", "chat.message_not_found", "This message was deleted.");
const tooMany = () =>
  new VisibleError("input", "room.too_many_members", `A room has at most ${MAX_MEMBERS} members.`);
