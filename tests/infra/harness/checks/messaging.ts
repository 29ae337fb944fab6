// Streams, queues, topics and bucket notifications: every event reaches a consumer of this app.
import { type InfraGraph, statementList, T } from "../graph";
import type { MockedResource } from "../types";
import { type Problem, parsePolicy, problem, s } from "./shared";

const reportsBatchFailures = (esm: MockedResource) =>
  ((esm.inputs.functionResponseTypes as string[] | undefined) ?? []).includes("ReportBatchItemFailures");

/** Subscriber components (`sst:aws:<Kind>LambdaSubscriber`) and the event source mapping each must own. */
function checkMappings(graph: InfraGraph, kind: string, componentType: string, sources: MockedResource[]) {
  const out: Problem[] = [];
  for (const sub of graph.findAll(componentType)) {
    const fnComponent = graph.childrenOf(sub).find((r) => r.type === T.sstFunction);
    const fn = fnComponent ? graph.functionFor(fnComponent.name) : undefined;
    const esms = graph.childrenOf(sub).filter((r) => r.type === T.eventSourceMapping);
    if (!fn || esms.length === 0) {
      out.push(problem(kind, sub.name, `${sub.name} has no event source mapping to its function`));
      continue;
    }
    for (const esm of esms) {
      if (!graph.eventSourceMappingsOf(fn).includes(esm))
        out.push(problem(kind, sub.name, `${esm.name} does not invoke ${fn.logicalName}`));
      if (!sources.some((src) => graph.byRef(src.type, esm.inputs.eventSourceArn) === src))
        out.push(
          problem(kind, sub.name, `${esm.name} reads ${s(esm.inputs.eventSourceArn)}, not a ${kind} source`),
        );
      if (!reportsBatchFailures(esm))
        out.push(
          problem(
            kind,
            sub.name,
            `${esm.name} does not report partial batch failures (ReportBatchItemFailures)`,
          ),
        );
    }
  }
  return out;
}

/** Each table stream subscriber has an event source mapping on the table's stream (with partial batch responses). */
export function checkStreamSubscriptions(graph: InfraGraph): Problem[] {
  const out = checkMappings(graph, "stream", "sst:aws:DynamoLambdaSubscriber", graph.tables());
  for (const esm of graph.findAll(T.eventSourceMapping, (i) =>
    String(i.eventSourceArn).includes(":dynamodb:"),
  ))
    if (!graph.resources.some((r) => r.type === T.table && r.outputs.streamArn === esm.inputs.eventSourceArn))
      out.push(problem("stream", esm.name, `${esm.name} reads a stream of no table in this app`));
  for (const t of graph.tables())
    if (graph.findAll("sst:aws:DynamoLambdaSubscriber").length > 0 && !t.inputs.streamEnabled)
      out.push(problem("stream", t.name, `${t.name} has subscribers but no stream`));
  return out;
}

/** Each queue consumer has an event source mapping on its queue (with partial batch responses). */
export function checkQueueConsumers(graph: InfraGraph): Problem[] {
  return checkMappings(graph, "queue", "sst:aws:QueueLambdaSubscriber", graph.queues());
}

/** SNS → SQS: a subscription from the topic to the queue and a queue policy letting that topic send. */
export function checkTopicSubscriptions(graph: InfraGraph): Problem[] {
  const out: Problem[] = [];
  for (const sub of graph.findAll(T.subscription)) {
    const topic = graph.byRef(T.topic, sub.inputs.topic);
    if (!topic)
      out.push(problem("sns", sub.name, `${sub.name} subscribes to a topic that is not in this app`));
    if (sub.inputs.protocol === "sqs") {
      const queue = graph.byRef(T.queue, sub.inputs.endpoint);
      if (!queue) {
        out.push(problem("sns", sub.name, `${sub.name} delivers to a queue that is not in this app`));
        continue;
      }
      const allowed = graph
        .findAll(T.queuePolicy, (i) => i.queueUrl === queue.outputs.url)
        .flatMap((p) => parsePolicy(p.inputs.policy))
        .some(
          (st) =>
            st.Effect === "Allow" &&
            statementList(st, "Action").some((a) => a === "sqs:SendMessage" || a === "sqs:*") &&
            statementList(st, "Resource").includes(String(queue.outputs.arn)) &&
            JSON.stringify(st.Principal ?? "").includes("sns.amazonaws.com"),
        );
      if (!allowed)
        out.push(
          problem("sns", sub.name, `no policy on queue ${queue.name} lets topic ${topic?.name} send to it`),
        );
    }
    if (sub.inputs.protocol === "lambda") {
      const fn = graph.functionByLambdaRef(sub.inputs.endpoint);
      if (!fn) out.push(problem("sns", sub.name, `${sub.name} delivers to a Lambda that is not in this app`));
      else if (
        !graph.findAll(
          T.permission,
          (i) => i.principal === "sns.amazonaws.com" && i.function === fn.lambda.outputs.arn,
        ).length
      )
        out.push(problem("sns", sub.name, `${fn.logicalName} does not allow SNS to invoke it`));
    }
  }
  return out;
}

/** Bucket notifications name buckets of this app and targets that exist (and may be invoked by S3). */
export function checkBucketNotifications(graph: InfraGraph): Problem[] {
  const out: Problem[] = [];
  for (const n of graph.findAll(T.bucketNotification)) {
    const bucket = graph.byRef(T.bucket, n.inputs.bucket);
    if (!bucket) out.push(problem("bucket-notification", n.name, `${n.name} is on a bucket not in this app`));
    for (const target of (n.inputs.lambdaFunctions as { lambdaFunctionArn?: string }[] | undefined) ?? []) {
      const fn = graph.functionByLambdaRef(target.lambdaFunctionArn);
      if (!fn) out.push(problem("bucket-notification", n.name, `${n.name} targets a Lambda not in this app`));
      else if (
        !graph.findAll(
          T.permission,
          (i) => i.principal === "s3.amazonaws.com" && i.function === fn.lambda.outputs.arn,
        ).length
      )
        out.push(problem("bucket-notification", n.name, `${fn.logicalName} does not allow S3 to invoke it`));
    }
    for (const target of (n.inputs.queues as { queueArn?: string }[] | undefined) ?? [])
      if (!graph.byRef(T.queue, target.queueArn))
        out.push(problem("bucket-notification", n.name, `${n.name} targets a queue not in this app`));
    for (const target of (n.inputs.topics as { topicArn?: string }[] | undefined) ?? [])
      if (!graph.byRef(T.topic, target.topicArn))
        out.push(problem("bucket-notification", n.name, `${n.name} targets a topic not in this app`));
  }
  return out;
}
