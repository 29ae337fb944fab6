// S3 bucket notifications to Lambda: asynchronous invokes with the event, prefix/suffix filters and retries.
import type { S3Event } from "aws-lambda";
import type { BucketNotification } from "./topology";

/** Lambda retries a failed asynchronous invoke twice. */
const ASYNC_RETRIES = 2;

export interface BucketNotificationOptions {
  subscriptions: (BucketNotification & { physicalBucket: string })[];
  /** Every object event of the stand-in; each subscription keeps those its `events` and filters name. */
  onObjectEvent: (listener: (event: S3Event) => void) => () => void;
  invoke: (fn: string, event: unknown) => Promise<unknown>;
  log: (line: string) => void;
  retryDelayMs?: number;
}

function eventMatches(patterns: string[], eventName: string): boolean {
  const name = `s3:${eventName}`;
  return patterns.some((p) => (p.endsWith(":*") ? name.startsWith(p.slice(0, -1)) : p === name));
}

export function startBucketNotifications(o: BucketNotificationOptions) {
  const inflight = new Set<Promise<void>>();
  const unsubscribe = o.onObjectEvent((event) => {
    for (const n of o.subscriptions) {
      if (!n.function) continue;
      const records = event.Records.filter((r) => {
        const key = decodeURIComponent(r.s3.object.key.replace(/\+/g, " "));
        return (
          r.s3.bucket.name === n.physicalBucket &&
          eventMatches(n.events, r.eventName) &&
          key.startsWith(n.filterPrefix ?? "") &&
          key.endsWith(n.filterSuffix ?? "")
        );
      });
      if (records.length === 0) continue;
      const fn = n.function;
      const run = (async () => {
        for (let attempt = 0; attempt <= ASYNC_RETRIES; attempt++) {
          try {
            await o.invoke(fn, { Records: records });
            return;
          } catch (err) {
            o.log(`${n.name}: ${(err as Error).message} (attempt ${attempt + 1}/${ASYNC_RETRIES + 1})`);
            if (attempt < ASYNC_RETRIES) await new Promise((r) => setTimeout(r, o.retryDelayMs ?? 1000));
          }
        }
      })();
      inflight.add(run);
      void run.finally(() => inflight.delete(run));
    }
  });
  return {
    /** Resolves when every event delivered so far has been handled. */
    async drain() {
      while (inflight.size) await Promise.all([...inflight]);
    },
    async stop() {
      unsubscribe();
      await Promise.allSettled([...inflight]);
    },
  };
}
