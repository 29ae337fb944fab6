// Typed calls for rooms and messages (the shapes of /api/openapi.json); message shapes come from the realtime package.
import type { Message } from "@asyncsns/realtime";
import { request } from "./api";

export type { Message, MessageMedia, Sender } from "@asyncsns/realtime";

export type Role = "owner" | "admin" | "member";

export interface Member {
  id: string;
  handle: string;
  displayName: string;
  avatarUrl: string | null;
  role: Role;
  lastReadSeq: number;
}

export interface Room {
  id: string;
  kind: "direct" | "group";
  name: string | null;
  members: Member[];
  /** The room's last seq: a client that has it has everything. */
  seq: number;
  lastMessage: Message | null;
  unread: number;
  myRole: Role;
  createdAt: string;
}

export const MESSAGE_MAX = 4_000;
/** A group holds at most this many people, its owner included. */
export const MAX_MEMBERS = 50;
export const PAGE = 50;
/** The largest page the history route answers. */
const PAGE_MAX = 100;

const enc = encodeURIComponent;

export const chatApi = {
  listRooms: () => request<{ items: Room[] }>("GET", "/rooms"),
  getRoom: (id: string) => request<Room>("GET", `/rooms/${enc(id)}`),
  createRoom: (input: { memberHandles: string[]; name?: string }) => request<Room>("POST", "/rooms", input),
  messages: (id: string, query: { afterSeq?: number; beforeSeq?: number; limit?: number } = {}) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
    const qs = params.toString();
    return request<{ items: Message[] }>("GET", `/rooms/${enc(id)}/messages${qs ? `?${qs}` : ""}`);
  },
  /** Every message from `firstSeq` to `lastSeq` as stored now, read page by page. */
  range: async (id: string, firstSeq: number, lastSeq: number): Promise<Message[]> => {
    const out: Message[] = [];
    for (let after = firstSeq - 1; after < lastSeq; ) {
      const { items } = await chatApi.messages(id, {
        afterSeq: after,
        beforeSeq: lastSeq + 1,
        limit: PAGE_MAX,
      });
      out.push(...items);
      const last = items.at(-1);
      if (!last || items.length < PAGE_MAX) break;
      after = last.seq;
    }
    return out;
  },
  send: (id: string, input: { text: string; mediaIds?: string[]; replyTo?: string }) =>
    request<Message>("POST", `/rooms/${enc(id)}/messages`, input),
  edit: (id: string, messageId: string, text: string) =>
    request<Message>("PATCH", `/rooms/${enc(id)}/messages/${enc(messageId)}`, { text }),
  remove: (id: string, messageId: string) =>
    request<void>("DELETE", `/rooms/${enc(id)}/messages/${enc(messageId)}`),
  markRead: (id: string, seq: number) => request<void>("POST", `/rooms/${enc(id)}/read`, { seq }),
  addMembers: (id: string, handles: string[]) =>
    request<Room>("POST", `/rooms/${enc(id)}/members`, { handles }),
  /** Removes a member (owner or admin), or leaves the group when `handle` is the caller's own. */
  removeMember: (id: string, handle: string) =>
    request<void>("DELETE", `/rooms/${enc(id)}/members/${enc(handle)}`),
  setRole: (id: string, handle: string, role: Exclude<Role, "owner">) =>
    request<Room>("PATCH", `/rooms/${enc(id)}/members/${enc(handle)}`, { role }),
};
