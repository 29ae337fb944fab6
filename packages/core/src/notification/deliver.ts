// The consumer's use case: preferences → idempotent store → a live event to open sessions, else Web Push.

import { envelope, type NotificationItem, type NotificationType } from "@asyncsns/realtime";
import { Connection } from "../connection";
import { Push } from "../push";
import { Realtime } from "../realtime";
import { Preferences } from "./preferences";
import type { Published } from "./publish";
import { apply, cards, markRead } from "./store";

/** Push urgency and time to live per type (RFC 8030 §5.2, §5.3): a like can wait, a mention or a call cannot. */
export const PUSH_POLICY: Record<NotificationType, { urgency: "low" | "normal" | "high"; ttl: number }> = {
  follow: { urgency: "normal", ttl: 24 * 3600 },
  "post.like": { urgency: "low", ttl: 24 * 3600 },
  "post.repost": { urgency: "low", ttl: 24 * 3600 },
  "post.reply": { urgency: "high", ttl: 24 * 3600 },
  "post.mention": { urgency: "high", ttl: 24 * 3600 },
  "chat.message": { urgency: "high", ttl: 3600 },
  // A missed call is news for a while; a ring is stale in seconds (calls send their own).
  "call.missed": { urgency: "high", ttl: 3600 },
  "moderation.removed": { urgency: "normal", ttl: 7 * 24 * 3600 },
};

/** What a handled event led to, for logs, metrics and tests. */
export type Delivery =
  | { outcome: "skipped"; reason: "self" | "preferences" | "from" | "online" }
  | { outcome: "stale" | "duplicate-retract" }
  | {
      outcome: "stored" | "duplicate" | "retracted" | "pushed-only";
      live: number;
      pushed: number;
      /** Pushes a push service refused (other than gone subscriptions); only when there were any. */
      pushFailed?: number;
    };

/** Where the web app shows a notification's subject. */
export function urlOf(item: Pick<NotificationItem, "type" | "subject" | "actors">): string {
  const s = item.subject;
  if (s?.kind === "post") return `/post/?id=${encodeURIComponent(s.id)}`;
  if (s?.kind === "room") return `/chat/?room=${encodeURIComponent(s.id)}`;
  if (item.type === "follow" && item.actors.length === 1)
    return `/u/?h=${encodeURIComponent(item.actors[0]!.handle)}`;
  return "/notifications/";
}

const VERBS: Record<NotificationType, string> = {
  follow: "followed you",
  "post.like": "liked your post",
  "post.repost": "reposted your post",
  "post.reply": "replied to your post",
  "post.mention": "mentioned you",
  "chat.message": "sent you a message",
  "call.missed": "tried to call you",
  "moderation.removed": "removed your post or message",
};

/** The push payload: structured fields the service worker words in the browser's language, an English fallback. */
export function pushPayload(item: NotificationItem, unread: number) {
  const names = item.actors.map((a) => a.displayName);
  const others = item.actorCount - 1;
  const who =
    others > 0 ? `${names[0]} and ${others} other${others === 1 ? "" : "s"}` : (names[0] ?? "Someone");
  return {
    type: "notification" as const,
    id: item.id,
    kind: item.type,
    actors: item.actors.slice(0, 3).map((a) => ({ displayName: a.displayName, avatarUrl: a.avatarUrl })),
    actorCount: item.actorCount,
    // Moderators act for the service, not as people: no name on a removal.
    title:
      item.type === "moderation.removed" ? `A moderator ${VERBS[item.type]}` : `${who} ${VERBS[item.type]}`,
    body: item.subject?.text ?? "",
    url: urlOf(item),
    tag: item.groupKey,
    unread,
    icon: item.actors[0]?.avatarUrl ?? undefined,
  };
}

/** Handles one event from the queue. Throws only for what a retry can fix (store contention, push 429/5xx). */
export async function handle(event: Published): Promise<Delivery> {
  const { recipient } = event;
  if (event.actor === recipient) return { outcome: "skipped", reason: "self" };

  if (event.op === "retract") {
    // Whatever the preferences say now, a row made earlier must lose this actor.
    const result = await apply(event);
    if (result.outcome === "duplicate" || result.outcome === "noop") return { outcome: "duplicate-retract" };
    if (result.outcome !== "retracted") return { outcome: "stale" };
    const live = await Realtime.publish(
      recipient,
      envelope(
        "notification.removed",
        { id: result.id ?? "", item: result.item ?? null, unread: result.unread },
        `ntf-${event.id}`,
      ),
    );
    return { outcome: "retracted", live, pushed: 0 };
  }

  const pref = (await Preferences.get(recipient))[event.type];
  if (!pref.inApp && !pref.push) return { outcome: "skipped", reason: "preferences" };
  if (
    pref.from !== "everyone" &&
    !Preferences.allows(pref, await Preferences.relation(recipient, event.actor))
  )
    return { outcome: "skipped", reason: "from" };
  // A member reading the room got the message over the socket already.
  if (event.type === "chat.message" && (await Connection.ofUser(recipient)).length > 0)
    return { outcome: "skipped", reason: "online" };

  if (!pref.inApp) {
    // Pushed, never listed: the row is not stored, so the payload is built from the event alone.
    const { sent, failed } = await pushOnly(event);
    return { outcome: "pushed-only", live: 0, pushed: sent, ...(failed ? { pushFailed: failed } : {}) };
  }
  const result = await apply(event);
  if (result.outcome === "stale" || result.outcome === "noop" || !result.item) return { outcome: "stale" };
  // A duplicate is a redelivery: the first attempt may have stored and then failed before delivering, so deliver
  // again. The browser drops an envelope id it has seen; the push sender skips devices that took this event.
  const live = await Realtime.publish(
    recipient,
    envelope("notification.created", { item: result.item, unread: result.unread }, `ntf-${event.id}`),
  );
  let pushed = 0;
  let failed = 0;
  if (live === 0 && pref.push) {
    const policy = PUSH_POLICY[event.type];
    const sent = await Push.send(recipient, pushPayload(result.item, result.unread), {
      ...policy,
      topic: result.item.groupKey,
      dedupeKey: event.id,
    });
    pushed = sent.sent;
    failed = sent.failed;
  }
  return {
    outcome: result.outcome === "duplicate" ? "duplicate" : "stored",
    live,
    pushed,
    ...(failed ? { pushFailed: failed } : {}),
  };
}

async function pushOnly(event: Published): Promise<{ sent: number; failed: number }> {
  const now = new Date(event.at).toISOString();
  const actor = (await cards([event.actor])).get(event.actor);
  if (!actor) return { sent: 0, failed: 0 };
  const item: NotificationItem = {
    id: event.id,
    type: event.type,
    groupKey: `${event.type}:${event.subject?.id ?? event.actor}`,
    actors: [actor],
    actorCount: 1,
    ...(event.subject ? { subject: event.subject } : {}),
    read: false,
    createdAt: now,
    updatedAt: now,
  };
  const sent = await Push.send(event.recipient, pushPayload(item, 0), {
    ...PUSH_POLICY[event.type],
    topic: item.groupKey,
    dedupeKey: event.id,
  });
  return { sent: sent.sent, failed: sent.failed };
}

/**
 * Marks read and tells every other session: open tabs over the WebSocket, other devices by a push that closes
 * the notifications they show (and sets their badge).
 */
export async function read(userId: string, upTo?: string): Promise<{ unread: number }> {
  const { unread } = await markRead(userId, upTo);
  await Realtime.publish(userId, envelope("notification.read", { upTo: upTo ?? null, unread }));
  await Push.send(
    userId,
    { type: "notification.read", upTo: upTo ?? null, unread },
    { urgency: "normal", ttl: 3600, topic: "notification.read" },
  ).catch((error: unknown) => {
    // Another device's badge may lag until its next push; the read itself is stored.
    console.warn(JSON.stringify({ level: "WARN", message: "read-sync push failed", error: String(error) }));
  });
  return { unread };
}
