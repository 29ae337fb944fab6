import * as z from "zod";
import { Sender } from "./chat";

/** Every notification type, dotted like event types; preferences are keyed by these. */
export const NOTIFICATION_TYPES = [
  "follow",
  "post.like",
  "post.repost",
  "post.reply",
  "post.mention",
  "chat.message",
  "call.missed",
  // A moderator removed the recipient's post or message (the actor is the moderator; the UI names no one).
  "moderation.removed",
] as const;
export const NotificationType = z.enum(NOTIFICATION_TYPES);
export type NotificationType = z.infer<typeof NotificationType>;

/** What a notification is about: the post (like, repost, reply, mention), the room (chat) or the call. */
export const NotificationSubject = z.object({
  kind: z.enum(["post", "room", "call"]),
  id: z.string(),
  /** A short preview (post text, room name, last message), bounded to 140 characters. */
  text: z.string().optional(),
});
export type NotificationSubject = z.infer<typeof NotificationSubject>;

/** One row of the list: a group of the same thing by several people ("Aki and 3 others liked your post"). */
export const NotificationItem = z
  .object({
    id: z.string(),
    type: NotificationType,
    groupKey: z.string(),
    /** The most recent actors, newest first (at most 3); all of them: GET /api/notifications/{id}/actors. */
    actors: z.array(Sender),
    actorCount: z.number().int().nonnegative(),
    subject: NotificationSubject.optional(),
    read: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: "Notification" });
export type NotificationItem = z.infer<typeof NotificationItem>;

export const NotificationCreated = z.object({
  item: NotificationItem,
  unread: z.number().int().nonnegative(),
});
/** Another session read some (upTo: that row and older) or all (upTo null) rows. */
export const NotificationRead = z.object({
  upTo: z.string().nullable(),
  unread: z.number().int().nonnegative(),
});
/** A retraction (unlike, unfollow, delete) removed a row or an actor from it. */
export const NotificationRemoved = z.object({
  id: z.string(),
  item: NotificationItem.nullable(),
  unread: z.number().int().nonnegative(),
});

/** Preference for one type: shown in the app, pushed, and from whom. */
export const NotificationPreference = z.object({
  inApp: z.boolean(),
  push: z.boolean(),
  from: z.enum(["everyone", "following", "followers", "mutuals"]),
});
export type NotificationPreference = z.infer<typeof NotificationPreference>;
export type NotificationPreferences = Record<NotificationType, NotificationPreference>;
