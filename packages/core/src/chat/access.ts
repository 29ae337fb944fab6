import { VisibleError } from "../error";
import * as Users from "../user/read";
import { MembershipEntity, type MembershipItem, RoomEntity, type RoomItem } from "./room.entity";

// Membership is the one gate of every chat route and event: strongly consistent reads, 403 otherwise.

export async function requireMember(
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

export async function members(roomId: string): Promise<MembershipItem[]> {
  return (await MembershipEntity.query.byRoom({ roomId }).go({ pages: "all" })).data;
}

export async function memberIds(roomId: string): Promise<string[]> {
  return (await members(roomId)).map((m) => m.userId);
}

export type Status = "member" | "request" | "invited";

/** A membership's status; items written before message requests have none and are plain members. */
export const statusOf = (m: Pick<MembershipItem, "status">): Status => m.status ?? "member";

/** A member who hears the room: accepted and not archived. Requests and invitations stay quiet. */
export const isActive = (m: MembershipItem) => statusOf(m) === "member" && m.archivedAt === undefined;

/** A request or invitation still waiting for an answer: gets only a quiet nudge for the request count. */
export const isPending = (m: MembershipItem) => statusOf(m) !== "member" && m.archivedAt === undefined;

/** Who gets a room's live events and pushes. */
export async function activeMemberIds(roomId: string): Promise<string[]> {
  return (await members(roomId)).filter(isActive).map((m) => m.userId);
}

/** A member by handle, suspended or not: managing a membership that exists (remove, role) is not contact. */
export async function userIdOf(handle: string): Promise<string> {
  const userId = await Users.idOf(handle.replace(/^@/, ""));
  if (!userId) throw noOne(handle);
  return userId;
}

/** Someone to start a room with or add to one: a suspended user is nobody to others, as for an unknown handle. */
export async function contactIdOf(handle: string): Promise<string> {
  const userId = await Users.actionableIdOf(handle.replace(/^@/, ""));
  if (!userId) throw noOne(handle);
  return userId;
}

/** What an unknown (or suspended) handle answers. */
export const noOne = (handle: string) =>
  new VisibleError("not-found", "profile.not_found", `No one has the handle @${handle}.`);

export async function profileOf(userId: string) {
  const user = await Users.stored(userId);
  if (!user)
    throw new VisibleError("not-found", "profile.not_found", "Create your profile first: choose a handle.");
  return user;
}

export const notMember = () =>
  new VisibleError("forbidden", "room.not_member", "You are not a member of this room.");
