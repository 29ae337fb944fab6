import { describe, expect, it } from "vitest";
import type { Member, Role, Room } from "../src/lib/api-types";
import {
  canAddMembers,
  isFull,
  memberActions,
  sortMembers,
  withMember,
  withoutMember,
  withRole,
} from "../src/lib/chat-members";

const member = (id: string, role: Role = "member", displayName = id.toUpperCase()): Member => ({
  id,
  handle: id,
  displayName,
  avatarUrl: null,
  role,
  status: "member",
  lastReadSeq: 0,
});
const group = (members: Member[], myRole: Role = "owner"): Room => ({
  id: "rom_1",
  kind: "group",
  name: "Trip",
  members,
  seq: 0,
  lastMessage: null,
  unread: 0,
  myRole,
  status: "member",
  archived: false,
  invitedBy: null,
  createdAt: "2026-01-01T00:00:00.000Z",
});

describe("memberActions", () => {
  const owner = member("o", "owner");
  const admin = member("a", "admin");
  const plain = member("m");

  it("lets the owner remove anyone else and promote or demote them", () => {
    expect(memberActions("owner", plain, "o")).toEqual({ remove: true, setRole: "admin" });
    expect(memberActions("owner", admin, "o")).toEqual({ remove: true, setRole: "member" });
  });

  it("lets an admin remove plain members only, and change no roles", () => {
    expect(memberActions("admin", plain, "a")).toEqual({ remove: true, setRole: null });
    expect(memberActions("admin", member("a2", "admin"), "a")).toEqual({ remove: false, setRole: null });
    expect(memberActions("admin", owner, "a")).toEqual({ remove: false, setRole: null });
  });

  it("offers a plain member nothing", () => {
    for (const target of [owner, admin, member("m2")])
      expect(memberActions("member", target, "m")).toEqual({ remove: false, setRole: null });
  });

  it("offers nobody an action on themselves: that is leaving", () => {
    expect(memberActions("owner", owner, "o")).toEqual({ remove: false, setRole: null });
    expect(memberActions("admin", admin, "a")).toEqual({ remove: false, setRole: null });
  });
});

describe("adding people", () => {
  it("is for owners and admins of groups", () => {
    expect(canAddMembers(group([], "owner"))).toBe(true);
    expect(canAddMembers(group([], "admin"))).toBe(true);
    expect(canAddMembers(group([], "member"))).toBe(false);
    expect(canAddMembers({ ...group([], "owner"), kind: "direct" })).toBe(false);
  });

  it("stops at 50 members", () => {
    const people = (n: number) => Array.from({ length: n }, (_, i) => member(`u${i}`));
    expect(isFull(group(people(49)))).toBe(false);
    expect(isFull(group(people(50)))).toBe(true);
  });
});

describe("the member list", () => {
  it("shows the owner, then admins, then members, by name within each", () => {
    const sorted = sortMembers([
      member("z", "member", "Zoe"),
      member("b", "admin", "Bea"),
      member("a", "member", "Al"),
      member("o", "owner", "Olga"),
      member("c", "admin", "Cy"),
    ]);
    expect(sorted.map((m) => m.id)).toEqual(["o", "b", "c", "a", "z"]);
  });

  it("changes optimistically and rolls back to the same members", () => {
    const room = group([member("o", "owner"), member("m")]);
    const added = withMember(room, member("n"));
    expect(added.members.map((m) => m.id)).toEqual(["o", "m", "n"]);
    expect(withMember(added, member("n"))).toBe(added);
    expect(withoutMember(added, "n")).toEqual(room);
    const promoted = withRole(room, "m", "admin");
    expect(promoted.members.find((m) => m.id === "m")?.role).toBe("admin");
    expect(withRole(promoted, "m", "member")).toEqual(room);
    expect(room.members[1]?.role).toBe("member");
  });
});
