// Lambda's SQS event source mapping: failed messages return after the visibility timeout, then the DLQ.

import { passesFilters } from "../streams/filter";
import type { QueueSubscription } from "../topology";
import type { Messaging } from "./index";
import type { StoredMessage } from "./queue-store";

export interface QueuePollerOptions {
  messaging: Messaging;
  subscriptions: { subscription: QueueSubscription; queue: string }[];
  invoke: (fn: string, event: unknown) => Promise<unknown>;
  log: (line: string) => void;
}

export interface RunningQueuePollers {
  /** Resolves when no consumed queue holds a visible message and no batch is being handled. */
  drain(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** A message as Lambda hands it to an SQS consumer. */
export function toSqsRecord(m: StoredMessage, queueArn: string, region: string) {
  return {
    messageId: m.id,
    receiptHandle: m.receiptHandle ?? "",
    body: m.body,
    attributes: {
      ApproximateReceiveCount: String(m.receiveCount),
      SentTimestamp: String(m.sentAt),
      SenderId: m.senderId,
      ApproximateFirstReceiveTimestamp: String(m.firstReceivedAt ?? m.sentAt),
      ...(m.groupId ? { MessageGroupId: m.groupId } : {}),
      ...(m.deduplicationId ? { MessageDeduplicationId: m.deduplicationId } : {}),
      ...(m.sequenceNumber ? { SequenceNumber: m.sequenceNumber } : {}),
      ...(m.deadLetterQueueSourceArn ? { DeadLetterQueueSourceArn: m.deadLetterQueueSourceArn } : {}),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(m.messageAttributes).map(([k, v]) => [
        k,
        {
          ...(v.StringValue !== undefined ? { stringValue: v.StringValue } : {}),
          ...(v.BinaryValue !== undefined ? { binaryValue: v.BinaryValue } : {}),
          stringListValues: [],
          binaryListValues: [],
          dataType: v.DataType,
        },
      ]),
    ),
    md5OfBody: m.md5OfBody,
    eventSource: "aws:sqs",
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

/** Lambda's filter criteria see the body as JSON when it parses. */
function filterView(record: ReturnType<typeof toSqsRecord>) {
  try {
    return { ...record, body: JSON.parse(record.body) };
  } catch {
    return record;
  }
}

/**
 * "When messages are available, Lambda starts processing five batches at a time with five concurrent invocations
 * of your function" (AWS Lambda Developer Guide, Understanding scaling behavior for SQS event source mappings,
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html). A FIFO queue keeps one, so its
 * message groups stay in order here.
 */
export const STANDARD_QUEUE_POLLERS = 5;

class QueuePoller {
  inFlight = 0;
  cycles = 0;

  constructor(
    private readonly sub: QueueSubscription,
    private readonly queue: string,
    private readonly o: QueuePollerOptions,
  ) {}

  get idle(): boolean {
    return this.inFlight === 0 && this.o.messaging.store.counts(this.queue).visible === 0;
  }

  get concurrency(): number {
    return this.queue.endsWith(".fifo") ? 1 : STANDARD_QUEUE_POLLERS;
  }

  /** One receive-and-invoke round; false when the queue had nothing to give. */
  async tick(signal: AbortSignal): Promise<boolean> {
    const { messaging } = this.o;
    const messages = await messaging.receiveWaiting(this.queue, this.sub.batchSize, undefined, 1000, signal);
    this.cycles++;
    if (!messages.length) return false;
    this.inFlight++;
    try {
      await this.deliver(messages);
    } finally {
      this.inFlight--;
    }
    return true;
  }

  private async deliver(messages: StoredMessage[]) {
    const { messaging } = this.o;
    const arn = messaging.queueArn(this.queue);
    const all = messages.map((m) => toSqsRecord(m, arn, messaging.region));
    // Messages the filters reject are deleted without an invoke, as Lambda does.
    const records = all.filter((r) => passesFilters(filterView(r), this.sub.filters));
    for (const r of all) if (!records.includes(r)) messaging.store.delete(this.queue, r.receiptHandle);
    if (!records.length) return;
    let failed: Set<string>;
    try {
      const result = (await this.o.invoke(this.sub.function, { Records: records })) as {
        batchItemFailures?: { itemIdentifier?: string }[];
      } | null;
      failed = this.failures(records, result?.batchItemFailures);
    } catch (err) {
      failed = new Set(records.map((r) => r.messageId));
      this.o.log(
        `${this.sub.name}: batch of ${records.length} failed (${(err as Error).message}); retried after the visibility timeout`,
      );
    }
    for (const r of records)
      if (!failed.has(r.messageId)) messaging.store.delete(this.queue, r.receiptHandle);
  }

  private failures(
    records: { messageId: string }[],
    failures: { itemIdentifier?: string }[] | undefined,
  ): Set<string> {
    if (!Array.isArray(failures) || failures.length === 0) return new Set();
    if (!this.sub.partialResponses) {
      this.o.log(
        `${this.sub.function} returned batchItemFailures, but ${this.sub.name} does not enable partialResponses: AWS ignores them`,
      );
      return new Set();
    }
    const ids = new Set(records.map((r) => r.messageId));
    // An empty or unknown identifier fails the whole batch, as Lambda treats it.
    if (failures.some((f) => !f.itemIdentifier || !ids.has(f.itemIdentifier))) return ids;
    return new Set(failures.map((f) => f.itemIdentifier!));
  }
}

export function startQueuePollers(o: QueuePollerOptions): RunningQueuePollers {
  const pollers = o.subscriptions.map((s) => new QueuePoller(s.subscription, s.queue, o));
  const stopping = new AbortController();
  const loops = pollers.flatMap((p) =>
    Array.from({ length: p.concurrency }, async () => {
      while (!stopping.signal.aborted) {
        try {
          await p.tick(stopping.signal);
        } catch (err) {
          if (stopping.signal.aborted) break;
          o.log(`queue poller: ${(err as Error).message}`);
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    }),
  );
  return {
    async drain(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        await o.messaging.drainDeliveries();
        if (pollers.every((p) => p.idle)) {
          // A settled SNS delivery may have just queued more; look once more before saying drained.
          await new Promise((r) => setTimeout(r, 20));
          if (pollers.every((p) => p.idle)) return;
        }
        if (Date.now() > deadline) throw new Error("queue pollers did not drain in time");
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async stop() {
      stopping.abort();
      await Promise.all(loops);
    },
  };
}
