// The app's SnsTopics, Queues and their subscriptions, made real on the local SNS + SQS.
import { physicalMessagingName } from "../resolve";
import { type RefResolver, resolveValue, type Topology, type Value } from "../topology";
import type { Messaging } from "./index";
import { type RunningQueuePollers, startQueuePollers } from "./queue-pollers";
import type { QueueAttributes } from "./queue-store";

/** SST durations ("30 seconds", "2 minutes", "1 hour") in seconds. */
export function durationSeconds(v: unknown, fallback: number): number {
  if (v === undefined || v === null) return fallback;
  if (typeof v === "number") return v;
  const [count = "0", unit = "seconds"] = String(v).trim().split(/\s+/);
  const n = Number.parseFloat(count);
  const u = unit.toLowerCase();
  if (u.startsWith("minute")) return n * 60;
  if (u.startsWith("hour")) return n * 3600;
  if (u.startsWith("day")) return n * 86400;
  return n;
}

export interface ProvisionedMessaging {
  pollers: RunningQueuePollers;
  /** Physical queue names by logical name. */
  queues: Record<string, string>;
  /** Topic ARNs by logical name. */
  topics: Record<string, string>;
}

export function provisionMessaging(o: {
  topology: Topology;
  messaging: Messaging;
  resolve: RefResolver;
  invoke: (fn: string, event: unknown) => Promise<unknown>;
  log: (line: string) => void;
}): ProvisionedMessaging {
  const { topology, messaging, resolve } = o;
  const byName = new Map(topology.resources.map((r) => [r.name, r]));
  const queues: Record<string, string> = {};
  const topics: Record<string, string> = {};

  for (const r of topology.resources.filter((x) => x.type === "sst.aws.Queue")) {
    const name = physicalMessagingName(topology, r);
    const a = resolveValue(r.args, resolve) as Record<string, any>;
    const fifo = a.fifo;
    const dlq =
      a.dlq === undefined ? undefined : typeof a.dlq === "string" ? { queue: a.dlq, retry: 3 } : a.dlq;
    const attributes: Partial<QueueAttributes> = {
      visibilityTimeout: durationSeconds(a.visibilityTimeout, 30),
      delaySeconds: durationSeconds(a.delay, 0),
      contentBasedDeduplication: Boolean(fifo && typeof fifo === "object" && fifo.contentBasedDeduplication),
      ...(dlq
        ? {
            redrive: {
              deadLetterQueue: messaging.queueNameFromArn(String(dlq.queue)),
              maxReceiveCount: Number(dlq.retry ?? 3),
            },
          }
        : // A queue that infra no longer redrives loses the policy it was persisted with.
          { redrive: undefined }),
    };
    messaging.store.createQueue(name, attributes);
    queues[r.name] = name;
  }

  for (const r of topology.resources.filter((x) => x.type === "sst.aws.SnsTopic")) {
    topics[r.name] = messaging.createTopic(physicalMessagingName(topology, r));
  }

  const functionByArn = new Map(
    topology.functions.map((f) => [resolve({ $ref: f.name, attribute: "arn" }), f.name]),
  );
  messaging.invokeFunction = (arn, event) => {
    const fn = functionByArn.get(arn);
    if (!fn) throw new Error(`no local function has the ARN ${arn}`);
    return o.invoke(fn, event);
  };

  for (const s of topology.topicSubscriptions) {
    const topicArn = topics[s.topic];
    if (!topicArn) throw new Error(`${s.name}: topic ${s.topic} is not an SnsTopic`);
    const common = {
      topicArn,
      ...(s.filter ? { filterPolicy: resolveValue(s.filter, resolve) } : {}),
      ...(s.filterPolicyScope === "MessageBody" ? { filterPolicyScope: "MessageBody" as const } : {}),
      raw: Boolean(s.raw),
    };
    if (s.function) {
      messaging.subscribe({
        ...common,
        protocol: "lambda",
        endpoint: resolve({ $ref: s.function, attribute: "arn" }),
      });
      continue;
    }
    const queueArn =
      typeof s.queue === "string" && byName.get(s.queue)?.type === "sst.aws.Queue"
        ? messaging.queueArn(queues[s.queue]!)
        : String(resolveValue(s.queue as Value, resolve));
    messaging.subscribe({ ...common, protocol: "sqs", endpoint: queueArn });
  }

  const pollers = startQueuePollers({
    messaging,
    subscriptions: topology.queueSubscriptions.map((subscription) => {
      const queue = queues[subscription.queue];
      if (!queue) throw new Error(`${subscription.name}: ${subscription.queue} is not a Queue`);
      return { subscription, queue };
    }),
    invoke: o.invoke,
    log: o.log,
  });
  return { pollers, queues, topics };
}
