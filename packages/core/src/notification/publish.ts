// The notification domain's publisher: events for people go to the Notifications topic (SNS → SQS → consumer).

import { PublishBatchCommand, SNSClient } from "@aws-sdk/client-sns";
import { Resource } from "sst";
import { createId } from "../id";

// Endpoint and region from the SDK's environment (AWS_ENDPOINT_URL_SNS points at a stand-in off AWS).
const sns = new SNSClient({ maxAttempts: 2 });

/** An event for the notification pipeline: dotted type, the actor, the user it is for. */
export interface Event {
  type: string;
  actor: string;
  recipient: string;
  data: unknown;
}

/** `type` rides as a message attribute so subscriptions can filter on it. */
export async function publish(events: Event[]): Promise<number> {
  let accepted = 0;
  for (let i = 0; i < events.length; i += 10) {
    const chunk = events.slice(i, i + 10).map((event) => ({ ...event, id: createId("evt"), ts: Date.now() }));
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
    accepted += result.Successful?.length ?? 0;
  }
  return accepted;
}
