import * as z from "zod";

/** The wire shapes of chat objects: the API answers them and events carry them, one schema for both. */
export const Sender = z.object({
  id: z.string(),
  handle: z.string(),
  displayName: z.string(),
  avatarUrl: z.string().nullable(),
});
export type Sender = z.infer<typeof Sender>;

export const MessageMedia = z.object({
  id: z.string(),
  kind: z.enum(["image", "video", "audio"]),
  contentType: z.string(),
  /** Short-lived signed GET URL, issued per read to members only. */
  url: z.string(),
});
export type MessageMedia = z.infer<typeof MessageMedia>;

export const Message = z
  .object({
    id: z.string(),
    roomId: z.string(),
    seq: z.number().int().positive(),
    sender: Sender,
    text: z.string(),
    media: z.array(MessageMedia),
    replyTo: z.object({ id: z.string(), seq: z.number().int() }).nullable(),
    createdAt: z.string(),
    editedAt: z.string().nullable(),
    /** A deleted message stays as a tombstone so seq has no holes. */
    deleted: z.boolean(),
  })
  .meta({ id: "Message" });
export type Message = z.infer<typeof Message>;

export const Typing = z.object({ roomId: z.string(), userId: z.string(), handle: z.string() });
export const Read = z.object({ roomId: z.string(), userId: z.string(), seq: z.number().int().nonnegative() });
export const RoomUpdated = z.object({
  roomId: z.string(),
  reason: z.enum(["created", "renamed", "member_added", "member_removed", "member_left", "role_changed"]),
  /** Whether the recipient is still a member; false tells the UI to drop the room. */
  member: z.boolean(),
});
