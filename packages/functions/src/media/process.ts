import { MediaProcessor } from "@asyncsns/core/media/processor";
import { Logger } from "@aws-lambda-powertools/logger";
import type { Context, S3Event } from "aws-lambda";
import { objectsOf } from "./s3-event";

const logger = new Logger();

/** Left before the Lambda timeout to mark unfinished media failed and answer, so none stays pending. */
export const FINISH_MS = 5_000;

// Idempotent, so a failed record is retried with the whole (usually one-record) event.
export async function handler(event: S3Event, context: Pick<Context, "getRemainingTimeInMillis">) {
  const objects = objectsOf(event);
  const budget = context.getRemainingTimeInMillis() - FINISH_MS;
  const results = await Promise.allSettled(
    objects.map((o) => MediaProcessor.processWithin(o.bucket, o.key, budget)),
  );
  results.forEach((result, i) => {
    if (result.status === "fulfilled")
      logger.info("media processed", { ...objects[i], outcome: result.value });
    else logger.error("media processing failed", { ...objects[i], error: result.reason });
  });
  const failed = results.filter((r) => r.status === "rejected").length;
  if (failed)
    throw new Error(`${failed} of ${objects.length} media objects failed; the event will be retried`);
}
