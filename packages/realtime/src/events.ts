import { z } from "zod";

/** The registry of event types: one schema per dotted type, shared by server and browser. */
export const events = {
  "system.pong": z.object({ at: z.number().int() }),
  "system.error": z.object({ code: z.string(), message: z.string() }),
} as const;

export type EventType = keyof typeof events;
export type EventData<T extends EventType> = z.infer<(typeof events)[T]>;

/** Client → server actions, selected by API Gateway on `$request.body.action`. */
export const Action = z.discriminatedUnion("action", [z.object({ action: z.literal("ping") })]);
export type Action = z.infer<typeof Action>;
