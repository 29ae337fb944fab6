export * as CallTimer from "./timeout";

// The ring timer's consumer, its own entry (@asyncsns/core/call/timeout): no queue to send to, no ICE servers.

import type { CallItem } from "./call.entity";
import { ended } from "./events";
import * as Store from "./store";

/** The timer's command: a call still ringing is missed; one answered or ended meanwhile is left alone. */
export async function fire(callId: string): Promise<{ changed: boolean; call?: CallItem }> {
  const call = await Store.get(callId);
  if (!call) return { changed: false };
  const result = await Store.transition(callId, "system", "timeout");
  if (result.changed) await ended(result.call);
  return result;
}
