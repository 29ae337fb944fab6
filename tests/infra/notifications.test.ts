// The notification pipeline (infra/notification.ts): what AWS needs for each promise the consumer makes.
import { describe, expect, it } from "vitest";
import { NOTIFICATION_TYPES } from "../../packages/realtime/src/notification";
import { T } from "./harness/graph";
import { appGraph } from "./harness/index";

const CONSUMER = "packages/functions/src/notification/consumer.handler";

for (const stage of ["dev-ci", "production"] as const) {
  const graph = appGraph(stage);
  const queue = graph.queues().find((q) => graph.componentOf(q) === "NotificationQueue")!;
  const deadLetters = graph.queues().find((q) => graph.componentOf(q) === "NotificationDeadLetters")!;
  const topic = graph.topics().find((t) => graph.componentOf(t) === "Notifications")!;
  const consumer = graph.functions().find((f) => f.handler === CONSUMER)!;
  const subscriptions = graph.findAll(T.subscription, (i) => i.topic === topic?.outputs.arn);

  describe(`notification pipeline (${stage})`, () => {
    it("exists: topic → queue → consumer, with a dead-letter queue", () => {
      expect(topic).toBeDefined();
      expect(queue).toBeDefined();
      expect(deadLetters).toBeDefined();
      expect(consumer).toBeDefined();
    });

    it("SNS: the queue gets raw messages of the app's types only (Amazon SNS Developer Guide, Amazon SNS raw message delivery, https://docs.aws.amazon.com/sns/latest/dg/sns-large-payload-raw-message-delivery.html; Amazon SNS message filtering, https://docs.aws.amazon.com/sns/latest/dg/sns-message-filtering.html)", () => {
      expect(subscriptions).toHaveLength(1);
      const s = subscriptions[0]!.inputs;
      expect(s.protocol).toBe("sqs");
      expect(s.endpoint).toBe(queue.outputs.arn);
      expect(s.rawMessageDelivery).toBe(true);
      expect(JSON.parse(String(s.filterPolicy))).toEqual({ type: [...NOTIFICATION_TYPES] });
      // A filter policy matches message attributes unless told otherwise: the publisher sets `type` as one.
      expect(s.filterPolicyScope ?? "MessageAttributes").toBe("MessageAttributes");
    });

    it("SQS: five receives, then the dead-letter queue, kept 14 days (Amazon SQS Developer Guide, Using dead-letter queues, https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html)", () => {
      const policy = JSON.parse(String(queue.inputs.redrivePolicy));
      expect(policy).toEqual({ deadLetterTargetArn: deadLetters.outputs.arn, maxReceiveCount: 5 });
      expect(deadLetters.inputs.messageRetentionSeconds).toBe(14 * 24 * 3600);
      // A message must outlive its receives in the source queue (default retention 4 days).
      expect(Number(queue.inputs.messageRetentionSeconds ?? 345_600)).toBeLessThanOrEqual(
        Number(deadLetters.inputs.messageRetentionSeconds),
      );
    });

    it("Lambda: the consumer answers per message and is invoked at once (AWS Lambda Developer Guide, Handling errors for an SQS event source in Lambda, https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html)", () => {
      const mappings = graph.eventSourceMappingsOf(consumer);
      expect(mappings).toHaveLength(1);
      const m = mappings[0]!.inputs;
      expect(m.eventSourceArn).toBe(queue.outputs.arn);
      expect(m.functionResponseTypes).toEqual(["ReportBatchItemFailures"]);
      expect(m.batchSize).toBe(10);
      expect(Number(m.maximumBatchingWindowInSeconds ?? 0)).toBe(0);
    });

    it("Lambda: the queue hides a message for six function timeouts (AWS Lambda Developer Guide, Creating and configuring an Amazon SQS event source mapping, https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html)", () => {
      const timeout = Number(consumer.lambda.inputs.timeout);
      expect(timeout).toBeGreaterThan(0);
      // CreateEventSourceMapping refuses a visibility timeout below the function's; six times is the guide's advice.
      expect(Number(queue.inputs.visibilityTimeoutSeconds)).toBe(6 * timeout);
    });

    it("the dispatcher may publish to the topic, and the consumer reaches the table and the sockets", () => {
      const dispatcher = graph
        .functions()
        .find((f) => f.handler === "packages/functions/src/stream/dispatch.handler")!;
      expect(dispatcher.links).toContain("Notifications");
      const publish = graph
        .policiesOf(dispatcher)
        .filter((st) => [st.Action].flat().some((a) => a === "sns:*" || a === "sns:Publish"));
      expect(publish.flatMap((st) => [st.Resource].flat())).toEqual([topic.outputs.arn]);
      expect(consumer.links).toEqual(expect.arrayContaining(["Table", "Realtime"]));
      // Nothing else publishes: chat no longer does (the stream is the one source of events).
      const publishers = graph
        .functions()
        .filter((f) => f.links.includes("Notifications"))
        .map((f) => f.handler);
      expect(publishers).toEqual(["packages/functions/src/stream/dispatch.handler"]);
    });

    it("CloudWatch: an alarm on the dead-letter queue's first message", () => {
      const name = String(deadLetters.outputs.arn).split(":").pop();
      const alarms = graph.findAll(
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        (i) =>
          i.namespace === "AWS/SQS" &&
          i.metricName === "ApproximateNumberOfMessagesVisible" &&
          (i.dimensions as Record<string, unknown>)?.QueueName === name,
      );
      expect(alarms).toHaveLength(1);
      expect(alarms[0]!.inputs).toMatchObject({ threshold: 0, comparisonOperator: "GreaterThanThreshold" });
    });
  });
}
