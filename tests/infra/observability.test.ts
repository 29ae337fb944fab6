// Alarms and the dashboard, each rule named after the AWS document it encodes; each proven to fail on a broken graph.
import { describe, expect, it } from "vitest";
import { BUSINESS_METRICS, METRICS_SERVICE } from "../../packages/functions/src/metric-names";
import {
  appGraph,
  checkAlarmActions,
  checkDashboard,
  checkFailureAlarms,
  checkFunctionAlarms,
  checkMetricsResolve,
  checkServiceAlarms,
  checkTableAlarms,
  checkTopicTracing,
  InfraGraph,
  OBS_T,
} from "./harness/index";

const SERVICES = [METRICS_SERVICE];

for (const stage of ["dev-ci", "production"] as const) {
  describe(`observability (${stage})`, () => {
    const graph = appGraph(stage);

    // "Using Amazon CloudWatch alarms" (alarm and OK actions), https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html;
    // the topic must be in the alarm's Region and CloudWatch must be allowed its KMS key,
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-actions-SNS.html
    it("alarm-actions: every alarm notifies an ops topic of its own Region when it fires and when it clears", () => {
      expect(graph.findAll(OBS_T.metricAlarm).length).toBeGreaterThan(30);
      expect(checkAlarmActions(graph)).toEqual([]);
    });

    // "Types of metrics for Lambda functions" (Errors, Throttles, IteratorAge),
    // https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html
    it("function-alarms: every function alarms on its errors and throttles, every stream reader on its iterator age", () => {
      expect(graph.functions().length).toBeGreaterThan(10);
      expect(checkFunctionAlarms(graph)).toEqual([]);
    });

    // "Available CloudWatch metrics for Amazon SQS", https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html
    it("dlq-alarms: every failure destination and dead-letter queue alarms on its depth", () => {
      expect(checkFailureAlarms(graph)).toEqual([]);
    });

    // HTTP: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html; WebSocket:
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-logging.html; OpenSearch:
    // https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cloudwatch-alarms.html; CloudFront (metrics in
    // us-east-1 only): https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/viewing-cloudfront-metrics.html
    it("service-alarms: API 5xx and p99 latency, WebSocket errors, search status and storage, CloudFront 5xx in us-east-1", () => {
      expect(checkServiceAlarms(graph)).toEqual([]);
    });

    // "DynamoDB metrics and dimensions" (ReadThrottleEvents, WriteThrottleEvents by TableName and by
    // GlobalSecondaryIndexName), https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/metrics-dimensions.html
    it("table-alarms: the table and each of its global indexes alarm on their first read or write throttle in 5 minutes", () => {
      expect(graph.tables().length).toBeGreaterThan(0);
      expect(checkTableAlarms(graph)).toEqual([]);
    });

    // "Dashboard body structure and syntax" (metrics arrays), https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
    it("metric-resolves: every alarm and dashboard metric names a resource of this app", () => {
      expect(checkMetricsResolve(graph, SERVICES)).toEqual([]);
    });

    // "Amazon SNS and AWS X-Ray" (active tracing passes the trace header on to SQS), https://docs.aws.amazon.com/sns/latest/dg/sns-active-tracing.html
    it("topic-tracing: a topic that feeds a queue carries the trace on to the consumer", () => {
      expect(graph.topics().some((t) => t.inputs.tracingConfig === "Active")).toBe(true);
      expect(checkTopicTracing(graph)).toEqual([]);
    });

    // "Embedded metric format specification", https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
    it("dashboard: one per stage, charting the business metrics and every function's errors", () => {
      expect(checkDashboard(graph, BUSINESS_METRICS, METRICS_SERVICE)).toEqual([]);
    });
  });
}

describe("observability checks report what is missing", () => {
  const graph = appGraph("dev-ci");
  const altered = (
    change: (
      resources: { type: string; name: string; inputs: Record<string, unknown>; provider?: string }[],
    ) => void,
  ) => {
    const app = structuredClone(graph.app);
    change(app.resources);
    return new InfraGraph(app);
  };
  const messages = (problems: { message: string }[]) => problems.map((p) => p.message);

  it("an alarm that tells nobody, or a topic of another Region", () => {
    const silent = altered((rs) => {
      for (const r of rs) if (r.name === "PostErrors") r.inputs.okActions = [];
    });
    expect(messages(checkAlarmActions(silent))).toEqual([
      expect.stringMatching(/^PostErrors okActions \[\] reach no ops topic/),
    ]);
    const crossRegion = altered((rs) => {
      const global = rs.find((r) => r.name === "OpsGlobal")!;
      for (const r of rs)
        if (r.name === "Cdn5xxRate")
          r.inputs.alarmActions = [(global as { outputs?: { arn: string } }).outputs?.arn ?? ""];
      for (const r of rs) if (r.name === "Cdn5xxRate") delete r.provider;
    });
    expect(messages(checkAlarmActions(crossRegion))).toContainEqual(
      expect.stringMatching(/Cdn5xxRate notifies OpsGlobal, in another Region/),
    );
  });

  it("a function without its alarms, and a stream reader without its iterator age", () => {
    const broken = altered((rs) => {
      const i = rs.findIndex((r) => r.name === "ChatThrottles");
      rs.splice(i, 1);
      const j = rs.findIndex((r) => r.name === "TableSubscriberDispatchIteratorAge");
      rs.splice(j, 1);
    });
    expect(messages(checkFunctionAlarms(broken))).toEqual([
      "Chat has no Throttles alarm",
      expect.stringMatching(
        /^stream reader "?asyncsns-dev-ci-TableSubscriberDispatch.* has no IteratorAge alarm$/,
      ),
    ]);
  });

  it("a topic that stops passing traces on", () => {
    const broken = altered((rs) => {
      for (const r of rs) if (r.name === "NotificationsTopic") delete r.inputs.tracingConfig;
    });
    expect(messages(checkTopicTracing(broken))).toEqual([
      "topic NotificationsTopic feeds a queue without active tracing (undefined)",
    ]);
  });

  it("a dead-letter queue without its depth alarm", () => {
    const broken = altered((rs) => {
      rs.splice(
        rs.findIndex((r) => r.name === "NotificationDeadLettersDepth"),
        1,
      );
    });
    expect(messages(checkFailureAlarms(broken))).toEqual([
      "no alarm on the depth of NotificationDeadLettersQueue (a failure destination)",
    ]);
  });

  it("service alarms missing, and CloudFront's outside us-east-1", () => {
    const broken = altered((rs) => {
      for (const name of ["ApiLatencyP99", "SearchClusterRed", "RealtimeExecutionError"])
        rs.splice(
          rs.findIndex((r) => r.name === name),
          1,
        );
      for (const r of rs) if (r.name === "Cdn5xxRate") delete r.provider;
    });
    expect(messages(checkServiceAlarms(broken))).toEqual([
      "no p99 Latency alarm on ApiApi",
      "no AWS/ApiGateway ExecutionError alarm on RealtimeApi ExecutionError",
      "no AWS/ES ClusterStatus.red alarm on SearchDomain ClusterStatus.red",
      "Cdn5xxRate is not created in us-east-1 (provider undefined)",
    ]);
  });

  it("a table or an index without its throttle alarm, or one that waits for more than one throttle", () => {
    const broken = altered((rs) => {
      rs.splice(
        rs.findIndex((r) => r.name === "TableGsi2WriteThrottleEvents"),
        1,
      );
      for (const r of rs) if (r.name === "TableReadThrottleEvents") r.inputs.threshold = 10;
    });
    expect(messages(checkTableAlarms(broken))).toEqual([
      "TableReadThrottleEvents does not fire on the first throttle in 5 minutes (Sum GreaterThanOrEqualToThreshold 10 over 300 s × 1)",
      "no alarm on TableTable gsi2 WriteThrottleEvents",
    ]);
  });

  it("an alarm or a chart naming a function, queue or API that is not in the app", () => {
    const broken = altered((rs) => {
      for (const r of rs) {
        if (r.name === "QueryErrors") r.inputs.dimensions = { FunctionName: "someone-elses-function" };
        if (r.name === "Dashboard")
          r.inputs.dashboardBody = String(r.inputs.dashboardBody).replace(/"apiapi-id"/g, '"other-api"');
      }
    });
    const found = messages(checkMetricsResolve(broken, SERVICES));
    expect(found[0]).toBe(
      "QueryErrors watches Errors of FunctionName=someone-elses-function: no such resource",
    );
    expect(
      found.slice(1).every((m) => /^Dashboard charts .* of ApiId=other-api: no such resource$/.test(m)),
    ).toBe(true);
    expect(found.length).toBeGreaterThan(1);
  });

  it("a dashboard without a business metric or a function's errors", () => {
    const broken = altered((rs) => {
      for (const r of rs) {
        if (r.name !== "Dashboard") continue;
        const body = JSON.parse(String(r.inputs.dashboardBody)) as {
          widgets: { properties: { metrics: unknown[][] } }[];
        };
        for (const w of body.widgets)
          w.properties.metrics = w.properties.metrics.filter(
            (m) => m[1] !== "CallFailed" && !(m[1] === "Errors" && String(m[3]).includes("-PostFunction-")),
          );
        r.inputs.dashboardBody = JSON.stringify(body);
      }
    });
    expect(messages(checkDashboard(broken, BUSINESS_METRICS, METRICS_SERVICE))).toEqual([
      "the dashboard does not chart CallFailed",
      "the dashboard does not chart Post's errors",
    ]);
  });
});
