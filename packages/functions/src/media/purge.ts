import { Cdn } from "@asyncsns/core/media/cdn";
import { Logger } from "@aws-lambda-powertools/logger";
import type { S3Event } from "aws-lambda";
import { objectsOf } from "./s3-event";

const logger = new Logger();

// CDN purge: S3 ObjectRemoved under public/ → a CloudFront invalidation of its /media path. S3 sends one
// record per event; a failure (throttling, TooManyInvalidationsInProgress) is thrown so the asynchronous
// invoke retries, and the caller reference makes that retry the same invalidation.
export async function handler(event: S3Event) {
  const objects = objectsOf(event);
  const results = await Promise.allSettled(objects.map((o) => Cdn.purge(o)));
  results.forEach((result, i) => {
    if (result.status === "fulfilled")
      logger.info("cdn purged", { ...objects[i], invalidation: result.value });
    else logger.error("cdn purge failed", { ...objects[i], error: result.reason });
  });
  const failed = results.filter((r) => r.status === "rejected").length;
  if (failed) throw new Error(`${failed} of ${objects.length} purges failed; the event will be retried`);
}
