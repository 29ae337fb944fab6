// Replays what stream subscribers and async invokes gave up on, from their on-failure SQS queues.
import {
  type _Record,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from "@aws-sdk/client-dynamodb-streams";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { toLambdaRecord } from "../../packages/local/src/streams/lambda-record";

export interface Clients {
  sqs: SQSClient;
  lambda: LambdaClient;
  streams: DynamoDBStreamsClient;
  region: string;
}

/** A stream mapping's on-failure record: where the batch was, never the records themselves. */
interface StreamBatchInfo {
  shardId: string;
  startSequenceNumber: string;
  endSequenceNumber: string;
  streamArn: string;
}

interface InvocationRecord {
  requestContext?: { functionArn?: string; condition?: string };
  DDBStreamBatchInfo?: StreamBatchInfo;
  requestPayload?: unknown;
}

/** Records per replayed invoke: the dispatcher's batch size, so a replay runs as the mapping would. */
const REPLAY_BATCH = 25;
/** An open shard may answer empty pages before the range: give up after this many in a row. */
const EMPTY_PAGES = 20;

export function clientsFor(
  region: string,
  config: { credentials?: { accessKeyId: string; secretAccessKey: string } } = {},
): Clients {
  return {
    sqs: new SQSClient({ region, ...config }),
    lambda: new LambdaClient({ region, ...config }),
    streams: new DynamoDBStreamsClient({ region, ...config }),
    region,
  };
}

/** Re-reads a failed batch's range from its shard (the stream keeps records 24 h). */
export async function readRange(c: Clients, info: StreamBatchInfo): Promise<_Record[]> {
  const { ShardIterator } = await c.streams.send(
    new GetShardIteratorCommand({
      StreamArn: info.streamArn,
      ShardId: info.shardId,
      ShardIteratorType: "AT_SEQUENCE_NUMBER",
      SequenceNumber: info.startSequenceNumber,
    }),
  );
  const end = BigInt(info.endSequenceNumber);
  const out: _Record[] = [];
  let iterator = ShardIterator;
  let empty = 0;
  while (iterator && empty < EMPTY_PAGES) {
    const page = await c.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
    iterator = page.NextShardIterator;
    const records = page.Records ?? [];
    empty = records.length ? 0 : empty + 1;
    for (const r of records) {
      if (BigInt(r.dynamodb?.SequenceNumber ?? "0") > end) return out;
      out.push(r);
    }
    if (out.length && BigInt(out[out.length - 1]!.dynamodb?.SequenceNumber ?? "0") === end) return out;
  }
  return out;
}

async function invoke(c: Clients, functionArn: string, event: unknown): Promise<string | undefined> {
  const res = await c.lambda.send(
    new InvokeCommand({ FunctionName: functionArn, Payload: Buffer.from(JSON.stringify(event)) }),
  );
  const text = res.Payload ? Buffer.from(res.Payload).toString("utf8") : "";
  if (res.FunctionError) return `${res.FunctionError}: ${text}`;
  const failures = (text ? JSON.parse(text) : null)?.batchItemFailures;
  if (Array.isArray(failures) && failures.length) return `${failures.length} record(s) failed again`;
  return undefined;
}

/** Replays one invocation record; the reason it failed again, or undefined when it went through. */
export async function replay(c: Clients, record: InvocationRecord): Promise<string | undefined> {
  const functionArn = record.requestContext?.functionArn;
  if (!functionArn) return "no requestContext.functionArn: not a Lambda invocation record";
  if (record.DDBStreamBatchInfo) {
    const info = record.DDBStreamBatchInfo;
    const records = await readRange(c, info);
    if (records.length === 0)
      return `records ${info.startSequenceNumber}..${info.endSequenceNumber} are no longer in the stream`;
    // The range holds records the mapping's filters left out too: the dispatcher's routes skip those.
    const lambdaRecords = records.map((r) => toLambdaRecord(r, info.streamArn, c.region));
    for (let i = 0; i < lambdaRecords.length; i += REPLAY_BATCH) {
      const failed = await invoke(c, functionArn, { Records: lambdaRecords.slice(i, i + REPLAY_BATCH) });
      if (failed) return failed;
    }
    return undefined;
  }
  if (record.requestPayload !== undefined) return invoke(c, functionArn, record.requestPayload);
  return "neither DDBStreamBatchInfo nor requestPayload";
}

export interface RedriveResult {
  replayed: number;
  failed: { messageId: string; reason: string }[];
}

/** Drains one queue: a message is deleted only once its replay went through; a failed one stays for later. */
export async function redriveQueue(
  c: Clients,
  queueUrl: string,
  log: (line: string) => void = () => {},
): Promise<RedriveResult> {
  const result: RedriveResult = { replayed: 0, failed: [] };
  const seen = new Set<string>();
  const kept: string[] = [];
  for (;;) {
    const { Messages = [] } = await c.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        // Hidden while this run lasts, so a message that fails again is not read twice in one run.
        VisibilityTimeout: 900,
      }),
    );
    const fresh = Messages.filter((m) => m.MessageId && !seen.has(m.MessageId));
    if (fresh.length === 0) break;
    for (const m of fresh) {
      seen.add(m.MessageId!);
      let reason: string | undefined;
      try {
        reason = await replay(c, JSON.parse(m.Body ?? "{}") as InvocationRecord);
      } catch (err) {
        reason = (err as Error).message;
      }
      if (reason) {
        result.failed.push({ messageId: m.MessageId!, reason });
        kept.push(m.ReceiptHandle!);
        log(`kept ${m.MessageId}: ${reason}`);
        continue;
      }
      await c.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
      result.replayed++;
      log(`replayed ${m.MessageId}`);
    }
  }
  // What failed again is visible at once to the next run.
  for (const handle of kept)
    await c.sqs.send(
      new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: handle, VisibilityTimeout: 0 }),
    );
  return result;
}

/**
 * Moves a dead-letter queue's messages back to the queue they came from, body and attributes unchanged, so its
 * consumer sees them again (what SQS's StartMessageMoveTask does, with plain calls every SQS stand-in answers).
 * A message is deleted from the dead letters only once it is sent.
 */
export async function moveBack(
  c: Clients,
  deadLetterUrl: string,
  sourceUrl: string,
  log: (line: string) => void = () => {},
): Promise<RedriveResult> {
  const result: RedriveResult = { replayed: 0, failed: [] };
  const seen = new Set<string>();
  for (;;) {
    const { Messages = [] } = await c.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: deadLetterUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        VisibilityTimeout: 900,
        MessageAttributeNames: ["All"],
      }),
    );
    const fresh = Messages.filter((m) => m.MessageId && !seen.has(m.MessageId));
    if (fresh.length === 0) break;
    for (const m of fresh) {
      seen.add(m.MessageId!);
      try {
        await c.sqs.send(
          new SendMessageCommand({
            QueueUrl: sourceUrl,
            MessageBody: m.Body ?? "",
            ...(m.MessageAttributes ? { MessageAttributes: m.MessageAttributes } : {}),
          }),
        );
        await c.sqs.send(
          new DeleteMessageCommand({ QueueUrl: deadLetterUrl, ReceiptHandle: m.ReceiptHandle }),
        );
        result.replayed++;
        log(`moved ${m.MessageId} back`);
      } catch (err) {
        result.failed.push({ messageId: m.MessageId!, reason: (err as Error).message });
        log(`kept ${m.MessageId}: ${(err as Error).message}`);
      }
    }
  }
  return result;
}
