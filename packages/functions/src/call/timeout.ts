import { CallTimer } from "@asyncsns/core/call/timeout";
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { SQSHandler, SQSRecord } from "aws-lambda";
import * as z from "zod";

/** The ring timer's message (core/call/timer.ts), delivered once the ring time has passed. */
const Timer = z.object({ callId: z.string().min(1).max(64) });

/** A call still ringing becomes missed (conditional); one answered or ended meanwhile is left alone. */
export async function consume(record: SQSRecord) {
  const { callId } = Timer.parse(JSON.parse(record.body));
  const { changed, call } = await CallTimer.fire(callId);
  console.log(
    JSON.stringify({
      level: "INFO",
      message: "call timer fired",
      callId,
      missed: changed,
      state: call?.state,
    }),
  );
}

const processor = new BatchProcessor(EventType.SQS);

// Partial batch responses: a failed timer is received again after the visibility timeout, then dead-lettered.
export const handler: SQSHandler = (event, context) =>
  processPartialResponse(event, consume, processor, { context });
