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

/**
 * A call shown in its 1:1 room's history ("Missed call", "Video call · 3:21"). The enums repeat call.ts's final
 * states here because call.ts imports this file (test/realtime checks they agree).
 */
export const MessageCall = z.object({
  id: z.string(),
  kind: z.enum(["audio", "video"]),
  state: z.enum(["ended", "declined", "cancelled", "missed", "busy"]),
  endReason: z.enum(["hangup", "declined", "cancelled", "missed", "busy", "failed"]).optional(),
  durationSeconds: z.number().int().nonnegative(),
});
export type MessageCall = z.infer<typeof MessageCall>;

/** The fixed set of reactions a message can get: small on purpose, so counts fit on the message itself. */
export const REACTIONS = ["👍", "❤️", "😂", "😮", "😢", "🙏"] as const;
export const Emoji = z.enum(REACTIONS);
export type Emoji = z.infer<typeof Emoji>;

/** One emoji's count on a message and whether the reader is among those who chose it. */
export const ReactionCount = z.object({
  emoji: Emoji,
  count: z.number().int().positive(),
  mine: z.boolean(),
});
export type ReactionCount = z.infer<typeof ReactionCount>;

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
    /** Set on the message a call leaves in its room; optional so messages stored before calls still parse. */
    call: MessageCall.optional(),
    /** In REACTIONS order, only those with a count; `mine` is false in events (they go to every member). */
    reactions: z.array(ReactionCount).optional(),
  })
  .meta({ id: "Message" });
export type Message = z.infer<typeof Message>;

export const Typing = z.object({ roomId: z.string(), userId: z.string(), handle: z.string() });
export const Read = z.object({ roomId: z.string(), userId: z.string(), seq: z.number().int().nonnegative() });
export const RoomUpdated = z.object({
  roomId: z.string(),
  reason: z.enum([
    "created",
    "renamed",
    "member_added",
    "member_removed",
    "member_left",
    "role_changed",
    // Message requests: a quiet nudge to the recipient (the list's request count), and the answers.
    "request",
    "accepted",
    "declined",
  ]),
  /** Whether the recipient is still a member; false tells the UI to drop the room. */
  member: z.boolean(),
});
/** Someone reacted or took a reaction back; `count` is the emoji's count on the message after the change. */
export const Reaction = z.object({
  roomId: z.string(),
  messageId: z.string(),
  seq: z.number().int().positive(),
  emoji: Emoji,
  userId: z.string(),
  reacted: z.boolean(),
  count: z.number().int().nonnegative(),
});
export type Reaction = z.infer<typeof Reaction>;
