import type { Envelope } from "@asyncsns/realtime";
import { Realtime } from "../realtime";

/**
 * Live delivery only, best effort: a failed publish never undoes the stored write. Members without a live socket
 * hear of a new message from the notification pipeline, which derives it from the table's stream.
 */
export async function deliver(userIds: string[], event: Envelope): Promise<{ live: number }> {
  const counts = await Realtime.publishMany(userIds, event);
  return { live: [...counts.values()].filter((n) => n > 0).length };
}
