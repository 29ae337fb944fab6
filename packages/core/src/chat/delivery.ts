import type { Envelope } from "@asyncsns/realtime";
import { Notification } from "../notification";
import { Realtime } from "../realtime";

/** Delivery is best effort: a failed publish never undoes the stored write. */
export async function deliver(
  userIds: string[],
  event: Envelope,
  options: { actor: string; offline?: "notify" | "drop" },
): Promise<{ live: number; notified: number }> {
  const counts = await Realtime.publishMany(userIds, event);
  const offline = [...counts].filter(([userId, n]) => n === 0 && userId !== options.actor).map(([id]) => id);
  let notified = 0;
  if (options.offline === "notify" && offline.length > 0) {
    notified = await Notification.publish(
      offline.map((recipient) => ({ type: event.type, actor: options.actor, recipient, data: event.data })),
    ).catch((error: unknown) => {
      console.warn(
        JSON.stringify({ level: "WARN", message: "notification publish failed", error: String(error) }),
      );
      return 0;
    });
  }
  return { live: [...counts.values()].filter((n) => n > 0).length, notified };
}
