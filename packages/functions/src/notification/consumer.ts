import { Notification } from "@asyncsns/core/notification";
import { handle } from "@asyncsns/core/notification/deliver";
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { SQSHandler, SQSRecord } from "aws-lambda";
import * as z from "zod";
import { count, flushMetrics } from "../metrics";

/** The queue's messages: raw SNS deliveries of what the dispatcher published (core/notification/publish.ts). */
const Event = Notification.NotificationEvent.extend({ id: z.string().min(1).max(256) });

/** One message: a body that is not an event throws, and after five receives waits in the dead-letter queue. */
/**
 * The id that ties this message to the work that caused it: a `correlationId` message attribute when the publisher
 * set one, else the stream record's id, which the dispatcher logs with the item's key and which starts every event
 * id it derives (`<eventID>:<n>`). Carrying the API request's own id would mean storing it in every item; the
 * record id costs nothing and the item key in the dispatcher's log leads back to the request that wrote it.
 */
export function correlationIdOf(record: SQSRecord, eventId: string): string {
  return record.messageAttributes?.correlationId?.stringValue ?? eventId.replace(/:\d+$/, "");
}

export async function consume(record: SQSRecord) {
  const event = Event.parse(JSON.parse(record.body));
  const delivery = await handle(event);
  if (delivery.outcome === "stored") count("NotificationStored");
  if ("pushed" in delivery) count("PushSent", delivery.pushed);
  if ("pushFailed" in delivery) count("PushFailed", delivery.pushFailed);
  console.log(
    JSON.stringify({
      level: "INFO",
      message: "notification handled",
      correlationId: correlationIdOf(record, event.id),
      eventId: event.id,
      type: event.type,
      op: event.op,
      receiveCount: Number(record.attributes.ApproximateReceiveCount),
      ...delivery,
    }),
  );
  return delivery;
}

const processor = new BatchProcessor(EventType.SQS);

// Partial batch responses: only the messages that failed come back after the visibility timeout.
export const handler: SQSHandler = async (event, context) => {
  try {
    return await processPartialResponse(event, consume, processor, { context });
  } finally {
    flushMetrics();
  }
};
