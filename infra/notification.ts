import { NOTIFICATION_TYPES } from "../packages/realtime/src/notification";
import { table } from "./database";
import { alarmOnDepth } from "./observability";
import { pushLink } from "./push";
import { ws } from "./realtime";

// SST's SNS→SQS queue policy accepts any sender (confused deputy): pin each queue to its topic.
$transform(aws.sqs.QueuePolicy, (args, opts) => {
  const parent = opts.parent as unknown as {
    __pulumiType?: string;
    nodes: { subscription: aws.sns.TopicSubscription };
  };
  if (parent?.__pulumiType !== "sst:aws:SnsTopicQueueSubscriber") return;
  // The subscriber builds its policy before its subscription: read the topic once the constructor is done.
  const topicArn = $output(undefined).apply(() => parent.nodes.subscription.topic);
  args.policy = $util.all([args.policy, topicArn]).apply(([policy, topic]) => {
    const doc = JSON.parse(String(policy)) as { Statement: Record<string, unknown>[] };
    for (const st of doc.Statement) {
      st.Principal = { Service: "sns.amazonaws.com" };
      st.Condition = { ArnEquals: { "aws:SourceArn": topic } };
    }
    return JSON.stringify(doc);
  });
});

// The notification pipeline's entry: the stream dispatcher publishes the events it derives from the table here.
export const topic = new sst.aws.SnsTopic("Notifications", {
  transform: {
    topic: (t) => {
      // Encrypted at rest with the AWS-managed SNS key.
      t.kmsMasterKeyId = "alias/aws/sns";
      // The SDK passes the dispatcher's trace header (X-Amzn-Trace-Id, from Lambda's _X_AMZN_TRACE_ID) on Publish;
      // with active tracing SNS carries it on to SQS and the consumer, so X-Ray shows one trace from stream to
      // consumer ("Amazon SNS and AWS X-Ray", https://docs.aws.amazon.com/sns/latest/dg/sns-active-tracing.html).
      t.tracingConfig = "Active";
    },
  },
});

/** What the consumer gave up on after five receives: kept 14 days for `npm run redrive`. */
export const notificationDeadLetters = new sst.aws.Queue("NotificationDeadLetters", {
  transform: { queue: { messageRetentionSeconds: 14 * 24 * 3600, sqsManagedSseEnabled: true } },
});
alarmOnDepth("NotificationDeadLetters", notificationDeadLetters);

export const CONSUMER_TIMEOUT_SECONDS = 5;
/**
 * Six function timeouts, as Lambda's SQS guide recommends; never below one function timeout, which
 * CreateEventSourceMapping refuses. The integration suite and the benchmark lower it to see retries quickly.
 */
export const VISIBILITY_SECONDS = Math.max(
  CONSUMER_TIMEOUT_SECONDS,
  Number(process.env.ASYNCSNS_NOTIFY_VISIBILITY_SECONDS ?? 6 * CONSUMER_TIMEOUT_SECONDS),
);
/** Receives before a message is dead-lettered (SQS maxReceiveCount). */
export const MAX_RECEIVES = 5;

export const notificationQueue = new sst.aws.Queue("NotificationQueue", {
  visibilityTimeout: `${VISIBILITY_SECONDS} seconds`,
  dlq: { queue: notificationDeadLetters.arn, retry: MAX_RECEIVES },
  transform: { queue: { sqsManagedSseEnabled: true } },
});

// Raw delivery: the consumer reads the event itself, not an SNS envelope; only the app's types reach the queue.
topic.subscribeQueue("NotificationConsumer", notificationQueue.arn, {
  filter: { type: [...NOTIFICATION_TYPES] },
  transform: {
    subscription: (s) => {
      s.rawMessageDelivery = true;
    },
  },
});

// Stores, groups and delivers; answers per message so one poison event never holds back the others.
export const consumer = notificationQueue.subscribe(
  {
    handler: "packages/functions/src/notification/consumer.handler",
    link: [table, ws, pushLink],
    timeout: `${CONSUMER_TIMEOUT_SECONDS} seconds`,
    // SST names a queue's subscriber by a hash of the queue's ARN: logs and metrics get a stable name.
    environment: { POWERTOOLS_SERVICE_NAME: "NotificationConsumer" },
  },
  { batch: { size: 10, window: "0 seconds", partialResponses: true } },
);
