import { Notification } from "@asyncsns/core/notification";
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { SQSHandler, SQSRecord } from "aws-lambda";
import * as z from "zod";

/** The queue's messages: raw SNS deliveries of what the dispatcher published (core/notification/publish.ts). */
const Event = Notification.NotificationEvent.extend({ id: z.string().min(1).max(256) });

/** One message: a body that is not an event throws, and after five receives waits in the dead-letter queue. */
export async function consume(record: SQSRecord) {
  const event = Event.parse(JSON.parse(record.body));
  const delivery = await Notification.handle(event);
  console.log(
    JSON.stringify({
      level: "INFO",
      message: "notification handled",
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
export const handler: SQSHandler = (event, context) =>
  processPartialResponse(event, consume, processor, { context });
