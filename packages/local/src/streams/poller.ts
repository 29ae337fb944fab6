// The Lambda event source mapping for DynamoDB streams: poll shards, filter, batch, retry, bisect, checkpoint, discard.
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type ShardIteratorType,
  TrimmedDataAccessException,
} from "@aws-sdk/client-dynamodb-streams";
import type { StreamSubscription } from "../topology";
import { StreamCheckpoint } from "./checkpoint";
import { passesFilters } from "./filter";
import { toLambdaRecord } from "./lambda-record";

export { toLambdaRecord };

/** AWS retries a failing batch until its records expire (24 h); locally that would wedge the shard. */
export const LOCAL_RETRY_CAP = 10;

export interface StreamPollerOptions {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** `onFailure`: the on-failure destination's ARN, resolved. */
  subscriptions: { subscription: StreamSubscription; streamArn: string; onFailure?: string }[];
  invoke: (fn: string, event: unknown) => Promise<unknown>;
  /** Sends an invocation record to an on-failure destination (an SQS queue ARN). */
  sendToDestination?: (arn: string, body: string) => Promise<void>;
  /** The ARN Lambda would name in the invocation record's `requestContext.functionArn`. */
  functionArn?: (fn: string) => string;
  log: (line: string) => void;
  intervalMs?: number;
  /** Folder for each subscription's checkpoint; without it a start reads from LATEST. */
  checkpointDir?: string;
}

export interface RunningStreamPollers {
  /** Resolves once every record written before the call was delivered (or given up on). */
  drain(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** ASYNCSNS_STREAM_TRACE=1: per-subscription GetRecords/filter/invoke figures on stderr, once a second. */
const TRACE = process.env.ASYNCSNS_STREAM_TRACE === "1";
class Trace {
  calls = 0;
  getMs = 0;
  maxGetMs = 0;
  read = 0;
  kept = 0;
  filterMs = 0;
  invokes = 0;
  invokeMs = 0;
  describes = 0;
  private last = Date.now();
  constructor(private readonly name: string) {}
  flush() {
    const now = Date.now();
    if (!TRACE || now - this.last < 1000) return;
    if (this.calls || this.invokes || this.describes)
      process.stderr.write(
        `[stream-trace] ${new Date(now).toISOString().slice(11, 23)} ${this.name}: GetRecords ${this.calls} (avg ${(this.getMs / Math.max(1, this.calls)).toFixed(0)} ms, max ${this.maxGetMs.toFixed(0)} ms), read ${this.read}, kept ${this.kept}, filter ${this.filterMs.toFixed(0)} ms, invokes ${this.invokes} (${this.invokeMs.toFixed(0)} ms), describes ${this.describes} over ${((now - this.last) / 1000).toFixed(1)} s\n`,
      );
    Object.assign(this, { calls: 0, getMs: 0, maxGetMs: 0, read: 0, kept: 0, filterMs: 0 });
    Object.assign(this, { invokes: 0, invokeMs: 0, describes: 0, last: now });
  }
}

type LambdaRecord = ReturnType<typeof toLambdaRecord>;

interface Shard {
  id: string;
  iterator?: string;
  lastSequence?: string;
  closed: boolean;
  /** The last GetRecords came back empty: every record written before it was issued has been read. */
  caughtUp: boolean;
  buffer: LambdaRecord[];
  attempts: number;
  retryAt: number;
  /** After a function error with bisect on: the size of the next batch (0: the mapping's batch size). */
  split: number;
  /** Last record handled, for the checkpoint (records still buffered are not). */
  handled?: string;
}

class SubscriptionPoller {
  private readonly shards = new Map<string, Shard>();
  private started = false;
  private lastDescribe = 0;
  cycles = 0;
  busy = false;
  private readonly trace: Trace;
  private readonly checkpoint: StreamCheckpoint | undefined;

  constructor(
    private readonly client: DynamoDBStreamsClient,
    private readonly sub: StreamSubscription,
    private readonly streamArn: string,
    private readonly o: StreamPollerOptions,
    private readonly onFailure?: string,
  ) {
    this.trace = new Trace(sub.name);
    if (o.checkpointDir)
      this.checkpoint = new StreamCheckpoint(
        join(o.checkpointDir, `${sub.name.replace(/[^\w.-]/g, "_")}.json`),
        streamArn,
      );
  }

  /** Records the shard's position once its handled records are behind it (at-least-once on restart). */
  private persist(shard: Shard) {
    if (!this.checkpoint) return;
    const sequence = shard.buffer.length === 0 ? shard.lastSequence : shard.handled;
    const done = shard.closed && !shard.iterator && shard.buffer.length === 0;
    this.checkpoint.set(shard.id, { ...(sequence ? { sequence } : {}), ...(done ? { done } : {}) });
    this.checkpoint.save();
  }

  /** First describe after a restart: each shard from its checkpoint, shards born meanwhile from their start. */
  private async resumeIterator(
    shardId: string,
  ): Promise<{ iterator?: string; sequence?: string; done: boolean }> {
    const saved = this.checkpoint!.position(shardId);
    if (saved?.done) return { done: true };
    if (saved?.sequence) {
      try {
        const iterator = await this.iterator(shardId, "AFTER_SEQUENCE_NUMBER", saved.sequence);
        return { iterator, sequence: saved.sequence, done: false };
      } catch (err) {
        // Past the 24 h retention: what is left starts at the trim horizon.
        if (!(err instanceof TrimmedDataAccessException)) throw err;
      }
    }
    return { iterator: await this.iterator(shardId, "TRIM_HORIZON"), done: false };
  }

  /** Nothing buffered or in flight, and every open shard read to its end (not just one page of it). */
  get idle(): boolean {
    return (
      !this.busy &&
      [...this.shards.values()].every((s) => s.buffer.length === 0 && (s.caughtUp || !s.iterator))
    );
  }

  private async iterator(shardId: string, type: ShardIteratorType, sequence?: string) {
    const out = await this.client.send(
      new GetShardIteratorCommand({
        StreamArn: this.streamArn,
        ShardId: shardId,
        ShardIteratorType: type,
        ...(sequence ? { SequenceNumber: sequence } : {}),
      }),
    );
    return out.ShardIterator;
  }

  private async describe() {
    this.lastDescribe = Date.now();
    this.trace.describes++;
    let exclusiveStartShardId: string | undefined;
    const listed = new Set<string>();
    do {
      const out = await this.client.send(
        new DescribeStreamCommand({
          StreamArn: this.streamArn,
          ExclusiveStartShardId: exclusiveStartShardId,
        }),
      );
      for (const s of out.StreamDescription?.Shards ?? []) {
        if (s.ShardId) listed.add(s.ShardId);
        if (!s.ShardId || this.shards.has(s.ShardId)) continue;
        const open = !s.SequenceNumberRange?.EndingSequenceNumber;
        if (!this.started && this.checkpoint?.resumed) {
          const at = await this.resumeIterator(s.ShardId);
          this.shards.set(s.ShardId, {
            id: s.ShardId,
            ...(at.iterator ? { iterator: at.iterator } : {}),
            ...(at.sequence ? { lastSequence: at.sequence, handled: at.sequence } : {}),
            closed: at.done,
            caughtUp: at.done,
            buffer: [],
            split: 0,
            attempts: 0,
            retryAt: 0,
          });
          continue;
        }
        // Start at LATEST like the mapping's startingPosition; shards born later are read from their start.
        if (!this.started && !open) {
          this.shards.set(s.ShardId, {
            id: s.ShardId,
            closed: true,
            caughtUp: true,
            buffer: [],
            attempts: 0,
            retryAt: 0,
            split: 0,
          });
          continue;
        }
        const type: ShardIteratorType = this.started ? "TRIM_HORIZON" : "LATEST";
        const iterator = await this.iterator(s.ShardId, type);
        this.shards.set(s.ShardId, {
          id: s.ShardId,
          iterator,
          closed: false,
          caughtUp: false,
          buffer: [],
          attempts: 0,
          retryAt: 0,
          split: 0,
        });
      }
      exclusiveStartShardId = out.StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
    if (this.checkpoint) {
      this.checkpoint.keepOnly(listed);
      // A fresh start records where it began, so a crash before the first record still resumes there.
      for (const shard of this.shards.values()) if (!this.checkpoint.position(shard.id)) this.persist(shard);
    }
    this.started = true;
  }

  /** One pass: read a page from every open shard, then deliver. True if some shard returned records. */
  async tick(): Promise<boolean> {
    let more = false;
    const anyClosed = [...this.shards.values()].some(
      (s) => s.closed && s.iterator === undefined && s.buffer.length === 0,
    );
    if (
      !this.started ||
      Date.now() - this.lastDescribe > 5000 ||
      (anyClosed && Date.now() - this.lastDescribe > 500)
    ) {
      await this.describe();
    }
    for (const shard of this.shards.values()) {
      if (!shard.iterator) continue;
      try {
        const t0 = performance.now();
        const out = await this.client.send(
          new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: 1000 }),
        );
        const t1 = performance.now();
        shard.iterator = out.NextShardIterator;
        if (!shard.iterator) shard.closed = true;
        shard.caughtUp = (out.Records?.length ?? 0) === 0;
        if (!shard.caughtUp) more = true;
        for (const r of out.Records ?? []) {
          shard.lastSequence = r.dynamodb?.SequenceNumber ?? shard.lastSequence;
          const record = toLambdaRecord(r, this.streamArn, this.o.region);
          if (passesFilters(record, this.sub.filters)) {
            shard.buffer.push(record);
            this.trace.kept++;
          }
        }
        if (TRACE) {
          const t2 = performance.now();
          this.trace.calls++;
          this.trace.getMs += t1 - t0;
          this.trace.maxGetMs = Math.max(this.trace.maxGetMs, t1 - t0);
          this.trace.read += out.Records?.length ?? 0;
          this.trace.filterMs += t2 - t1;
        }
      } catch (err) {
        shard.caughtUp = false;
        if (err instanceof ExpiredIteratorException || err instanceof TrimmedDataAccessException) {
          shard.iterator = shard.lastSequence
            ? await this.iterator(shard.id, "AFTER_SEQUENCE_NUMBER", shard.lastSequence)
            : await this.iterator(shard.id, "TRIM_HORIZON");
        } else throw err;
      }
    }
    for (const shard of this.shards.values()) {
      await this.deliver(shard);
      this.persist(shard);
    }
    this.cycles++;
    this.trace.flush();
    return more;
  }

  /** Like the mapping's on-failure destination: the batch's shard and sequence range, never the records. */
  private async discard(
    shard: Shard,
    records: LambdaRecord[],
    condition: string,
    invokeCount: number,
    fnError?: string,
  ) {
    const first = records[0]!;
    const last = records[records.length - 1]!;
    const arrival = (r: LambdaRecord) =>
      new Date(Number(r.dynamodb.ApproximateCreationDateTime) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
    if (!this.onFailure || !this.o.sendToDestination) {
      this.o.log(
        `${this.sub.name}: dropped ${records.length} record(s) (${condition}), no on-failure destination`,
      );
      return;
    }
    // Shape of "Retaining discarded records for a DynamoDB event source in Lambda" (AWS Lambda Developer Guide).
    const invocationRecord = {
      requestContext: {
        requestId: randomUUID(),
        functionArn: this.o.functionArn?.(this.sub.function) ?? this.sub.function,
        condition,
        approximateInvokeCount: invokeCount,
      },
      responseContext: {
        statusCode: 200,
        executedVersion: "$LATEST",
        ...(fnError ? { functionError: fnError } : {}),
      },
      version: "1.0",
      timestamp: new Date().toISOString(),
      DDBStreamBatchInfo: {
        shardId: shard.id,
        startSequenceNumber: first.dynamodb.SequenceNumber,
        endSequenceNumber: last.dynamodb.SequenceNumber,
        approximateArrivalOfFirstRecord: arrival(first),
        approximateArrivalOfLastRecord: arrival(last),
        batchSize: records.length,
        streamArn: this.streamArn,
      },
    };
    await this.o.sendToDestination(this.onFailure, JSON.stringify(invocationRecord));
    this.o.log(
      `${this.sub.name}: ${records.length} record(s) sent to the on-failure destination (${condition})`,
    );
  }

  private async deliver(shard: Shard) {
    while (shard.buffer.length > 0 && Date.now() >= shard.retryAt) {
      const maxAge = this.sub.maximumRecordAgeInSeconds ?? -1;
      if (maxAge >= 0) {
        const oldest = Date.now() / 1000 - maxAge;
        let expired = 0;
        while (
          expired < shard.buffer.length &&
          Number(shard.buffer[expired]!.dynamodb.ApproximateCreationDateTime) < oldest
        )
          expired++;
        if (expired > 0) {
          const aged = shard.buffer.splice(0, expired);
          await this.discard(shard, aged, "RecordAgeExceeded", shard.attempts);
          shard.attempts = 0;
          shard.split = 0;
          shard.handled = aged[aged.length - 1]!.dynamodb.SequenceNumber as string | undefined;
          this.persist(shard);
          continue;
        }
      }
      const batch = shard.buffer.slice(0, shard.split || this.sub.batchSize);
      let failedFrom: number | undefined;
      let reason = "";
      let threw = false;
      this.busy = true;
      const t0 = performance.now();
      try {
        const result = (await this.o.invoke(this.sub.function, { Records: batch })) as {
          batchItemFailures?: { itemIdentifier?: string }[];
        } | null;
        const failures = result?.batchItemFailures;
        if (Array.isArray(failures) && failures.length > 0) {
          if (!this.sub.functionResponseTypes.includes("ReportBatchItemFailures")) {
            this.o.log(
              `${this.sub.function} returned batchItemFailures, but ${this.sub.name} does not enable ReportBatchItemFailures: AWS ignores them`,
            );
          } else {
            const indexes = failures.map((f) =>
              batch.findIndex((r) => r.dynamodb.SequenceNumber === f.itemIdentifier),
            );
            // An unknown or empty identifier fails the whole batch, as Lambda treats it.
            failedFrom = indexes.some((i) => i < 0) ? 0 : Math.min(...indexes);
            reason = `${failures.length} item failure(s)`;
          }
        }
      } catch (err) {
        failedFrom = 0;
        threw = true;
        reason = (err as Error).message;
      } finally {
        this.busy = false;
        this.trace.invokes++;
        this.trace.invokeMs += performance.now() - t0;
        if (TRACE && performance.now() - t0 > 1000)
          process.stderr.write(
            `[stream-trace] ${this.sub.name}: invoke of ${batch.length} took ${(performance.now() - t0).toFixed(0)} ms\n`,
          );
      }
      if (failedFrom === undefined) {
        shard.buffer.splice(0, batch.length);
        shard.attempts = 0;
        shard.split = 0;
        shard.handled = batch[batch.length - 1]!.dynamodb.SequenceNumber as string | undefined;
        this.persist(shard);
        continue;
      }
      // A function error splits the batch in two before retrying; a split uses up no retry (as in AWS).
      if (threw && this.sub.bisectBatchOnFunctionError && batch.length > 1) {
        shard.split = Math.ceil(batch.length / 2);
        this.o.log(`${this.sub.name}: batch of ${batch.length} failed (${reason}); split in two`);
        continue;
      }
      // Checkpoint: everything before the first failure is done; retry from it.
      shard.buffer.splice(0, failedFrom);
      if (failedFrom > 0)
        shard.handled = batch[failedFrom - 1]!.dynamodb.SequenceNumber as string | undefined;
      shard.attempts++;
      const limit = this.sub.maximumRetryAttempts < 0 ? LOCAL_RETRY_CAP : this.sub.maximumRetryAttempts;
      if (shard.attempts > limit) {
        const skipped = shard.buffer.splice(0, batch.length - failedFrom);
        this.o.log(
          `${this.sub.name}: giving up on ${skipped.length} record(s) after ${shard.attempts - 1} retries (${reason})`,
        );
        await this.discard(
          shard,
          skipped,
          "RetryAttemptsExhausted",
          shard.attempts,
          threw ? "Unhandled" : undefined,
        );
        shard.attempts = 0;
        shard.split = 0;
        shard.handled =
          (skipped[skipped.length - 1]?.dynamodb.SequenceNumber as string | undefined) ?? shard.handled;
        this.persist(shard);
        continue;
      }
      shard.retryAt = Date.now() + Math.min(5000, 100 * 2 ** (shard.attempts - 1));
      this.o.log(`${this.sub.name}: batch failed (${reason}); retry ${shard.attempts}/${limit}`);
    }
  }
}

export async function startStreamPollers(o: StreamPollerOptions): Promise<RunningStreamPollers> {
  const client = new DynamoDBStreamsClient({
    endpoint: o.endpoint,
    region: o.region,
    credentials: o.credentials,
  });
  const pollers = o.subscriptions.map(
    (s) => new SubscriptionPoller(client, s.subscription, s.streamArn, o, s.onFailure),
  );
  const interval = o.intervalMs ?? 100;
  let stopped = false;
  // Iterators are taken now, so records written once startStreamPollers resolves are all seen.
  await Promise.all(pollers.map((p) => p.tick()));
  // Like Lambda's poller, a shard that returned records is read again at once; only a caught-up one waits.
  const loops = pollers.map(async (p) => {
    let more = false;
    while (!stopped) {
      await new Promise((r) => (more ? setImmediate(r) : setTimeout(r, interval)));
      if (stopped) break;
      try {
        more = await p.tick();
      } catch (err) {
        more = false;
        if (!stopped) o.log(`stream poller: ${(err as Error).message}`);
      }
    }
  });
  return {
    async drain(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      const marks = pollers.map((p) => p.cycles);
      while (!pollers.every((p, i) => p.cycles >= marks[i]! + 2 && p.idle)) {
        if (Date.now() > deadline) throw new Error("stream pollers did not drain in time");
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async stop() {
      stopped = true;
      await Promise.all(loops);
      client.destroy();
    },
  };
}
