// Calls for rooms and messages; their shapes come from the generated OpenAPI types.
import { apiClient, ok } from "./api";
import type { BodyOf, Message, QueryOf, Role } from "./api-types";
import type { Emoji } from "./chat-logic";

// The server's rules, from core: a message's length and a group's size are checked before sending.
export { MAX_MEMBERS, MAX_TEXT as MESSAGE_MAX, messageTooLong } from "@asyncsns/core/chat/inputs";
export const PAGE = 50;
/** The largest page the history route answers. */
const PAGE_MAX = 100;

export const chatApi = {
  /** The inbox unless asked; every answer also counts the requests waiting. */
  listRooms: (folder?: QueryOf<"/api/rooms">["folder"]) =>
    ok(apiClient().GET("/api/rooms", { params: { query: folder ? { folder } : {} } })),
  getRoom: (id: string) => ok(apiClient().GET("/api/rooms/{id}", { params: { path: { id } } })),
  createRoom: (body: BodyOf<"/api/rooms", "post">) => ok(apiClient().POST("/api/rooms", { body })),
  messages: (id: string, query: QueryOf<"/api/rooms/{id}/messages"> = {}) =>
    ok(apiClient().GET("/api/rooms/{id}/messages", { params: { path: { id }, query } })),
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
  send: (id: string, body: BodyOf<"/api/rooms/{id}/messages", "post">) =>
    ok(apiClient().POST("/api/rooms/{id}/messages", { params: { path: { id } }, body })),
  edit: (id: string, messageId: string, text: string) =>
    ok(
      apiClient().PATCH("/api/rooms/{id}/messages/{messageId}", {
        params: { path: { id, messageId } },
        body: { text },
      }),
    ),
  remove: (id: string, messageId: string) =>
    ok(apiClient().DELETE("/api/rooms/{id}/messages/{messageId}", { params: { path: { id, messageId } } })),
  /** The caller's unread messages: the total and each room with any. */
  unread: () => ok(apiClient().GET("/api/rooms/unread")),
  react: (id: string, messageId: string, emoji: string, on: boolean) => {
    const params = { params: { path: { id, messageId, emoji: emoji as Emoji } } };
    const path = "/api/rooms/{id}/messages/{messageId}/reactions/{emoji}";
    return ok(on ? apiClient().POST(path, params) : apiClient().DELETE(path, params));
  },
  markRead: (id: string, seq: number) =>
    ok(apiClient().POST("/api/rooms/{id}/read", { params: { path: { id } }, body: { seq } })),
  addMembers: (id: string, handles: string[]) =>
    ok(apiClient().POST("/api/rooms/{id}/members", { params: { path: { id } }, body: { handles } })),
  /** Removes a member (owner or admin), or leaves the group when `handle` is the caller's own. */
  removeMember: (id: string, handle: string) =>
    ok(apiClient().DELETE("/api/rooms/{id}/members/{handle}", { params: { path: { id, handle } } })),
  /** Accepts a message request or group invitation: the room moves to the inbox. */
  accept: (id: string) => ok(apiClient().POST("/api/rooms/{id}/accept", { params: { path: { id } } })),
  /** Deletes a request (its sender is not told) or declines a group invitation. */
  decline: (id: string) => ok(apiClient().POST("/api/rooms/{id}/decline", { params: { path: { id } } })),
  /** Leaves a room: a 1:1 room is archived for the caller, a group is left. */
  leave: (id: string) => ok(apiClient().POST("/api/rooms/{id}/leave", { params: { path: { id } } })),
  setRole: (id: string, handle: string, role: Exclude<Role, "owner">) =>
    ok(
      apiClient().PATCH("/api/rooms/{id}/members/{handle}", {
        params: { path: { id, handle } },
        body: { role },
      }),
    ),
};
