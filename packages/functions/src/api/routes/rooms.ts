import { Chat } from "@asyncsns/core/chat/rooms";
import { createRoute, z } from "@hono/zod-openapi";
import { bearer, ErrorSchema, errors, json } from "./schemas";

const forbidden = json(ErrorSchema, "The caller is not a member of the room (or lacks the role)");
const RoomParam = z.object({ id: z.string().min(1).max(64) });
const MessageParam = RoomParam.extend({ messageId: z.string().min(1).max(64) });
const MemberParam = RoomParam.extend({ handle: z.string().min(1).max(64) });
const body = <T extends z.ZodType>(schema: T) => ({
  body: { content: { "application/json": { schema } }, required: true },
});
const RoomList = z.object({ items: z.array(Chat.Info) });
const MessageList = z.object({ items: z.array(Chat.Message) });
const common = { 400: errors[400], 401: errors[401], 403: forbidden, 404: errors[404] };

export const createRoom = createRoute({
  method: "post",
  path: "/api/rooms",
  tags: ["chat"],
  summary: "Create a group, or the 1:1 room with one person (idempotent: the same pair gets the same room)",
  security: bearer,
  request: body(Chat.inputs.CreateRoom),
  responses: {
    201: json(Chat.Info, "The new room"),
    200: json(Chat.Info, "The existing 1:1 room"),
    ...common,
    409: errors[409],
  },
});

export const listRooms = createRoute({
  method: "get",
  path: "/api/rooms",
  tags: ["chat"],
  summary: "The caller's rooms, most recent message first, with unread counts",
  security: bearer,
  responses: { 200: json(RoomList, "The rooms"), 401: errors[401] },
});

export const getRoom = createRoute({
  method: "get",
  path: "/api/rooms/{id}",
  tags: ["chat"],
  summary: "One room with its members and read markers",
  security: bearer,
  request: { params: RoomParam },
  responses: { 200: json(Chat.Info, "The room"), ...common },
});

export const sendMessage = createRoute({
  method: "post",
  path: "/api/rooms/{id}/messages",
  tags: ["chat"],
  summary: "Send a message; it gets the room's next seq and reaches members over the WebSocket",
  security: bearer,
  request: { params: RoomParam, ...body(Chat.inputs.SendMessage.omit({ roomId: true })) },
  responses: { 201: json(Chat.Message, "The stored message"), ...common, 409: errors[409] },
});

export const listMessages = createRoute({
  method: "get",
  path: "/api/rooms/{id}/messages",
  tags: ["chat"],
  summary:
    "Messages ordered by seq: after `afterSeq` (resume), before `beforeSeq` (scroll back), or the latest",
  security: bearer,
  request: { params: RoomParam, query: Chat.inputs.History.omit({ roomId: true }) },
  responses: { 200: json(MessageList, "Messages in seq order"), ...common },
});

export const editMessage = createRoute({
  method: "patch",
  path: "/api/rooms/{id}/messages/{messageId}",
  tags: ["chat"],
  summary: "Edit one's own message",
  security: bearer,
  request: { params: MessageParam, ...body(Chat.inputs.EditMessage.omit({ roomId: true, messageId: true })) },
  responses: { 200: json(Chat.Message, "The edited message"), ...common },
});

export const deleteMessage = createRoute({
  method: "delete",
  path: "/api/rooms/{id}/messages/{messageId}",
  tags: ["chat"],
  summary: "Delete one's own message, leaving a tombstone at its seq",
  security: bearer,
  request: { params: MessageParam },
  responses: { 204: { description: "Deleted" }, ...common },
});

export const addMembers = createRoute({
  method: "post",
  path: "/api/rooms/{id}/members",
  tags: ["chat"],
  summary: "Add people to a group (owner or admin; at most 50 members)",
  security: bearer,
  request: { params: RoomParam, ...body(Chat.inputs.AddMembers.omit({ roomId: true })) },
  responses: { 200: json(Chat.Info, "The room"), ...common, 409: errors[409] },
});

export const removeMember = createRoute({
  method: "delete",
  path: "/api/rooms/{id}/members/{handle}",
  tags: ["chat"],
  summary: "Remove a member (owner or admin), or leave with one's own handle",
  security: bearer,
  request: { params: MemberParam },
  responses: { 204: { description: "Removed" }, ...common, 409: errors[409] },
});

export const markRead = createRoute({
  method: "post",
  path: "/api/rooms/{id}/read",
  tags: ["chat"],
  summary: "Move the caller's read marker to `seq` (never backwards); members get chat.read",
  security: bearer,
  request: { params: RoomParam, ...body(Chat.inputs.MarkRead.omit({ roomId: true })) },
  responses: { 204: { description: "Marked" }, ...common },
});

export const renameRoom = createRoute({
  method: "patch",
  path: "/api/rooms/{id}",
  tags: ["chat"],
  summary: "Rename a group (owner or admin)",
  security: bearer,
  request: { params: RoomParam, ...body(Chat.inputs.RenameRoom.omit({ roomId: true })) },
  responses: { 200: json(Chat.Info, "The room"), ...common },
});

export const setMemberRole = createRoute({
  method: "patch",
  path: "/api/rooms/{id}/members/{handle}",
  tags: ["chat"],
  summary: "Make a member an admin, or an admin a member again (owner only)",
  security: bearer,
  request: { params: MemberParam, ...body(Chat.inputs.SetRole.omit({ roomId: true, handle: true })) },
  responses: { 200: json(Chat.Info, "The room"), ...common },
});

export const chatRoutes = [
  renameRoom,
  setMemberRole,
  createRoom,
  sendMessage,
  editMessage,
  deleteMessage,
  addMembers,
  removeMember,
  markRead,
  listRooms,
  getRoom,
  listMessages,
];
