// Calls for notifications, their preferences and this browser's push subscription.
import type {
  NotificationItem,
  NotificationPreference,
  NotificationPreferences,
  NotificationType,
  Sender,
} from "@asyncsns/realtime";
import { callJson } from "./api";

export interface NotificationPage {
  items: NotificationItem[];
  cursor: string | null;
  unread: number;
}

export interface ActorPage {
  items: Sender[];
  cursor: string | null;
}

export interface PushSubscriptionBody {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export const PAGE_SIZE = 20;

const query = (params: Record<string, string | number | null | undefined>) => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== null && value !== undefined && value !== "") search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : "";
};

export const notificationsApi = {
  list: (cursor: string | null, limit = PAGE_SIZE) =>
    callJson<NotificationPage>("GET", `/notifications${query({ cursor, limit })}`),
  actors: (id: string, cursor: string | null) =>
    callJson<ActorPage>("GET", `/notifications/${encodeURIComponent(id)}/actors${query({ cursor })}`),
  unread: () => callJson<{ unread: number }>("GET", "/notifications/unread"),
  /** Marks the row `upTo` and every older one read; without it, all of them. */
  markRead: (upTo?: string) => callJson<void>("POST", "/notifications/read", upTo ? { upTo } : {}),
  preferences: () => callJson<NotificationPreferences>("GET", "/notifications/preferences"),
  /** Changes the given types only; answers every type's preference. */
  savePreferences: (changes: Partial<Record<NotificationType, NotificationPreference>>) =>
    callJson<NotificationPreferences>("PUT", "/notifications/preferences", changes),
  subscribePush: (body: PushSubscriptionBody) => callJson<unknown>("POST", "/push/subscriptions", body),
  unsubscribePush: (endpoint: string) => callJson<void>("DELETE", "/push/subscriptions", { endpoint }),
};
