// Chat's read side only: core/chat's index delivers over the WebSocket, which the Query Lambda does not link.
import { Chat } from "@asyncsns/core/chat/rooms";
import { createRoute, z } from "@hono/zod-openapi";
import { createSubApp } from "../app";
import { bearer, ErrorSchema, errors, IdParam, json } from "./schemas";

const forbidden = json(ErrorSchema, "The caller is not a member of the room (or lacks the role)");
export const roomErrors = { 400: errors[400], 401: errors[401], 403: forbidden, 404: errors[404] };
const RoomList = z.object({
  items: z.array(Chat.Info),
  /** Requests and group invitations waiting for the caller's answer (the Requests tab's count). */
  requests: z.number().int(),
});
const MessageList = z.object({ items: z.array(Chat.Message) });

/** Query Lambda. */
export const queries = createSubApp()
  .openapi(
    createRoute({
      method: "get",
      path: "/api/rooms",
      tags: ["chat"],
      summary:
        "The caller's rooms in a folder (inbox, requests, archived), most recent message first, with unread counts",
      security: bearer,
      request: { query: Chat.inputs.ListRooms },
      responses: { 200: json(RoomList, "The rooms"), 400: errors[400], 401: errors[401] },
    }),
    async (c) => c.json(await Chat.rooms(c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/api/rooms/unread",
      tags: ["chat"],
      summary: "The caller's unread messages: the total (Chat tab badge) and each room with any",
      security: bearer,
      responses: { 200: json(Chat.Unread, "Unread counts"), 401: errors[401] },
    }),
    async (c) => c.json(await Chat.unread(), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/api/rooms/{id}",
      tags: ["chat"],
      summary: "One room with its members and read markers",
      security: bearer,
      request: { params: IdParam },
      responses: { 200: json(Chat.Info, "The room"), ...roomErrors },
    }),
    async (c) => c.json(await Chat.room(c.req.valid("param").id), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/api/rooms/{id}/messages",
      tags: ["chat"],
      summary:
        "Messages ordered by seq: after `afterSeq` (resume), before `beforeSeq` (scroll back), or the latest",
      security: bearer,
      request: { params: IdParam, query: Chat.inputs.History.omit({ roomId: true }) },
      responses: { 200: json(MessageList, "Messages in seq order"), ...roomErrors },
    }),
    async (c) =>
      c.json(await Chat.messages({ ...c.req.valid("query"), roomId: c.req.valid("param").id }), 200),
  );
