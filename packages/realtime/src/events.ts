import * as z from "zod";
import { CallAccepted, CallEnded, CallRinging, CallSignal } from "./call";
import { Message, Reaction, Read, RoomUpdated, Typing } from "./chat";
import { NotificationCreated, NotificationRead, NotificationRemoved } from "./notification";
import { TimelinePost } from "./timeline";

/** The one registry of event types, a schema per dotted type, so server and browser agree on every payload. */
export const events = {
  "system.pong": z.object({ at: z.number().int() }),
  "system.error": z.object({ code: z.string(), message: z.string() }),
  "chat.message": Message,
  "chat.message_updated": Message,
  "chat.message_deleted": Message,
  "chat.typing": Typing,
  "chat.read": Read,
  "chat.reaction": Reaction,
  "room.updated": RoomUpdated,
  "notification.created": NotificationCreated,
  "notification.read": NotificationRead,
  "notification.removed": NotificationRemoved,
  "timeline.post": TimelinePost,
  "call.ringing": CallRinging,
  "call.accepted": CallAccepted,
  "call.ended": CallEnded,
  "call.signal": CallSignal,
} as const;

export const namespaces = ["system", "chat", "room", "notification", "timeline", "call"] as const;

export type EventType = keyof typeof events;
export type EventData<T extends EventType> = z.infer<(typeof events)[T]>;

export const isEventType = (type: string): type is EventType => Object.hasOwn(events, type);

/** Client → server actions, selected by API Gateway on `$request.body.action`. */
export const Action = z.discriminatedUnion("action", [
  z.object({ action: z.literal("ping") }),
  z.object({ action: z.literal("typing"), roomId: z.string().min(1).max(64) }),
  // `data` is relayed as is to the other participant's device; the route bounds the frame to MAX_SIGNAL_BYTES.
  // `device` is a random id the tab keeps: a device whose socket reconnected (a network change) is known again by it.
  z.object({
    action: z.literal("call.signal"),
    callId: z.string().min(1).max(64),
    device: z.string().min(8).max(64).optional(),
    data: z.unknown(),
  }),
]);
export type Action = z.infer<typeof Action>;
