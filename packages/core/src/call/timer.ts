import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { traced } from "../trace";
import { MAX_DELAY_SECONDS } from "./rules";
import { timeoutQueueUrl } from "./settings";

// Endpoint and region from the environment, as for DynamoDB (the local cloud points it at its SQS stand-in).
const sqs = traced(new SQSClient({}));

/**
 * The server-side ring timer: a message SQS holds back `seconds` (per-message timer, at most 900 s), whose
 * consumer moves a still-ringing call to missed. "Amazon SQS message timers",
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-timers.html
 */
export async function schedule(callId: string, seconds: number): Promise<void> {
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: timeoutQueueUrl(),
      MessageBody: JSON.stringify({ callId }),
      DelaySeconds: Math.min(Math.max(0, Math.ceil(seconds)), MAX_DELAY_SECONDS),
    }),
  );
}
