import { useUserId } from "@asyncsns/core/actor";
import { Notification } from "@asyncsns/core/notification";
import { NOTIFICATION_TYPES, NotificationItem, NotificationPreference, Sender } from "@asyncsns/realtime";
import { createRoute, z } from "@hono/zod-openapi";
import { createSubApp } from "../app";
import { bearer, errors, IdParam, json, PageQuery } from "./schemas";

const Page = z
  .object({ items: z.array(NotificationItem), cursor: z.string().nullable(), unread: z.number().int() })
  .meta({ id: "NotificationPage" });
const Unread = z.object({ unread: z.number().int() }).meta({ id: "NotificationUnread" });
const ActorPage = z
  .object({ items: z.array(Sender), cursor: z.string().nullable() })
  .meta({ id: "NotificationActorPage" });
export const Preferences = z
  .object(Object.fromEntries(NOTIFICATION_TYPES.map((t) => [t, NotificationPreference])))
  .meta({ id: "NotificationPreferences" });
/** Query Lambda: reads of the caller's own notifications and preferences. */
export const queries = createSubApp()
  .openapi(
    createRoute({
      method: "get",
      path: "/api/notifications",
      tags: ["notifications"],
      summary: "The caller's notifications, grouped, newest first, with the exact unread count",
      security: bearer,
      request: { query: PageQuery },
      responses: { 200: json(Page, "A page of notifications"), 400: errors[400], 401: errors[401] },
    }),
    async (c) => c.json(await Notification.list(useUserId(), c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/api/notifications/unread",
      tags: ["notifications"],
      summary: "How many notification rows are unread (the bell's count)",
      security: bearer,
      responses: { 200: json(Unread, "The unread count"), 401: errors[401] },
    }),
    async (c) => c.json({ unread: await Notification.unread(useUserId()) }, 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/api/notifications/preferences",
      tags: ["notifications"],
      summary: "Per type: shown in the app, pushed, and from whom",
      security: bearer,
      responses: { 200: json(Preferences, "Every type's preference"), 401: errors[401] },
    }),
    async (c) => c.json(await Notification.Preferences.get(useUserId()), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/api/notifications/{id}/actors",
      tags: ["notifications"],
      summary: "Everyone in a grouped notification, newest first",
      security: bearer,
      request: { params: IdParam, query: PageQuery },
      responses: {
        200: json(ActorPage, "A page of profiles"),
        400: errors[400],
        401: errors[401],
        404: errors[404],
      },
    }),
    async (c) =>
      c.json(await Notification.actors(useUserId(), c.req.valid("param").id, c.req.valid("query")), 200),
  );
