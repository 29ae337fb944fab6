import { Notification } from "@asyncsns/core/notification";
import { NotificationType } from "@asyncsns/realtime";
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { SQSHandler, SQSRecord } from "aws-lambda";
import * as z from "zod";

/** The queue's messages: raw SNS deliveries of what the stream dispatcher published (core/notification/publish.ts). */
const Event = z.object({
  id: z.string().min(1).max(256),
  type: NotificationType,
  op: z.enum(["add", "retract"]),
  actor: z.string().min(1).max(128),
  recipient: z.string().min(1).max(128),
  subject: z
    .object({
      kind: z.enum(["post", "room", "call"]),
      id: z.string().min(1).max(64),
      text: z.string().max(1024).optional(),
    })
    .optional(),
  object: z.string().min(1).max(128).optional(),
  at: z.number().int().nonnegative(),
});

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
