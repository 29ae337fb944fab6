// Alarms and the dashboard: each one notifies the ops topic and names resources that exist in this app's graph.
import { type InfraGraph, T, unsecret } from "../graph";
import type { MockedResource } from "../types";
import { type Problem, problem, s } from "./shared";

export const OBS_T = {
  metricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  dashboard: "aws:cloudwatch/dashboard:Dashboard",
  stage: "aws:apigatewayv2/stage:Stage",
  domain: "aws:opensearch/domain:Domain",
  provider: "pulumi:providers:aws",
} as const;

/** The account the graph's mocks run as (arn:aws:iam::<account>:…). */
const accountOf = (graph: InfraGraph) => String(graph.topics()[0]?.outputs.arn ?? "").split(":")[4] ?? "";

type Dimensions = Record<string, unknown>;
interface MetricRef {
  namespace: string;
  metricName: string;
  dimensions: Dimensions;
}

/** Every metric an alarm watches: its own, or each of its metric-math queries'. */
export function alarmMetrics(alarm: MockedResource): MetricRef[] {
  const i = alarm.inputs;
  if (i.metricName)
    return [
      {
        namespace: String(i.namespace),
        metricName: String(i.metricName),
        dimensions: (i.dimensions ?? {}) as Dimensions,
      },
    ];
  return ((i.metricQueries ?? []) as { metric?: MetricRef }[]).flatMap((q) =>
    q.metric ? [{ ...q.metric, dimensions: q.metric.dimensions ?? {} }] : [],
  );
}

/** Every metric of the dashboard, from CloudWatch's `[namespace, name, dim1, value1, …, {options}]` arrays. */
export function dashboardMetrics(dashboard: MockedResource): MetricRef[] {
  const body = JSON.parse(String(unsecret(dashboard.inputs.dashboardBody))) as {
    widgets: { properties?: { metrics?: unknown[][] } }[];
  };
  return body.widgets.flatMap((w) =>
    (w.properties?.metrics ?? []).map((m) => {
      const parts = m.filter((p) => typeof p !== "object");
      const [namespace, metricName, ...rest] = parts.map(String);
      const dimensions: Dimensions = {};
      for (let k = 0; k + 1 < rest.length; k += 2) dimensions[rest[k]!] = rest[k + 1];
      return { namespace: namespace ?? "", metricName: metricName ?? "", dimensions };
    }),
  );
}

/** The names of a table's global secondary indexes. */
const globalIndexes = (table: MockedResource) =>
  ((table.inputs.globalSecondaryIndexes ?? []) as { name?: string }[]).map((g) => String(g.name));

/** Why a dimension value names nothing in the graph, or undefined when it names a resource of this app. */
function unresolved(graph: InfraGraph, metric: MetricRef, services: string[]): string | undefined {
  const d = metric.dimensions;
  const lambdaNames = graph.findAll(T.lambda).map((l) => l.outputs.name);
  const queueNames = graph.queues().map((q) => String(q.outputs.arn).split(":").pop());
  for (const [key, value] of Object.entries(d)) {
    const v = unsecret(value);
    const ok = (() => {
      switch (key) {
        case "FunctionName":
          return lambdaNames.includes(v);
        case "QueueName":
          return queueNames.includes(String(v));
        case "ApiId":
          return graph.findAll(T.api).some((a) => a.id === v);
        case "Stage":
          return graph
            .findAll(OBS_T.stage)
            .some((st) => st.inputs.apiId === unsecret(d.ApiId) && st.inputs.name === v);
        case "DomainName":
          return graph
            .findAll(OBS_T.domain)
            .some((dom) => (dom.outputs.domainName ?? dom.inputs.domainName) === v);
        case "ClientId":
          return v === accountOf(graph);
        case "DistributionId":
          return graph.findAll(T.distribution).some((dist) => dist.id === v);
        case "Region":
          return metric.namespace === "AWS/CloudFront" && v === "Global";
        case "service":
          return services.includes(String(v));
        case "TableName":
          return graph.tables().some((t) => t.outputs.name === v);
        case "GlobalSecondaryIndexName":
          return graph
            .tables()
            .some((t) => t.outputs.name === unsecret(d.TableName) && globalIndexes(t).includes(String(v)));
        default:
          return false;
      }
    })();
    if (!ok) return `${key}=${s(v)}`;
  }
  return undefined;
}

const regionOf = (graph: InfraGraph, r: MockedResource) =>
  r.provider ? graph.findAll(OBS_T.provider).find((p) => p.name === r.provider)?.inputs.region : "default";

/** Alarms notify an ops topic of this app in their own Region, when they fire and when they clear. */
export function checkAlarmActions(graph: InfraGraph): Problem[] {
  const out: Problem[] = [];
  const opsTopics = graph.topics().filter((t) => /^Ops/.test(t.name));
  if (!opsTopics.length) out.push(problem("alarm-actions", "Ops", "there is no ops topic"));
  for (const a of graph.findAll(OBS_T.metricAlarm)) {
    for (const key of ["alarmActions", "okActions"] as const) {
      const actions = ((a.inputs[key] ?? []) as unknown[]).map(unsecret);
      const topic = opsTopics.find((t) => actions.includes(t.outputs.arn));
      if (!topic)
        out.push(problem("alarm-actions", a.name, `${a.name} ${key} ${s(actions)} reach no ops topic`));
      else if (regionOf(graph, topic) !== regionOf(graph, a))
        out.push(
          problem(
            "alarm-actions",
            a.name,
            `${a.name} notifies ${topic.name}, in another Region than the alarm`,
          ),
        );
    }
  }
  return out;
}

/** Every alarm's and dashboard metric's dimensions name a resource of this graph. */
export function checkMetricsResolve(graph: InfraGraph, services: string[]): Problem[] {
  const out: Problem[] = [];
  for (const a of graph.findAll(OBS_T.metricAlarm))
    for (const m of alarmMetrics(a)) {
      const why = unresolved(graph, m, services);
      if (why)
        out.push(
          problem("metric-resolves", a.name, `${a.name} watches ${m.metricName} of ${why}: no such resource`),
        );
    }
  for (const d of graph.findAll(OBS_T.dashboard))
    for (const m of dashboardMetrics(d)) {
      const why = unresolved(graph, m, services);
      if (why)
        out.push(
          problem("metric-resolves", d.name, `${d.name} charts ${m.metricName} of ${why}: no such resource`),
        );
    }
  return out;
}

const alarmsOn = (graph: InfraGraph, namespace: string, metricName: string) =>
  graph.findAll(OBS_T.metricAlarm).flatMap((a) =>
    alarmMetrics(a)
      .filter((m) => m.namespace === namespace && m.metricName === metricName)
      .map((m) => ({ alarm: a, metric: m })),
  );

/** Every function has an Errors and a Throttles alarm on its own name; every stream reader an IteratorAge one. */
export function checkFunctionAlarms(graph: InfraGraph): Problem[] {
  const out: Problem[] = [];
  for (const fn of graph.functions())
    for (const metricName of ["Errors", "Throttles"])
      if (
        !alarmsOn(graph, "AWS/Lambda", metricName).some(
          (x) => unsecret(x.metric.dimensions.FunctionName) === fn.lambda.outputs.name,
        )
      )
        out.push(problem("function-alarms", fn.logicalName, `${fn.logicalName} has no ${metricName} alarm`));
  const streamReaders = graph
    .findAll(T.eventSourceMapping, (i) => /^arn:aws:(dynamodb|kinesis):/.test(String(i.eventSourceArn)))
    .map((esm) => unsecret(esm.inputs.functionName));
  for (const name of streamReaders)
    if (
      !alarmsOn(graph, "AWS/Lambda", "IteratorAge").some(
        (x) => unsecret(x.metric.dimensions.FunctionName) === name,
      )
    )
      out.push(problem("function-alarms", String(name), `stream reader ${s(name)} has no IteratorAge alarm`));
  return out;
}

/** What each entry point and store must alarm on: namespace, metric, and which resource it must name. */
export function checkServiceAlarms(graph: InfraGraph): Problem[] {
  const out: Problem[] = [];
  const need = (
    what: string,
    namespace: string,
    metricName: string,
    names: (d: Dimensions) => boolean,
    region?: string,
  ) => {
    const found = alarmsOn(graph, namespace, metricName).filter((x) => names(x.metric.dimensions));
    if (!found.length)
      out.push(problem("service-alarms", what, `no ${namespace} ${metricName} alarm on ${what}`));
    for (const x of found)
      if (region && regionOf(graph, x.alarm) !== region)
        out.push(
          problem(
            "service-alarms",
            x.alarm.name,
            `${x.alarm.name} is not created in ${region} (provider ${s(x.alarm.provider)})`,
          ),
        );
  };
  for (const api of graph.httpApis()) {
    need(`${api.name} 5xx`, "AWS/ApiGateway", "5xx", (d) => d.ApiId === api.id);
    const latency = alarmsOn(graph, "AWS/ApiGateway", "Latency").filter(
      (x) => x.metric.dimensions.ApiId === api.id,
    );
    if (!latency.some((x) => x.alarm.inputs.extendedStatistic === "p99"))
      out.push(problem("service-alarms", api.name, `no p99 Latency alarm on ${api.name}`));
  }
  for (const api of graph.webSocketApis())
    for (const m of ["IntegrationError", "ExecutionError"])
      need(`${api.name} ${m}`, "AWS/ApiGateway", m, (d) => d.ApiId === api.id);
  for (const dom of graph.findAll(OBS_T.domain)) {
    const name = dom.outputs.domainName ?? dom.inputs.domainName;
    for (const m of ["ClusterStatus.red", "ClusterStatus.yellow", "FreeStorageSpace"])
      need(`${dom.name} ${m}`, "AWS/ES", m, (d) => d.DomainName === name);
  }
  for (const dist of graph.findAll(T.distribution))
    need(
      `${dist.name} 5xxErrorRate`,
      "AWS/CloudFront",
      "5xxErrorRate",
      (d) => d.DistributionId === dist.id && d.Region === "Global",
      "us-east-1",
    );
  return out;
}

/**
 * Every table, and each of its global indexes, alarms on its first read and write throttle in 5 minutes (Sum ≥ 1):
 * DynamoDB reports an index's throttles under its own GlobalSecondaryIndexName, apart from the table's.
 */
export function checkTableAlarms(graph: InfraGraph): Problem[] {
  const out: Problem[] = [];
  for (const table of graph.tables())
    for (const index of [undefined, ...globalIndexes(table)])
      for (const metricName of ["ReadThrottleEvents", "WriteThrottleEvents"]) {
        const what = `${table.name}${index ? ` ${index}` : ""} ${metricName}`;
        const found = alarmsOn(graph, "AWS/DynamoDB", metricName).filter(
          (x) =>
            unsecret(x.metric.dimensions.TableName) === table.outputs.name &&
            x.metric.dimensions.GlobalSecondaryIndexName === index,
        );
        if (!found.length) out.push(problem("table-alarms", what, `no alarm on ${what}`));
        for (const { alarm: a } of found) {
          const i = a.inputs;
          const fires =
            i.statistic === "Sum" &&
            i.period === 300 &&
            i.evaluationPeriods === 1 &&
            ((i.comparisonOperator === "GreaterThanOrEqualToThreshold" && i.threshold === 1) ||
              (i.comparisonOperator === "GreaterThanThreshold" && i.threshold === 0));
          if (!fires)
            out.push(
              problem(
                "table-alarms",
                a.name,
                `${a.name} does not fire on the first throttle in 5 minutes (${s(i.statistic)} ${s(i.comparisonOperator)} ${s(i.threshold)} over ${s(i.period)} s × ${s(i.evaluationPeriods)})`,
              ),
            );
        }
      }
  return out;
}

/** One dashboard charting each business metric and every function's errors. */
export function checkDashboard(graph: InfraGraph, business: readonly string[], service: string): Problem[] {
  const dashboards = graph.findAll(OBS_T.dashboard);
  if (dashboards.length !== 1)
    return [problem("dashboard", "Dashboard", `${dashboards.length} dashboards, not 1`)];
  const metrics = dashboardMetrics(dashboards[0]!);
  const out: Problem[] = [];
  for (const m of business)
    if (
      !metrics.some(
        (x) => x.namespace === "asyncsns" && x.metricName === m && x.dimensions.service === service,
      )
    )
      out.push(problem("dashboard", m, `the dashboard does not chart ${m}`));
  for (const fn of graph.functions())
    if (
      !metrics.some(
        (x) => x.metricName === "Errors" && unsecret(x.dimensions.FunctionName) === fn.lambda.outputs.name,
      )
    )
      out.push(
        problem("dashboard", fn.logicalName, `the dashboard does not chart ${fn.logicalName}'s errors`),
      );
  return out;
}

/** A topic that feeds a queue passes the publisher's trace on (active tracing), so one trace spans to the consumer. */
export function checkTopicTracing(graph: InfraGraph): Problem[] {
  const fedTopics = new Set(
    graph.findAll(T.subscription, (i) => i.protocol === "sqs").map((sub) => unsecret(sub.inputs.topic)),
  );
  return graph
    .topics()
    .filter((t) => fedTopics.has(t.outputs.arn))
    .flatMap((t) =>
      t.inputs.tracingConfig === "Active"
        ? []
        : [
            problem(
              "tracing",
              t.name,
              `topic ${t.name} feeds a queue without active tracing (${s(t.inputs.tracingConfig)})`,
            ),
          ],
    );
}
