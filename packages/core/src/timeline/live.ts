export * as Live from "./live";

import { envelope } from "@asyncsns/realtime";
import { withActor } from "../actor";
import { Connection } from "../connection";
import { Realtime } from "../realtime";
import type { EntryRef } from "./feed";
import * as Views from "./views";

/** Connection lookups in flight while finding who of a page of followers is online. */
export const LOOKUPS_IN_FLIGHT = 32;

/** Envelope id per entry: a replayed stream record sends the same id, which the browser drops. */
export const eventIdOf = (entry: Pick<EntryRef, "seq">) => `tl-${entry.seq}`;

/** Followers a home entry goes to: a repost never goes back to the reposted post's own author. */
export const recipientsOf = (entry: Pick<EntryRef, "authorId" | "repostedBy">, ids: string[]) =>
  entry.repostedBy ? ids.filter((id) => id !== entry.authorId) : ids;

async function pool<T, R>(items: T[], size: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(size, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await run(items[i]!);
      }
    }),
  );
  return out;
}

/**
 * Sends `timeline.post` to those of `userIds` with an open socket; the post is read only when someone is online.
 * Returns how many sockets got it. Polling is the fallback, so a failed send is not retried.
 */
export async function announce(entry: EntryRef, userIds: string[]): Promise<number> {
  const ids = recipientsOf(entry, userIds);
  if (ids.length === 0) return 0;
  const online = await pool(ids, LOOKUPS_IN_FLIGHT, async (id) =>
    (await Connection.ofUser(id).catch(() => [])).length > 0 ? id : undefined,
  );
  const live = online.filter((id): id is string => id !== undefined);
  if (live.length === 0) return 0;
  // Read as the actor; per-reader state is left false rather than being the actor's.
  const [post] = await withActor({ type: "user", properties: { userId: entry.actorId } }, () =>
    Views.views([entry]),
  );
  if (!post) return 0;
  const frame = envelope(
    "timeline.post",
    { post: { ...post, likedByMe: false, repostedByMe: false } },
    eventIdOf(entry),
  );
  const sent = await pool(live, LOOKUPS_IN_FLIGHT, (id) => Realtime.publish(id, frame).catch(() => 0));
  return sent.reduce((a, b) => a + b, 0);
}
