import { Cdn } from "@asyncsns/core/media/cdn";
import { Logger } from "@aws-lambda-powertools/logger";
import type { S3Event } from "aws-lambda";
import { objectsOf } from "./s3-event";

const logger = new Logger();

// Thrown on failure so the asynchronous invoke retries; the caller reference makes it the same invalidation.
export async function handler(event: S3Event) {
  // A media's files share one invalidation: one call per media in this batch (CloudFront dedupes the rest).
  const byMedia = new Map(objectsOf(event).map((o) => [Cdn.callerReference(o), o]));
  const objects = [...byMedia.values()];
  const results = await Promise.allSettled(objects.map((o) => Cdn.purge(o)));
  results.forEach((result, i) => {
    if (result.status === "fulfilled")
      logger.info("cdn purged", { ...objects[i], invalidation: result.value });
    else logger.error("cdn purge failed", { ...objects[i], error: result.reason });
  });
  const failed = results.filter((r) => r.status === "rejected").length;
  if (failed) throw new Error(`${failed} of ${objects.length} purges failed; the event will be retried`);
}
