// Calls (infra/calls.ts, the call.signal route in infra/realtime.ts): what AWS needs for each promise calls make.
import { describe, expect, it } from "vitest";
import { DEFAULT_RING_SECONDS, MAX_DELAY_SECONDS, ringSecondsOf } from "../../packages/core/src/call/rules";
import { routeTable } from "../../packages/functions/src/api/route-table";
import { tableGrantsOf } from "./harness/checks";
import { type FunctionView, T } from "./harness/graph";
import { appGraph } from "./harness/index";

const TIMER = "packages/functions/src/call/timeout.handler";
const SIGNAL = "packages/functions/src/realtime/call-signal.handler";

for (const stage of ["dev-ci", "production"] as const) {
  const graph = appGraph(stage);
  const callFn = graph.functions().find((f) => f.logicalName === "Call")!;
  const timer = graph.functions().find((f) => f.handler === TIMER)!;
  const queue = graph.queues().find((q) => graph.componentOf(q) === "CallTimeouts")!;
  const deadLetters = graph.queues().find((q) => graph.componentOf(q) === "CallTimeoutDeadLetters")!;
  const callRoutes = graph.httpRoutes().filter((r) => r.routeKey.split(" ")[1]?.startsWith("/api/calls"));

  describe(`Call API (${stage})`, () => {
    it("API Gateway: every /api/calls route has the Cognito JWT authorizer; commands go to the Call Lambda, reads to Query (Amazon API Gateway Developer Guide, Controlling access to HTTP APIs with JWT authorizers, https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html)", () => {
      const declared = routeTable.filter((r) => r.path.startsWith("/api/calls"));
      expect(declared.map((r) => `${r.method} ${r.path}`).sort()).toEqual(
        [
          "GET /api/calls",
          "GET /api/calls/{id}",
          "POST /api/calls",
          "POST /api/calls/{id}/accept",
          "POST /api/calls/{id}/cancel",
          "POST /api/calls/{id}/decline",
          "POST /api/calls/{id}/hangup",
          "POST /api/calls/{id}/ice-servers",
        ].sort(),
      );
      expect(callRoutes.map((r) => r.routeKey).sort()).toEqual(
        declared.map((r) => `${r.method} ${r.path}`).sort(),
      );
      for (const route of callRoutes) {
        expect(route.route.inputs.authorizationType, route.routeKey).toBe("JWT");
        expect(route.authorizer?.inputs.authorizerType, route.routeKey).toBe("JWT");
        expect(route.fn?.logicalName, route.routeKey).toBe(
          route.routeKey.startsWith("GET ") ? "Query" : "Call",
        );
      }
    });

    it("the Call Lambda links the table, sockets, push, limits, ICE signalling, the timer queue and the ring time", () => {
      expect(callFn).toBeDefined();
      expect([...callFn.links].sort()).toEqual(
        ["CallSignaling", "CallTimeouts", "Calls", "Limits", "Push", "Realtime", "Table"].sort(),
      );
    });
  });

  describe(`TURN credentials (${stage})`, () => {
    it("IAM: the Call Lambda is the one function that may use Kinesis Video Streams, on the stage's call channels only (Amazon Kinesis Video Streams with WebRTC, Controlling access with IAM, https://docs.aws.amazon.com/kinesisvideostreams-webrtc-dg/latest/devguide/kvswebrtc-how-it-works.html; Service Authorization Reference, Actions, resources, and condition keys for Amazon Kinesis Video Streams, https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonkinesisvideostreams.html)", () => {
      const kvs = (f: FunctionView) =>
        graph
          .policiesOf(f)
          .filter((st) => [st.Action].flat().some((a) => String(a).startsWith("kinesisvideo:")));
      expect(
        graph
          .functions()
          .filter((f) => kvs(f).length > 0)
          .map((f) => f.logicalName),
      ).toEqual(["Call"]);
      const resources = kvs(callFn).flatMap((st) => [st.Resource].flat().map(String));
      expect(resources.length).toBeGreaterThan(0);
      for (const arn of resources)
        expect(arn).toMatch(
          new RegExp(`^arn:aws:kinesisvideo:[^:]+:\\d{12}:channel/asyncsns-${stage}-call-\\d+/\\*$`),
        );
    });
  });

  describe(`ring timer (${stage})`, () => {
    it("SQS: the ring time is a per-message delay within SQS's 900 s (Amazon SQS Developer Guide, Amazon SQS message timers, https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-timers.html)", () => {
      expect(MAX_DELAY_SECONDS).toBe(900);
      expect(ringSecondsOf(undefined)).toBe(DEFAULT_RING_SECONDS);
      expect(ringSecondsOf("4")).toBe(4);
      expect(ringSecondsOf("3600")).toBe(900);
      expect(ringSecondsOf("0")).toBe(1);
      expect(ringSecondsOf("soon")).toBe(DEFAULT_RING_SECONDS);
      // No queue-wide delay: each timer carries its own.
      expect(Number(queue.inputs.delaySeconds ?? 0)).toBe(0);
    });

    it("SQS: five receives, then the dead-letter queue, kept 14 days, alarmed on its first message (Amazon SQS Developer Guide, Using dead-letter queues, https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html)", () => {
      expect(JSON.parse(String(queue.inputs.redrivePolicy))).toEqual({
        deadLetterTargetArn: deadLetters.outputs.arn,
        maxReceiveCount: 5,
      });
      expect(deadLetters.inputs.messageRetentionSeconds).toBe(14 * 24 * 3600);
      expect(queue.inputs.sqsManagedSseEnabled).toBe(true);
      const name = String(deadLetters.outputs.arn).split(":").pop();
      const alarms = graph.findAll(
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        (i) => i.namespace === "AWS/SQS" && (i.dimensions as Record<string, unknown>)?.QueueName === name,
      );
      expect(alarms).toHaveLength(1);
      expect(alarms[0]!.inputs).toMatchObject({ threshold: 0, comparisonOperator: "GreaterThanThreshold" });
    });

    it("redrive: `npm run redrive` finds the timer queue and its dead letters in the stage outputs (Amazon SQS Developer Guide, Configuring a dead-letter queue redrive, https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-configure-dead-letter-queue-redrive.html)", () => {
      const queues = graph.app.outputs.queues as Record<string, unknown>;
      expect(queues.CallTimeouts).toBe(queue.outputs.url);
      expect(queues.CallTimeoutDeadLetters).toBe(deadLetters.outputs.url);
    });

    it("Lambda: the consumer answers per message, and the queue hides a message for six of its timeouts (AWS Lambda Developer Guide, Handling errors for an SQS event source in Lambda, https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html)", () => {
      const mappings = graph.eventSourceMappingsOf(timer);
      expect(mappings).toHaveLength(1);
      expect(mappings[0]!.inputs).toMatchObject({
        eventSourceArn: queue.outputs.arn,
        functionResponseTypes: ["ReportBatchItemFailures"],
      });
      expect(Number(queue.inputs.visibilityTimeoutSeconds)).toBe(6 * Number(timer.lambda.inputs.timeout));
      // It ends calls and tells people; it never sends timers.
      expect([...timer.links].sort()).toEqual(["Push", "Realtime", "Table"]);
    });

    it("only the Call Lambda may send timers (IAM: sqs actions on this queue's ARN)", () => {
      const senders = graph
        .functions()
        .filter((f) =>
          graph
            .policiesOf(f)
            .some(
              (st) =>
                [st.Action].flat().some((a) => a === "sqs:*" || a === "sqs:SendMessage") &&
                [st.Resource].flat().includes(String(queue.outputs.arn)),
            ),
        )
        .map((f) => f.logicalName);
      expect(senders).toEqual(["Call"]);
    });
  });

  describe(`call.signal route (${stage})`, () => {
    it("API Gateway: the route runs the signal handler behind the $connect authorizer; its table access is exactly what it does (Amazon API Gateway Developer Guide, Working with routes for WebSocket APIs, https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-develop-routes.html; DynamoDB Developer Guide, Identity-based policies for DynamoDB, https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/security_iam_service-with-iam.html)", () => {
      const route = graph.routeFor("call.signal", graph.webSocketApis()[0]);
      expect(route.fn?.handler).toBe(SIGNAL);
      // Only $connect carries an authorizer on a WebSocket API; the connection was authorized there.
      expect(route.route.inputs.authorizationType ?? "NONE").toBe("NONE");
      expect([...route.fn!.links].sort()).toEqual(["Realtime", "Table"]);
      const grants = tableGrantsOf(graph, route.fn!);
      expect(grants.flatMap((g) => g.actions).sort()).toEqual(
        ["dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem"].sort(),
      );
      expect(graph.findAll(T.route, (i) => i.routeKey === "call.signal")).toHaveLength(1);
    });
  });
}
