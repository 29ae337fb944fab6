// Stream readers per shard, and what every asynchronous trigger keeps when it gives up.
import { type InfraGraph, statementList, T } from "../graph";
import type { MockedResource } from "../types";
import { type Problem, problem, s } from "./shared";

export const FAILURES_T = {
  eventInvokeConfig: "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
  metricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
} as const;

const streamMappings = (graph: InfraGraph) =>
  graph.findAll(T.eventSourceMapping, (i) => /^arn:aws:(dynamodb|kinesis):/.test(String(i.eventSourceArn)));

/** Each mapping reads every shard; "Change data capture for DynamoDB Streams" (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html): at most two readers per shard, more are throttled. */
export function checkStreamReaders(graph: InfraGraph, max = 2): Problem[] {
  const byStream = new Map<string, MockedResource[]>();
  for (const esm of streamMappings(graph)) {
    const arn = String(esm.inputs.eventSourceArn);
    if (!arn.startsWith("arn:aws:dynamodb:")) continue;
    byStream.set(arn, [...(byStream.get(arn) ?? []), esm]);
  }
  return [...byStream].flatMap(([arn, esms]) =>
    esms.length > max
      ? [
          problem(
            "stream-readers",
            arn,
            `${esms.length} event source mappings read ${arn} (${esms.map((e) => e.name).join(", ")}); DynamoDB Streams allows ${max} readers per shard`,
          ),
        ]
      : [],
  );
}

/** The destination queue of this app behind an ARN, or a problem naming what is wrong with it. */
function destinationQueue(graph: InfraGraph, owner: string, arn: unknown, out: Problem[]) {
  if (!arn) {
    out.push(problem("failure-destination", owner, `${owner} has no on-failure destination`));
    return undefined;
  }
  const queue = graph.byRef(T.queue, arn);
  if (!queue)
    out.push(
      problem("failure-destination", owner, `${owner} sends failures to ${s(arn)}, not a queue of this app`),
    );
  return queue;
}

function canSend(
  graph: InfraGraph,
  fnOwner: string,
  fnArnOrName: unknown,
  queue: MockedResource,
  out: Problem[],
) {
  const fn =
    graph.functionByLambdaRef(fnArnOrName) ??
    graph.functions().find((f) => f.lambda.outputs.name === fnArnOrName);
  if (!fn) {
    out.push(problem("failure-destination", fnOwner, `${fnOwner} invokes a function not in this app`));
    return;
  }
  const allowed = graph
    .policiesOf(fn)
    .some(
      (st) =>
        st.Effect === "Allow" &&
        statementList(st, "Action").some((a) => a === "sqs:SendMessage" || a === "sqs:*") &&
        statementList(st, "Resource").includes(String(queue.outputs.arn)),
    );
  if (!allowed)
    out.push(
      problem(
        "failure-destination",
        fnOwner,
        `${fn.logicalName} may not sqs:SendMessage to ${queue.name}, its on-failure destination`,
      ),
    );
}

/** Defaults (-1) retry until the record leaves the stream, then drop it; "Retaining discarded records for a DynamoDB event source in Lambda" (https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html). */
export function checkStreamFailureDestinations(graph: InfraGraph): Problem[] {
  const out: Problem[] = [];
  for (const esm of streamMappings(graph)) {
    const i = esm.inputs;
    const dest = (i.destinationConfig as { onFailure?: { destinationArn?: unknown } } | undefined)?.onFailure;
    const queue = destinationQueue(graph, esm.name, dest?.destinationArn, out);
    if (queue) canSend(graph, esm.name, i.functionName, queue, out);
    if (i.bisectBatchOnFunctionError !== true)
      out.push(
        problem("failure-destination", esm.name, `${esm.name} does not bisect a batch on function error`),
      );
    const retries = Number(i.maximumRetryAttempts ?? -1);
    if (!(retries >= 0 && retries <= 10_000))
      out.push(
        problem(
          "failure-destination",
          esm.name,
          `${esm.name} retries without bound (${s(i.maximumRetryAttempts)})`,
        ),
      );
    const age = Number(i.maximumRecordAgeInSeconds ?? -1);
    // DynamoDB Streams keeps records 24 h: an age at or past it never sends anything before the record is gone.
    if (!(age >= 60 && age < 86_400))
      out.push(
        problem(
          "failure-destination",
          esm.name,
          `${esm.name} maximumRecordAgeInSeconds is ${s(i.maximumRecordAgeInSeconds)}, not 60..86399`,
        ),
      );
  }
  return out;
}

/** S3 invokes asynchronously, which drops an event after two retries unless configured; "Capturing records of Lambda asynchronous invocations" (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html). */
export function checkAsyncFailureDestinations(graph: InfraGraph): Problem[] {
  const out: Problem[] = [];
  const configs = graph.findAll(FAILURES_T.eventInvokeConfig);
  for (const n of graph.findAll(T.bucketNotification))
    for (const target of (n.inputs.lambdaFunctions as { lambdaFunctionArn?: string }[] | undefined) ?? []) {
      const fn = graph.functionByLambdaRef(target.lambdaFunctionArn);
      if (!fn) continue;
      const config = configs.find(
        (c) =>
          c.inputs.functionName === fn.lambda.outputs.name || c.inputs.functionName === fn.lambda.outputs.arn,
      );
      if (!config) {
        out.push(
          problem(
            "failure-destination",
            fn.logicalName,
            `${fn.logicalName} (notified by ${n.name}) has no event invoke config`,
          ),
        );
        continue;
      }
      const dest = (config.inputs.destinationConfig as { onFailure?: { destination?: unknown } } | undefined)
        ?.onFailure;
      const queue = destinationQueue(graph, config.name, dest?.destination, out);
      if (queue) canSend(graph, config.name, fn.lambda.outputs.arn, queue, out);
      if (config.inputs.maximumRetryAttempts === undefined)
        out.push(
          problem("failure-destination", config.name, `${config.name} leaves maximumRetryAttempts unstated`),
        );
    }
  return out;
}

/** The queues some mapping or event invoke config sends its failures to. */
export function failureQueues(graph: InfraGraph): MockedResource[] {
  const arns = [
    ...streamMappings(graph).map(
      (e) =>
        (e.inputs.destinationConfig as { onFailure?: { destinationArn?: unknown } } | undefined)?.onFailure
          ?.destinationArn,
    ),
    ...graph
      .findAll(FAILURES_T.eventInvokeConfig)
      .map(
        (c) =>
          (c.inputs.destinationConfig as { onFailure?: { destination?: unknown } } | undefined)?.onFailure
            ?.destination,
      ),
    // Dead-letter queues: what a queue's consumer gave up on after maxReceiveCount receives.
    ...graph.queues().flatMap((q) => {
      const policy = q.inputs.redrivePolicy;
      if (!policy) return [];
      const parsed = typeof policy === "string" ? JSON.parse(policy) : policy;
      return [(parsed as { deadLetterTargetArn?: unknown }).deadLetterTargetArn];
    }),
  ];
  return [...new Set(arns.flatMap((a) => graph.byRef(T.queue, a) ?? []))];
}

/** A failure destination should stay empty: an alarm fires on its first visible message. */
export function checkFailureAlarms(graph: InfraGraph): Problem[] {
  const alarms = graph.findAll(FAILURES_T.metricAlarm);
  return failureQueues(graph).flatMap((q) => {
    const name = String(q.outputs.arn).split(":").pop();
    const ok = alarms.some((a) => {
      const i = a.inputs;
      return (
        i.namespace === "AWS/SQS" &&
        i.metricName === "ApproximateNumberOfMessagesVisible" &&
        (i.dimensions as Record<string, unknown> | undefined)?.QueueName === name &&
        Number(i.threshold) === 0 &&
        i.comparisonOperator === "GreaterThanThreshold"
      );
    });
    return ok
      ? []
      : [problem("failure-alarm", q.name, `no alarm on the depth of ${q.name} (a failure destination)`)];
  });
}
