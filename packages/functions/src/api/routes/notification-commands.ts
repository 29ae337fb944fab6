import { useUserId } from "@asyncsns/core/actor";
import { Limit } from "@asyncsns/core/limit";
import { Notification } from "@asyncsns/core/notification";
import { Push } from "@asyncsns/core/push";
import { NotificationPreference, NotificationType } from "@asyncsns/realtime";
import { createRoute, z } from "@hono/zod-openapi";
import { createSubApp } from "../app";
import { Preferences } from "./notifications";
import { bearer, errors, json, rateLimited } from "./schemas";

// Any subset of the types; an unknown type is a 400, not silently dropped.
const PreferencesPatch = z
  .partialRecord(NotificationType, NotificationPreference)
  .refine((v) => Object.keys(v).length > 0, "name at least one type")
  .meta({ id: "NotificationPreferencesPatch" });
const ReadBody = z.object({ upTo: z.string().min(1).max(64).optional() }).meta({ id: "NotificationRead" });
const PushSubscription = Push.SubscribeInput.meta({ id: "PushSubscription" });
const PushEndpoint = Push.UnsubscribeInput.meta({ id: "PushEndpoint" });

const body = <T extends z.ZodType>(schema: T) => ({
  body: { content: { "application/json": { schema } }, required: true },
});

/** Notification Lambda: the commands; it reaches the caller's sockets and push subscriptions. */
export const commands = createSubApp()
  .openapi(
    createRoute({
      method: "post",
      path: "/api/notifications/read",
      tags: ["notifications"],
      summary:
        "Mark read: every row, or the row `upTo` and all older ones; every session of the caller follows",
      security: bearer,
      request: body(ReadBody),
      responses: {
        204: { description: "Marked read" },
        400: errors[400],
        401: errors[401],
        404: errors[404],
        429: rateLimited,
      },
    }),
    async (c) => {
      await Limit.consume("notification");
      await Notification.read(useUserId(), c.req.valid("json").upTo);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/api/notifications/preferences",
      tags: ["notifications"],
      summary: "Change the preferences of any subset of the types; answers every type's",
      security: bearer,
      request: body(PreferencesPatch),
      responses: {
        200: json(Preferences, "Every type's preference"),
        400: errors[400],
        401: errors[401],
        429: rateLimited,
      },
    }),
    async (c) => {
      await Limit.consume("notification");
      return c.json(await Notification.Preferences.put(useUserId(), c.req.valid("json")), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/api/push/subscriptions",
      tags: ["notifications"],
      summary: "Register this browser's push subscription (https push services only)",
      security: bearer,
      request: body(PushSubscription),
      responses: { 201: { description: "Registered" }, 400: errors[400], 401: errors[401], 429: rateLimited },
    }),
    async (c) => {
      await Limit.consume("notification");
      await Push.subscribe(useUserId(), c.req.valid("json"));
      return c.body(null, 201);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/api/push/subscriptions",
      tags: ["notifications"],
      summary: "Forget a push subscription (idempotent)",
      security: bearer,
      request: body(PushEndpoint),
      responses: { 204: { description: "Forgotten" }, 400: errors[400], 401: errors[401] },
    }),
    async (c) => {
      await Push.unsubscribe(useUserId(), c.req.valid("json").endpoint);
      return c.body(null, 204);
    },
  );
