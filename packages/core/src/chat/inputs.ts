import { Emoji } from "@asyncsns/realtime";
import * as z from "zod";
import { MAX_ATTACHMENTS } from "../media/limits";
import { MESSAGE, ROOM_NAME } from "../text/limits";
import { checkText, freeText } from "../util";
import { MessageId, RoomId } from "./ids";

// Apart from the use cases so route definitions and the OpenAPI document do not bundle the command side.

export const MAX_MEMBERS = 50;
export const MAX_TEXT = MESSAGE.max;

export const Seq = z.coerce.number().int().nonnegative();
const HandleRef = z.string().trim().min(1).max(64);

const Text = freeText(MESSAGE);

const RoomName = freeText(ROOM_NAME);

/** Whether a message is too long in characters or bytes, as the API decides it (the composer's check). */
export const messageTooLong = (text: string) => checkText(text, MESSAGE)?.code === MESSAGE.code;

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
  /** "group" makes a group even with one other person; by default one person means the 1:1 room. */
  kind: z.enum(["direct", "group"]).optional(),
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
/** The emoji travels in the path, percent-encoded; the gateway decodes it. */
export const React = z.object({ roomId: RoomId, messageId: MessageId, emoji: Emoji });
export const MarkRead = z.object({ roomId: RoomId, seq: Seq });

export const History = z.object({
  roomId: RoomId,
  afterSeq: Seq.optional(),
  beforeSeq: Seq.optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

/** The chat list's tabs: the inbox, requests and invitations waiting for an answer, rooms one left. */
export const Folder = z.enum(["inbox", "requests", "archived"]);
export const ListRooms = z.object({ folder: Folder.optional() });

export const RenameRoom = z.object({ roomId: RoomId, name: RoomName });
export const SetRole = z.object({ roomId: RoomId, handle: HandleRef, role: z.enum(["admin", "member"]) });
