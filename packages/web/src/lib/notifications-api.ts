// Calls for notifications, their preferences and this browser's push subscription; shapes from the OpenAPI types.
import type { NotificationPreference, NotificationType } from "@asyncsns/realtime";
import { apiClient, ok } from "./api";
import type { BodyOf } from "./api-types";

export const PAGE_SIZE = 20;

export type PushSubscriptionBody = BodyOf<"/api/push/subscriptions", "post">;

export const notificationsApi = {
  list: (cursor: string | null, limit = PAGE_SIZE) =>
    ok(
      apiClient().GET("/api/notifications", {
        params: { query: cursor ? { cursor, limit } : { limit } },
      }),
    ),
  actors: (id: string, cursor: string | null) =>
    ok(
      apiClient().GET("/api/notifications/{id}/actors", {
        params: { path: { id }, query: cursor ? { cursor } : {} },
      }),
    ),
  unread: () => ok(apiClient().GET("/api/notifications/unread")),
  /** Marks the row `upTo` and every older one read; without it, all of them. */
  markRead: (upTo?: string) =>
    ok(apiClient().POST("/api/notifications/read", { body: upTo ? { upTo } : {} })),
  preferences: () => ok(apiClient().GET("/api/notifications/preferences")),
  /** Changes the given types only; answers every type's preference. */
  savePreferences: (changes: Partial<Record<NotificationType, NotificationPreference>>) =>
    ok(apiClient().PUT("/api/notifications/preferences", { body: changes })),
  subscribePush: (body: PushSubscriptionBody) => ok(apiClient().POST("/api/push/subscriptions", { body })),
  unsubscribePush: (endpoint: string) =>
    ok(apiClient().DELETE("/api/push/subscriptions", { body: { endpoint } })),
};
