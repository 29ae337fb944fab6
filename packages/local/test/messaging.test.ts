// Local SNS + SQS on the fixture app: the real SDK clients, real workers, persisted queues.
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import type { SNSEvent, SQSRecord } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalCloud, type LocalCloudOptions, startLocalCloud } from "../src/local-cloud";

const fixtureDir = join(import.meta.dirname, "fixture");
const credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
const output: string[] = [];

const options = (dataDir: string, inMemory: boolean): LocalCloudOptions => ({
  root: fixtureDir,
  configFile: join(fixtureDir, "sst.config.ts"),
  port: 0,
  dataDir,
  inMemory,
  quiet: true,
  log: (line) => output.push(line),
  functionOutput: (fn, _stream, line) => output.push(`[${fn}] ${line}`),
});

async function eventually<T>(fn: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("SNS and SQS on the fixture app", () => {
  let cloud: LocalCloud;
  let dataDir: string;
  let origin: string;
  let dynamo: DynamoDBClient;
  let sqs: SQSClient;
  let table: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "asyncsns-messaging-"));
    cloud = await startLocalCloud(options(dataDir, true));
    origin = `http://127.0.0.1:${cloud.port}`;
    dynamo = new DynamoDBClient({
      endpoint: cloud.standIns.dynamodb.endpoint,
      region: cloud.standIns.region,
      credentials,
    });
    sqs = new SQSClient({
      endpoint: cloud.standIns.sqs.endpoint,
      region: cloud.standIns.region,
      credentials,
    });
    table = Object.keys(cloud.standIns.dynamodb.tables ?? {})[0]!;
  });

  afterAll(async () => {
    if (process.env.ASYNCSNS_TEST_LOG) await writeFile(process.env.ASYNCSNS_TEST_LOG, output.join("\n"));
    dynamo?.destroy();
    sqs?.destroy();
    await cloud?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const publish = async (messages: { message: string; attributes?: Record<string, string | number> }[]) => {
    const res = await fetch(`${origin}/api/publish`, { method: "POST", body: JSON.stringify({ messages }) });
    expect(res.status).toBe(200);
    return (await res.json()) as { ids: string[]; arn: string };
  };
  const item = async (pk: string, sk: string) =>
    (await dynamo.send(new GetItemCommand({ TableName: table, Key: { pk: { S: pk }, sk: { S: sk } } }))).Item;
  const job = async (id: string) => {
    const it = await item("job", id);
    return it
      ? {
          deliveries: Number(it.deliveries!.N),
          record: JSON.parse(it.lastRecord!.S!) as SQSRecord,
          batch: JSON.parse(it.batchIds!.S!) as string[],
        }
      : undefined;
  };
  const queueUrl = (name: string) => cloud.messaging.queueUrl(cloud.queues[name]!);

  it("links topics and queues with well-formed ARNs and urls", async () => {
    expect(cloud.topics.Events).toBe("arn:aws:sns:us-east-1:000000000000:fixture-local-Events");
    expect(queueUrl("Jobs")).toBe(`${cloud.standIns.sqs.endpoint}/000000000000/fixture-local-Jobs`);
    const res = await fetch(`${origin}/api/enqueue`, {
      method: "POST",
      body: JSON.stringify({ id: "direct" }),
    });
    expect(await res.json()).toMatchObject({ url: queueUrl("Jobs") });
    // A worker's SendMessage through the linked url reaches the queue's consumer.
    const direct = await eventually(() => job("direct"));
    expect(direct.record).toMatchObject({
      eventSource: "aws:sqs",
      eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:fixture-local-Jobs",
      awsRegion: "us-east-1",
      body: JSON.stringify({ id: "direct" }),
      attributes: { ApproximateReceiveCount: "1" },
    });
  });

  it("invokes a function subscriber with a real SNSEvent, honouring its filter policy", async () => {
    const { ids, arn } = await publish([{ message: '{"hello":"audit"}', attributes: { kind: "audit" } }]);
    expect(arn).toBe(cloud.topics.Events);
    await cloud.drainAll();
    const stored = await item("audit", ids[0]!);
    expect(stored).toBeDefined();
    const event = JSON.parse(stored!.event!.S!) as SNSEvent;
    expect(event.Records).toHaveLength(1);
    expect(event.Records[0]).toMatchObject({
      EventSource: "aws:sns",
      EventVersion: "1.0",
      Sns: {
        Type: "Notification",
        MessageId: ids[0],
        TopicArn: arn,
        Subject: "fixture",
        Message: '{"hello":"audit"}',
        MessageAttributes: { kind: { Type: "String", Value: "audit" } },
      },
    });
    expect(event.Records[0]!.EventSubscriptionArn.startsWith(`${arn}:`)).toBe(true);
    expect(Number.isNaN(Date.parse(event.Records[0]!.Sns.Timestamp))).toBe(false);

    // Another kind does not reach the audit function.
    const other = await publish([{ message: "{}", attributes: { kind: "other" } }]);
    await cloud.drainAll();
    expect(await item("audit", other.ids[0]!)).toBeUndefined();
  });

  it("delivers into a subscribed queue with the SNS envelope, and filters on numeric attributes", async () => {
    const { ids } = await publish([
      { message: JSON.stringify({ id: "low" }), attributes: { kind: "job", priority: 0 } },
      { message: JSON.stringify({ id: "high" }), attributes: { kind: "job", priority: 2 } },
    ]);
    expect(ids).toHaveLength(2);
    await cloud.drainAll();
    expect(await job("low")).toBeUndefined();
    const high = (await job("high"))!;
    expect(high.deliveries).toBe(1);
    const envelope = JSON.parse(high.record.body);
    expect(envelope).toMatchObject({
      Type: "Notification",
      MessageId: ids[1],
      TopicArn: cloud.topics.Events,
      Message: JSON.stringify({ id: "high" }),
      MessageAttributes: { kind: { Type: "String", Value: "job" }, priority: { Type: "Number", Value: "2" } },
      SignatureVersion: "1",
    });
    expect(high.record.md5OfBody).toMatch(/^[0-9a-f]{32}$/);
  });

  it("redelivers only the failed message of a batch, after the visibility timeout", async () => {
    const t0 = Date.now();
    await publish(
      ["ok-a", "fail-once", "ok-b"].map((id) => ({
        message: JSON.stringify({ id: `pb-${id}`, mode: id }),
        attributes: { kind: "job", priority: 1 },
      })),
    );
    await cloud.drainAll();
    expect((await job("pb-ok-a"))!.batch).toEqual(["pb-ok-a", "pb-fail-once", "pb-ok-b"]);
    const retried = await eventually(async () => {
      const j = await job("pb-fail-once");
      return j && j.deliveries >= 2 ? j : undefined;
    });
    // Jobs' visibilityTimeout is 2 seconds; only the failed message came back, alone.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1900);
    expect(retried.batch).toEqual(["pb-fail-once"]);
    expect(retried.record.attributes.ApproximateReceiveCount).toBe("2");
    await cloud.drainAll();
    expect((await job("pb-ok-a"))!.deliveries).toBe(1);
    expect((await job("pb-ok-b"))!.deliveries).toBe(1);
    expect((await job("pb-fail-once"))!.deliveries).toBe(2);
  });

  it("moves a poison message to the DLQ after maxReceiveCount receives", async () => {
    await publish([
      { message: JSON.stringify({ id: "poison", mode: "poison" }), attributes: { kind: "job", priority: 5 } },
    ]);
    const dead = await eventually(async () => {
      const out = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl("Dlq"),
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
          MessageSystemAttributeNames: ["All"],
        }),
      );
      return out.Messages?.find((m) => m.Body?.includes("poison"));
    });
    expect(dead.Attributes?.DeadLetterQueueSourceArn).toBe(
      "arn:aws:sqs:us-east-1:000000000000:fixture-local-Jobs",
    );
    // Jobs' dlq.retry is 2: two deliveries, then the DLQ.
    expect((await job("poison"))!.deliveries).toBe(2);
    expect(cloud.messaging.store.counts(cloud.queues.Jobs!).total).toBe(0);
  });

  it("serves the SQS JSON protocol to the SDK: raw delivery, attributes, visibility, delete", async () => {
    await publish([{ message: "raw body", attributes: { kind: "inbox", tag: "t1" } }]);
    await cloud.drainAll();
    const url = (await sqs.send(new GetQueueUrlCommand({ QueueName: cloud.queues.Inbox! }))).QueueUrl!;
    expect(url).toBe(queueUrl("Inbox"));
    const got = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ["All"],
        MessageSystemAttributeNames: ["ApproximateReceiveCount"],
        VisibilityTimeout: 30,
      }),
    );
    expect(got.Messages).toHaveLength(1);
    const [m] = got.Messages!;
    expect(m!.Body).toBe("raw body");
    expect(m!.MessageAttributes?.tag).toEqual({ DataType: "String", StringValue: "t1" });
    expect(m!.Attributes).toEqual({ ApproximateReceiveCount: "1" });
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["All"] }));
    expect(attrs.Attributes).toMatchObject({
      ApproximateNumberOfMessagesNotVisible: "1",
      ApproximateNumberOfMessages: "0",
    });
    // Hidden until made visible again.
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages ?? []).toEqual([]);
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: url,
        ReceiptHandle: m!.ReceiptHandle,
        VisibilityTimeout: 0,
      }),
    );
    const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1 }));
    expect(again.Messages?.[0]?.MessageId).toBe(m!.MessageId);
    await sqs.send(
      new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: again.Messages![0]!.ReceiptHandle }),
    );
    // A long poll returns as soon as a message arrives.
    const t0 = Date.now();
    const waiting = sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 10 }));
    setTimeout(() => void sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "late" })), 300);
    expect((await waiting).Messages?.[0]?.Body).toBe("late");
    expect(Date.now() - t0).toBeLessThan(5000);

    await expect(sqs.send(new GetQueueUrlCommand({ QueueName: "nope" }))).rejects.toMatchObject({
      name: "QueueDoesNotExist",
    });
    const sns = new SNSClient({
      endpoint: cloud.standIns.sns.endpoint,
      region: cloud.standIns.region,
      credentials,
    });
    await expect(
      sns.send(new PublishCommand({ TopicArn: `${cloud.topics.Events}-nope`, Message: "x" })),
    ).rejects.toMatchObject({ name: "NotFoundException" });
    sns.destroy();
  });
});

describe("persisted queues", () => {
  it("keeps messages across a restart of the local cloud", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "asyncsns-messaging-persist-"));
    // No endpoint: the SDK takes it from the queue url, as a developer's script would.
    const sqs = new SQSClient({ region: "us-east-1", credentials });
    try {
      let cloud = await startLocalCloud(options(dataDir, false));
      const send = await sqs.send(
        new SendMessageCommand({
          QueueUrl: cloud.messaging.queueUrl(cloud.queues.Inbox!),
          MessageBody: "survives",
          MessageAttributes: { n: { DataType: "Number", StringValue: "7" } },
        }),
      );
      await cloud.stop();
      expect(existsSync(join(dataDir, "sqs", "journal.jsonl"))).toBe(true);

      cloud = await startLocalCloud(options(dataDir, false));
      try {
        const got = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: cloud.messaging.queueUrl(cloud.queues.Inbox!),
            MessageAttributeNames: ["All"],
            WaitTimeSeconds: 1,
          }),
        );
        expect(got.Messages?.map((m) => [m.MessageId, m.Body, m.MessageAttributes?.n?.StringValue])).toEqual([
          [send.MessageId, "survives", "7"],
        ]);
      } finally {
        await cloud.stop();
      }
    } finally {
      sqs.destroy();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
