// A block ends the call its two people are in: ringing, it stops (cancelled or declined); accepted, it ends.

import { VisibleError } from "../error";
import { CallActiveEntity } from "./call.entity";
import { ended } from "./events";
import * as Store from "./store";

/**
 * Ends a ringing or accepted call between `userId` and `otherId`, as `userId` hanging up would (the caller cancels,
 * the callee declines, an accepted call ends), with `call.ended` to both sides. Both markers of a live call point at
 * it, so the blocker's marker alone finds it: one key read when there is none.
 */
export async function endCallBetween(userId: string, otherId: string): Promise<void> {
  const { data: marker } = await CallActiveEntity.get({ userId }).go({ consistent: true });
  if (!marker) return;
  const call = await Store.get(marker.callId);
  if (!call || (call.state !== "ringing" && call.state !== "accepted")) return;
  const between =
    (call.callerId === userId && call.calleeId === otherId) ||
    (call.callerId === otherId && call.calleeId === userId);
  if (!between) return;
  const done = await Store.transition(call.callId, userId, "hangup").catch((error: unknown) => {
    // Ended meanwhile by one of them or the ring timer: that end was told already.
    if (error instanceof VisibleError && error.code === "call.conflict") return undefined;
    throw error;
  });
  if (done?.changed) await ended(done.call);
}
