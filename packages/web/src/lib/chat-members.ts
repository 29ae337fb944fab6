// Mirrors the server's member rules (core/src/chat) so the dialog offers only what the server allows.

import type { Member, Role, Room } from "./api-types";
import { MAX_MEMBERS } from "./chat-api";

const RANK: Record<Role, number> = { owner: 2, admin: 1, member: 0 };

export interface MemberActions {
  /** Only someone of a higher role removes a member; nobody removes themselves (that is leaving). */
  remove: boolean;
  /** The role the caller may give this member ("admin" promotes, "member" demotes), or null. */
  setRole: Exclude<Role, "owner"> | null;
}

export function memberActions(myRole: Role, target: Member, meId: string): MemberActions {
  if (target.id === meId) return { remove: false, setRole: null };
  return {
    remove: RANK[myRole] > RANK[target.role],
    setRole:
      myRole !== "owner" || target.role === "owner" ? null : target.role === "admin" ? "member" : "admin",
  };
}

/** Owners and admins add people to a group; a 1:1 room never changes. */
export const canAddMembers = (room: Pick<Room, "kind" | "myRole">): boolean =>
  room.kind === "group" && room.myRole !== "member";

export const isFull = (room: Pick<Room, "members">): boolean => room.members.length >= MAX_MEMBERS;

/** The owner, then admins, then everyone else; by name within each. */
export function sortMembers(members: readonly Member[]): Member[] {
  const name = (m: Member) => m.displayName || m.handle;
  return [...members].sort((a, b) => RANK[b.role] - RANK[a.role] || name(a).localeCompare(name(b)));
}

export const withMember = (room: Room, member: Member): Room =>
  room.members.some((m) => m.id === member.id) ? room : { ...room, members: [...room.members, member] };

export const withoutMember = (room: Room, id: string): Room => ({
  ...room,
  members: room.members.filter((m) => m.id !== id),
});

export const withRole = (room: Room, id: string, role: Role): Room => ({
  ...room,
  members: room.members.map((m) => (m.id === id ? { ...m, role } : m)),
});
