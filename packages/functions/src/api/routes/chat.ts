import { Chat } from "@asyncsns/core/chat";
import { createRoute, z } from "@hono/zod-openapi";
import { count } from "../../metrics";
import { createSubApp } from "../app";
import { roomErrors } from "./chat-queries";
import { bearer, errors, IdParam, json, rateLimited } from "./schemas";

const MessageParam = IdParam.extend({ messageId: z.string().min(1).max(64) });
const MemberParam = IdParam.extend({ handle: z.string().min(1).max(64) });
const ReactionParam = MessageParam.extend({ emoji: Chat.inputs.React.shape.emoji });
const body = <T extends z.ZodType>(schema: T) => ({
  body: { content: { "application/json": { schema } }, required: true },
});

/** Chat Lambda: rooms and messages. */
export const commands = createSubApp()
  .openapi(
    createRoute({
      method: "post",
      path: "/api/rooms",
      tags: ["chat"],
      summary:
        "Create a group, or the 1:1 room with one person (idempotent: the same pair gets the same room)",
      security: bearer,
      request: body(Chat.inputs.CreateRoom),
      responses: {
        201: json(Chat.Info, "The new room"),
        200: json(Chat.Info, "The existing 1:1 room"),
        ...roomErrors,
        409: errors[409],
        429: rateLimited,
      },
    }),
    async (c) => {
      const { room, created } = await Chat.create(c.req.valid("json"));
      return c.json(room, created ? 201 : 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/api/rooms/{id}/messages",
      tags: ["chat"],
      summary: "Send a message; it gets the room's next seq and reaches members over the WebSocket",
      security: bearer,
      request: { params: IdParam, ...body(Chat.inputs.SendMessage.omit({ roomId: true })) },
      responses: {
        201: json(Chat.Message, "The stored message"),
        ...roomErrors,
        409: errors[409],
        429: rateLimited,
      },
    }),
    async (c) => {
      const message = await Chat.send({ ...c.req.valid("json"), roomId: c.req.valid("param").id });
      // Stored with its seq and handed to live sockets and the notification pipeline.
      count("MessageDelivered");
      return c.json(message, 201);
    },
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/api/rooms/{id}/messages/{messageId}",
      tags: ["chat"],
      summary: "Edit one's own message",
      security: bearer,
      request: {
        params: MessageParam,
        ...body(Chat.inputs.EditMessage.omit({ roomId: true, messageId: true })),
      },
      responses: { 200: json(Chat.Message, "The edited message"), ...roomErrors },
    }),
    async (c) => {
      const { id, messageId } = c.req.valid("param");
      return c.json(await Chat.edit({ ...c.req.valid("json"), roomId: id, messageId }), 200);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/api/rooms/{id}/messages/{messageId}",
      tags: ["chat"],
      summary: "Delete one's own message, leaving a tombstone at its seq",
      security: bearer,
      request: { params: MessageParam },
      responses: { 204: { description: "Deleted" }, ...roomErrors },
    }),
    async (c) => {
      await Chat.remove({ roomId: c.req.valid("param").id, messageId: c.req.valid("param").messageId });
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/api/rooms/{id}/members",
      tags: ["chat"],
      summary: "Add people to a group (owner or admin; at most 50 members)",
      security: bearer,
      request: { params: IdParam, ...body(Chat.inputs.AddMembers.omit({ roomId: true })) },
      responses: { 200: json(Chat.Info, "The room"), ...roomErrors, 409: errors[409] },
    }),
    async (c) =>
      c.json(await Chat.addMembers({ ...c.req.valid("json"), roomId: c.req.valid("param").id }), 200),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/api/rooms/{id}/members/{handle}",
      tags: ["chat"],
      summary: "Remove a member (owner or admin), or leave with one's own handle",
      security: bearer,
      request: { params: MemberParam },
      responses: { 204: { description: "Removed" }, ...roomErrors, 409: errors[409] },
    }),
    async (c) => {
      await Chat.removeMember({ roomId: c.req.valid("param").id, handle: c.req.valid("param").handle });
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/api/rooms/{id}",
      tags: ["chat"],
      summary: "Rename a group (owner or admin)",
      security: bearer,
      request: { params: IdParam, ...body(Chat.inputs.RenameRoom.omit({ roomId: true })) },
      responses: { 200: json(Chat.Info, "The room"), ...roomErrors },
    }),
    async (c) => c.json(await Chat.rename({ ...c.req.valid("json"), roomId: c.req.valid("param").id }), 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/api/rooms/{id}/members/{handle}",
      tags: ["chat"],
      summary: "Make a member an admin, or an admin a member again (owner only)",
      security: bearer,
      request: { params: MemberParam, ...body(Chat.inputs.SetRole.omit({ roomId: true, handle: true })) },
      responses: { 200: json(Chat.Info, "The room"), ...roomErrors },
    }),
    async (c) => {
      const { id, handle } = c.req.valid("param");
      return c.json(await Chat.setRole({ ...c.req.valid("json"), roomId: id, handle }), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/api/rooms/{id}/messages/{messageId}/reactions/{emoji}",
      tags: ["chat"],
      summary: "React to a message with one emoji of the fixed set (idempotent); members get chat.reaction",
      security: bearer,
      request: { params: ReactionParam },
      responses: {
        200: json(Chat.Message, "The message with its reactions"),
        ...roomErrors,
        409: errors[409],
      },
    }),
    async (c) => {
      const { id, messageId, emoji } = c.req.valid("param");
      return c.json(await Chat.react({ roomId: id, messageId, emoji }), 200);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/api/rooms/{id}/messages/{messageId}/reactions/{emoji}",
      tags: ["chat"],
      summary: "Take one's reaction back (idempotent)",
      security: bearer,
      request: { params: ReactionParam },
      responses: {
        200: json(Chat.Message, "The message with its reactions"),
        ...roomErrors,
        409: errors[409],
      },
    }),
    async (c) => {
      const { id, messageId, emoji } = c.req.valid("param");
      return c.json(await Chat.unreact({ roomId: id, messageId, emoji }), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/api/rooms/{id}/accept",
      tags: ["chat"],
      summary: "Accept a message request or group invitation (idempotent): the room moves to the inbox",
      security: bearer,
      request: { params: IdParam },
      responses: { 200: json(Chat.Info, "The room, now a normal one"), ...roomErrors },
    }),
    async (c) => c.json(await Chat.accept(c.req.valid("param").id), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/api/rooms/{id}/decline",
      tags: ["chat"],
      summary:
        "Delete a message request (hidden for the caller; the sender is not told) or decline a group invitation",
      security: bearer,
      request: { params: IdParam },
      responses: {
        204: { description: "Declined (a request: or deleted already)" },
        ...roomErrors,
        409: errors[409],
      },
    }),
    async (c) => {
      await Chat.decline(c.req.valid("param").id);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/api/rooms/{id}/leave",
      tags: ["chat"],
      summary:
        "Leave a room: a group as removing oneself; a 1:1 room is archived for the caller (again: no-op)",
      security: bearer,
      request: { params: IdParam },
      responses: {
        204: { description: "Left (a 1:1 room: or left already)" },
        ...roomErrors,
        409: errors[409],
      },
    }),
    async (c) => {
      await Chat.leave(c.req.valid("param").id);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/api/rooms/{id}/read",
      tags: ["chat"],
      summary: "Move the caller's read marker to `seq` (never backwards); members get chat.read",
      security: bearer,
      request: { params: IdParam, ...body(Chat.inputs.MarkRead.omit({ roomId: true })) },
      responses: { 204: { description: "Marked" }, ...roomErrors },
    }),
    async (c) => {
      await Chat.markRead({ ...c.req.valid("json"), roomId: c.req.valid("param").id });
      return c.body(null, 204);
    },
  );
