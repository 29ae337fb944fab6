import { BUSINESS_METRICS, METRICS_NAMESPACE, METRICS_SERVICE } from "../packages/functions/src/metric-names";
// The stage's alarms on its entry points and stores, and one dashboard of them and the business metrics.
import { api } from "./api";
import { streamFailures, table } from "./database";
import { notificationDeadLetters, notificationQueue } from "./notification";
import { alarm, allFunctionNames, opsTopicIn } from "./observability";
import { realtimeReady, ws } from "./realtime";
import { search } from "./search";
import { mediaFailures } from "./storage";
import { router } from "./web";

const region = aws.getRegionOutput().name;
const account = aws.getCallerIdentityOutput({}).accountId;

// CloudFront publishes its metrics in us-east-1 only, so its alarm (and the topic it notifies) live there:
// "Viewing CloudFront and edge function metrics", https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/viewing-cloudfront-metrics.html
const usEast1 = new aws.Provider("OpsProvider", { region: "us-east-1" });

/** An alarm's SNS action must be in the alarm's Region: the ops topic's twin for the global (us-east-1) alarms. */
export const opsTopicGlobal = opsTopicIn("OpsGlobal", { provider: usEast1 });

/** Both APIs run on SST's one stage, `$default`. */
export const API_STAGE = "$default";
const apiId = api.nodes.api.id;
const wsId = ws.nodes.api.id;
const distributionId = router.nodes.cdn.nodes.distribution.id;
const domainName = search.nodes.domain!.domainName;

/** HTTP API answers that are 5xx, in percent, above which users see failures ("Monitor CloudWatch metrics for HTTP APIs", https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html). */
export const API_5XX_PERCENT = 1;
/** p99 of HTTP API latency in ms: a read is one query + one batch get, so seconds mean a cold start storm or a hot key. */
export const API_P99_MS = 2000;

const apiDimensions = { ApiId: apiId, Stage: API_STAGE };
alarm("Api5xxRate", {
  alarmDescription: `More than ${API_5XX_PERCENT}% of /api answers are 5xx for 10 minutes`,
  metricQueries: [
    {
      id: "errors",
      metric: {
        namespace: "AWS/ApiGateway",
        metricName: "5xx",
        dimensions: apiDimensions,
        stat: "Sum",
        period: 300,
      },
    },
    {
      id: "requests",
      metric: {
        namespace: "AWS/ApiGateway",
        metricName: "Count",
        dimensions: apiDimensions,
        stat: "Sum",
        period: 300,
      },
    },
    { id: "rate", expression: "100 * errors / MAX([requests, 1])", label: "5xx %", returnData: true },
  ],
  evaluationPeriods: 2,
  threshold: API_5XX_PERCENT,
  comparisonOperator: "GreaterThanThreshold",
});
alarm("ApiLatencyP99", {
  alarmDescription: `p99 of /api latency above ${API_P99_MS} ms for 15 minutes`,
  namespace: "AWS/ApiGateway",
  metricName: "Latency",
  dimensions: apiDimensions,
  extendedStatistic: "p99",
  period: 300,
  evaluationPeriods: 3,
  threshold: API_P99_MS,
  comparisonOperator: "GreaterThanThreshold",
});

// "Monitor WebSocket API execution with CloudWatch metrics", https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-logging.html:
// ExecutionError is API Gateway failing to call a route (permissions, config): one is a bug; IntegrationError is a
// route handler failing, which its function's Errors alarm already reports, so a burst of five is the signal here.
const wsDimensions = { ApiId: wsId, Stage: API_STAGE };
for (const [metricName, threshold] of [
  ["ExecutionError", 0],
  ["IntegrationError", 4],
] as const)
  alarm(`Realtime${metricName}`, {
    alarmDescription: `WebSocket ${metricName} above ${threshold} in 5 minutes`,
    namespace: "AWS/ApiGateway",
    metricName,
    dimensions: wsDimensions,
    statistic: "Sum",
    period: 300,
    evaluationPeriods: 1,
    threshold,
    comparisonOperator: "GreaterThanThreshold",
  });

// "Recommended CloudWatch alarms for Amazon OpenSearch Service", https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cloudwatch-alarms.html
const searchDimensions = { DomainName: domainName, ClientId: account };
/** SST's default volume (10 GB) in MiB, and the 25% of it the guide keeps free. */
export const SEARCH_FREE_MIB = 0.25 * 10 * 1024;
alarm("SearchClusterRed", {
  alarmDescription: "A primary shard is unassigned: searches and indexing of posts fail",
  namespace: "AWS/ES",
  metricName: "ClusterStatus.red",
  dimensions: searchDimensions,
  statistic: "Maximum",
  period: 60,
  evaluationPeriods: 1,
  threshold: 1,
  comparisonOperator: "GreaterThanOrEqualToThreshold",
});
alarm("SearchClusterYellow", {
  alarmDescription:
    "A replica shard is unassigned (a node is gone or indexes ask for more replicas than nodes)",
  namespace: "AWS/ES",
  metricName: "ClusterStatus.yellow",
  dimensions: searchDimensions,
  statistic: "Maximum",
  period: 60,
  evaluationPeriods: 5,
  threshold: 1,
  comparisonOperator: "GreaterThanOrEqualToThreshold",
});
alarm("SearchFreeStorage", {
  alarmDescription: `Less than ${SEARCH_FREE_MIB} MiB free on the search domain: writes are blocked when it runs out`,
  namespace: "AWS/ES",
  metricName: "FreeStorageSpace",
  dimensions: searchDimensions,
  statistic: "Minimum",
  period: 60,
  evaluationPeriods: 1,
  threshold: SEARCH_FREE_MIB,
  comparisonOperator: "LessThanOrEqualToThreshold",
});

// "DynamoDB metrics and dimensions", https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/metrics-dimensions.html:
// ReadThrottleEvents and WriteThrottleEvents count requests over the table's (or an index's) throughput; on demand that
// means a hot partition or the table's limits, and the SDK's retries turn what remains into 500s.
/** The table's global indexes, each throttled (and reported) apart from the table. */
export const TABLE_INDEXES = ["gsi1", "gsi2"] as const;
for (const index of [undefined, ...TABLE_INDEXES])
  for (const metricName of ["ReadThrottleEvents", "WriteThrottleEvents"] as const)
    alarm(`Table${index ? index.charAt(0).toUpperCase() + index.slice(1) : ""}${metricName}`, {
      alarmDescription: `DynamoDB ${metricName} on the table${index ? `'s ${index}` : ""} in the last 5 minutes: see docs/en/qa.md (DynamoDB writes)`,
      namespace: "AWS/DynamoDB",
      metricName,
      dimensions: { TableName: table.name, ...(index ? { GlobalSecondaryIndexName: index } : {}) },
      statistic: "Sum",
      period: 300,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
    });

/** Percent of CloudFront answers that are 5xx (origin failures included: API Gateway down shows here). */
export const CDN_5XX_PERCENT = 5;
alarm(
  "Cdn5xxRate",
  {
    alarmDescription: `More than ${CDN_5XX_PERCENT}% of CloudFront answers are 5xx for 10 minutes`,
    namespace: "AWS/CloudFront",
    metricName: "5xxErrorRate",
    dimensions: { DistributionId: distributionId, Region: "Global" },
    statistic: "Average",
    period: 300,
    evaluationPeriods: 2,
    threshold: CDN_5XX_PERCENT,
    comparisonOperator: "GreaterThanThreshold",
  },
  { provider: usEast1 },
  opsTopicGlobal,
);

const queueName = (q: sst.aws.Queue) => q.arn.apply((arn) => arn.split(":").pop() ?? arn);
const graph = (title: string, metrics: unknown[], extra: Record<string, unknown> = {}) => ({
  type: "metric",
  width: 12,
  height: 6,
  properties: { title, region, metrics, period: 300, view: "timeSeries", ...extra },
});

export const dashboard = new aws.cloudwatch.Dashboard("Dashboard", {
  dashboardName: `asyncsns-${$app.stage}`,
  // Read once the socket routes exist, so their functions (made late, inside SST's applies) are charted too.
  dashboardBody: realtimeReady
    .apply(() => allFunctionNames())
    .apply((functions) =>
      $jsonStringify({
        widgets: [
          graph(
            "Business (per 5 min)",
            BUSINESS_METRICS.map((m) => [METRICS_NAMESPACE, m, "service", METRICS_SERVICE, { stat: "Sum" }]),
          ),
          graph("HTTP API", [
            ["AWS/ApiGateway", "Count", "ApiId", apiId, "Stage", API_STAGE, { stat: "Sum" }],
            ["AWS/ApiGateway", "5xx", "ApiId", apiId, "Stage", API_STAGE, { stat: "Sum" }],
            ["AWS/ApiGateway", "4xx", "ApiId", apiId, "Stage", API_STAGE, { stat: "Sum" }],
            [
              "AWS/ApiGateway",
              "Latency",
              "ApiId",
              apiId,
              "Stage",
              API_STAGE,
              { stat: "p99", yAxis: "right" },
            ],
          ]),
          graph("WebSocket API", [
            ["AWS/ApiGateway", "ConnectCount", "ApiId", wsId, "Stage", API_STAGE, { stat: "Sum" }],
            ["AWS/ApiGateway", "MessageCount", "ApiId", wsId, "Stage", API_STAGE, { stat: "Sum" }],
            ["AWS/ApiGateway", "IntegrationError", "ApiId", wsId, "Stage", API_STAGE, { stat: "Sum" }],
            ["AWS/ApiGateway", "ExecutionError", "ApiId", wsId, "Stage", API_STAGE, { stat: "Sum" }],
          ]),
          graph(
            "Lambda errors",
            functions.map(([name, fn]) => [
              "AWS/Lambda",
              "Errors",
              "FunctionName",
              fn,
              { stat: "Sum", label: name },
            ]),
          ),
          graph(
            "Lambda throttles",
            functions.map(([name, fn]) => [
              "AWS/Lambda",
              "Throttles",
              "FunctionName",
              fn,
              { stat: "Sum", label: name },
            ]),
          ),
          graph("Queues and failure destinations", [
            ...[streamFailures, mediaFailures, notificationDeadLetters].map((q) => [
              "AWS/SQS",
              "ApproximateNumberOfMessagesVisible",
              "QueueName",
              queueName(q),
              { stat: "Maximum" },
            ]),
            [
              "AWS/SQS",
              "ApproximateAgeOfOldestMessage",
              "QueueName",
              queueName(notificationQueue),
              { stat: "Maximum" },
            ],
          ]),
          graph(
            "Table stream readers (iterator age)",
            functions
              .filter(([name]) => name.startsWith("TableSubscriber"))
              .map(([name, fn]) => [
                "AWS/Lambda",
                "IteratorAge",
                "FunctionName",
                fn,
                { stat: "Maximum", label: name },
              ]),
          ),
          graph(
            "Table throttles",
            [undefined, ...TABLE_INDEXES].flatMap((index) =>
              (["ReadThrottleEvents", "WriteThrottleEvents"] as const).map((m) => [
                "AWS/DynamoDB",
                m,
                "TableName",
                table.name,
                ...(index ? ["GlobalSecondaryIndexName", index] : []),
                { stat: "Sum", label: `${index ?? "table"} ${m}` },
              ]),
            ),
          ),
          graph("Search", [
            [
              "AWS/ES",
              "ClusterStatus.red",
              "DomainName",
              domainName,
              "ClientId",
              account,
              { stat: "Maximum" },
            ],
            [
              "AWS/ES",
              "ClusterStatus.yellow",
              "DomainName",
              domainName,
              "ClientId",
              account,
              { stat: "Maximum" },
            ],
            [
              "AWS/ES",
              "FreeStorageSpace",
              "DomainName",
              domainName,
              "ClientId",
              account,
              { stat: "Minimum", yAxis: "right" },
            ],
          ]),
          graph(
            "CloudFront",
            [
              [
                "AWS/CloudFront",
                "Requests",
                "DistributionId",
                distributionId,
                "Region",
                "Global",
                { stat: "Sum" },
              ],
              [
                "AWS/CloudFront",
                "5xxErrorRate",
                "DistributionId",
                distributionId,
                "Region",
                "Global",
                { stat: "Average", yAxis: "right" },
              ],
            ],
            { region: "us-east-1" },
          ),
        ],
      }),
    ),
});
