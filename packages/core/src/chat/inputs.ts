import * as z from "zod";
import { MAX_ATTACHMENTS } from "../media/limits";
import { graphemeLength } from "../util";
import { MessageId, RoomId } from "./ids";

// Apart from the use cases so route definitions and the OpenAPI document do not bundle the command side.

export const MAX_MEMBERS = 50;
export const MAX_TEXT = 4_000;

export const Seq = z.coerce.number().int().nonnegative();
const HandleRef = z.string().trim().min(1).max(64);

const Text = z.string().refine((value) => graphemeLength(value) <= MAX_TEXT, {
  message: `A message is at most ${MAX_TEXT} characters.`,
  params: { code: "chat.text_too_long" },
});

const RoomName = z
  .string()
  .trim()
  .refine((value) => graphemeLength(value) >= 1 && graphemeLength(value) <= 80, {
    message: "A room name is 1–80 characters.",
    params: { code: "room.invalid_name" },
  });

export const CreateRoom = z.object({
  /** The other members: the caller makes the room's fiftieth. */
  memberHandles: z
    .array(HandleRef)
    .min(1)
    .refine((handles) => handles.length < MAX_MEMBERS, {
      message: `A room has at most ${MAX_MEMBERS} members.`,
      params: { code: "room.too_many_members" },
    }),
  name: RoomName.optional(),
});

export const AddMembers = z.object({ roomId: RoomId, handles: z.array(HandleRef).min(1).max(MAX_MEMBERS) });
export const RemoveMember = z.object({ roomId: RoomId, handle: HandleRef });

export const SendMessage = z.object({
  roomId: RoomId,
  text: Text,
  mediaIds: z.array(z.string()).max(MAX_ATTACHMENTS).optional(),
  replyTo: MessageId.optional(),
});
export const EditMessage = z.object({ roomId: RoomId, messageId: MessageId, text: Text });
export const DeleteMessage = z.object({ roomId: RoomId, messageId: MessageId });
export const MarkRead = z.object({ roomId: RoomId, seq: Seq });

export const History = z.object({
  roomId: RoomId,
  afterSeq: Seq.optional(),
  beforeSeq: Seq.optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

export const RenameRoom = z.object({ roomId: RoomId, name: RoomName });
export const SetRole = z.object({ roomId: RoomId, handle: HandleRef, role: z.enum(["admin", "member"]) });
