// Message requests: a 1:1 room from someone the recipient does not follow, or a group invitation from such a
// person, waits in the recipient's Requests until they accept, delete (decline) or block. Leaving a 1:1 room
// archives it for the leaver. Every answer is one conditional write. Accepting, and answering a 1:1 room, may be
// repeated; one who declined a group or left it is no longer in it, and is refused (403) as any outsider is.

import { envelope } from "@asyncsns/realtime";
import { useUserId } from "../actor";
import { transact } from "../dynamo/service";
import { VisibleError } from "../error";
import { fn } from "../util";
import { activeMemberIds, isActive, memberIds, notMember, profileOf, statusOf } from "./access";
import { deliver } from "./delivery";
import { RoomId } from "./ids";
// A cycle (index re-exports this file) that is safe: removeMember is only called, never read at load.
import { removeMember } from "./index";
import { MembershipEntity, type MembershipItem, RoomEntity, type RoomItem } from "./room.entity";
import { type Info, view } from "./rooms";

/** Accepts a request or invitation (or brings back a room one left): the room moves to the inbox. */
export const accept = fn(RoomId, async (roomId): Promise<Info> => {
  const userId = useUserId();
  await join(roomId, userId);
  return view(roomId, userId);
});

/**
 * Deletes a 1:1 request (hidden for the recipient; its sender is not told) or declines a group invitation (the
 * invitee is no longer in the group). Deleting a request again is a no-op; an accepted room cannot be declined.
 */
export const decline = fn(RoomId, async (roomId): Promise<void> => {
  const userId = useUserId();
  const { room, membership } = await current(roomId, userId);
  const status = statusOf(membership);
  if (status === "member")
    throw new VisibleError(
      "conflict",
      "room.not_request",
      "This conversation is not a request; leave it instead.",
    );
  if (status === "request") {
    const hidden = await MembershipEntity.patch({ roomId, userId })
      .set({ archivedAt: Date.now() })
      .where((a, op) => `${op.eq(a.status, "request")} AND ${op.notExists(a.archivedAt)}`)
      .go()
      .then(() => true)
      .catch(() => false);
    if (hidden)
      await deliver([userId], envelope("room.updated", { roomId, reason: "declined", member: false }));
    return;
  }
  const outcome = await transact(({ room: r, membership: m }) => ({
    member: m
      .delete({ roomId, userId })
      .where((a, op) => op.eq(a.status, "invited"))
      .commit(),
    room: r.patch({ roomId: room.roomId }).subtract({ memberCount: 1 }).commit(),
  }));
  // Lost to a concurrent answer: declined already, or accepted meanwhile (then this decline is too late).
  if (!outcome.ok) return;
  const others = await memberIds(roomId);
  await Promise.all([
    deliver([userId], envelope("room.updated", { roomId, reason: "declined", member: false })),
    deliver(others, envelope("room.updated", { roomId, reason: "declined", member: true })),
  ]);
});

/** Leaves a room: a group as removing oneself does; a 1:1 room is archived for the leaver alone. */
export const leave = fn(RoomId, async (roomId): Promise<void> => {
  const userId = useUserId();
  const { room } = await current(roomId, userId);
  if (room.kind === "group") {
    const me = await profileOf(userId);
    await removeMember({ roomId, handle: me.handle }).catch((error: unknown) => {
      // Left meanwhile (another tab): that leave did it.
      if (error instanceof VisibleError && error.code === "room.member_not_found") return;
      throw error;
    });
    return;
  }
  const archived = await MembershipEntity.patch({ roomId, userId })
    .set({ archivedAt: Date.now() })
    .where((a, op) => `${op.exists(a.userId)} AND ${op.notExists(a.archivedAt)}`)
    .go()
    .then(() => true)
    .catch(() => false);
  if (archived)
    await deliver([userId], envelope("room.updated", { roomId, reason: "member_left", member: false }));
});

/**
 * Makes the caller a full member of a room they are in: answers a request or invitation, un-archives a room they
 * left. A no-op for a member already active; the other members hear of an acceptance.
 */
export async function join(roomId: string, userId: string): Promise<void> {
  const { membership } = await current(roomId, userId);
  if (isActive(membership)) return;
  const wasPending = statusOf(membership) !== "member";
  const joined = await MembershipEntity.patch({ roomId, userId })
    .set({ status: "member" })
    .remove(["archivedAt"])
    .where(
      (a, op) => `${op.exists(a.userId)} AND (${op.ne(a.status, "member")} OR ${op.exists(a.archivedAt)})`,
    )
    .go()
    .then(() => true)
    .catch(() => false);
  if (!joined) return;
  // An acceptance is news to the room; coming back to a room one left is news to no one else.
  await deliver(
    wasPending ? await activeMemberIds(roomId) : [userId],
    envelope("room.updated", { roomId, reason: "accepted", member: true }),
  );
}

/**
 * The room and the caller's membership, strongly consistent; 404 for a room that does not exist, 403 for one the
 * caller is not in (a declined invitation or a group left: answering again is refused as for any outsider).
 */
async function current(
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
