// The notification domain's publisher: derived events go to the Notifications topic (SNS → SQS → consumer).

import { PublishBatchCommand, SNSClient } from "@aws-sdk/client-sns";
import { Resource } from "sst";
import { traced } from "../trace";
import type { NotificationEvent } from "./store";

// Endpoint and region from the SDK's environment (AWS_ENDPOINT_URL_SNS points at a stand-in off AWS).
const sns = traced(new SNSClient({ maxAttempts: 3 }));

/** An event on the wire: `id` is derived from the stream record, so a replayed record publishes the same ids. */
export type Published = NotificationEvent & { id: string };

/** SNS PublishBatch takes at most 10 entries. */
const BATCH = 10;

/**
 * Publishes every event or throws: the stream record is then retried whole, and the consumer's idempotent store
 * makes the events already published harmless. `type` rides as a message attribute for the queue's filter policy.
 */
export async function publish(events: Published[]): Promise<void> {
  for (let i = 0; i < events.length; i += BATCH) {
    const chunk = events.slice(i, i + BATCH);
    const result = await sns.send(
      new PublishBatchCommand({
        TopicArn: Resource.Notifications.arn,
        PublishBatchRequestEntries: chunk.map((event, n) => ({
          Id: String(n),
          Message: JSON.stringify(event),
          MessageAttributes: { type: { DataType: "String", StringValue: event.type } },
        })),
      }),
    );
    if (result.Failed?.length)
      throw new Error(
        `notification publish failed for ${result.Failed.length} of ${chunk.length}: ${result.Failed[0]?.Code} ${result.Failed[0]?.Message}`,
      );
  }
}
