import { Chat } from "@asyncsns/core/chat";
import { handle } from "hono/aws-lambda";
import { createApp } from "./app";
import {
  addMembers,
  createRoom,
  deleteMessage,
  editMessage,
  markRead,
  removeMember,
  renameRoom,
  sendMessage,
  setMemberRole,
} from "./routes/rooms";

// Chat Lambda: the room and message commands.
export const app = createApp()
  .openapi(createRoom, async (c) => {
    const { room, created } = await Chat.create(c.req.valid("json"));
    return c.json(room, created ? 201 : 200);
  })
  .openapi(sendMessage, async (c) =>
    c.json(await Chat.send({ ...c.req.valid("json"), roomId: c.req.valid("param").id }), 201),
  )
  .openapi(editMessage, async (c) => {
    const { id, messageId } = c.req.valid("param");
    return c.json(await Chat.edit({ ...c.req.valid("json"), roomId: id, messageId }), 200);
  })
  .openapi(deleteMessage, async (c) => {
    await Chat.remove({ roomId: c.req.valid("param").id, messageId: c.req.valid("param").messageId });
    return c.body(null, 204);
  })
  .openapi(addMembers, async (c) =>
    c.json(await Chat.addMembers({ ...c.req.valid("json"), roomId: c.req.valid("param").id }), 200),
  )
  .openapi(removeMember, async (c) => {
    await Chat.removeMember({ roomId: c.req.valid("param").id, handle: c.req.valid("param").handle });
    return c.body(null, 204);
  })
  .openapi(renameRoom, async (c) =>
    c.json(await Chat.rename({ ...c.req.valid("json"), roomId: c.req.valid("param").id }), 200),
  )
  .openapi(setMemberRole, async (c) => {
    const { id, handle } = c.req.valid("param");
    return c.json(await Chat.setRole({ ...c.req.valid("json"), roomId: id, handle }), 200);
  })
  .openapi(markRead, async (c) => {
    await Chat.markRead({ ...c.req.valid("json"), roomId: c.req.valid("param").id });
    return c.body(null, 204);
  });

export const handler = handle(app);
