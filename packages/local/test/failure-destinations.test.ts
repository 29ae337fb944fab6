// Failure destinations on the local cloud: retries, bisect and the AWS record shapes; then a redrive.
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import {
  BatchWriteItemCommand,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import type { S3Event } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startBucketNotifications } from "../src/bucket-notifications";
import { type LocalCloud, startLocalCloud } from "../src/local-cloud";
import { loadTopology } from "../src/shim";

const root = resolve(import.meta.dirname, "../../..");
const fixtureDir = join(import.meta.dirname, "fixture");
const credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
const run = promisify(execFile);

describe("stream mapping on-failure destination (fixture app)", () => {
  let cloud: LocalCloud;
  let dataDir: string;
  let dynamo: DynamoDBClient;
  let TableName: string;
  const output: string[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "asyncsns-failures-"));
    cloud = await startLocalCloud({
      root: fixtureDir,
      configFile: join(fixtureDir, "sst.config.ts"),
      port: 0,
      dataDir,
      inMemory: true,
      quiet: true,
      streamPollIntervalMs: 50,
      log: (line) => output.push(line),
      functionOutput: () => {},
    });
    dynamo = new DynamoDBClient({ endpoint: cloud.urls.dynamodb.endpoint, region: "us-east-1", credentials });
    TableName = cloud.urls.table!;
  });

  afterAll(async () => {
    await cloud?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const failures = () => cloud.messaging.store.peek(cloud.queues.StreamFailures!);
  const deliveries = async (sk: string) => {
    const { Item } = await dynamo.send(
      new GetItemCommand({
        TableName,
        Key: { pk: { S: "fragile-done" }, sk: { S: sk } },
        ConsistentRead: true,
      }),
    );
    return Number(Item?.deliveries?.N ?? 0);
  };
  const redrive = () =>
    run("npx", ["tsx", "scripts/redrive.ts", "StreamFailures"], {
      cwd: root,
      env: { ...process.env, ASYNCSNS_DATA_DIR: dataDir },
    }).then(
      (r) => ({ code: 0, out: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
    );

  it("bisects a failing batch, sends the poison record's range to the queue after its retries, and moves on", async () => {
    const put = (pk: string, sk: string) => ({ PutRequest: { Item: { pk: { S: pk }, sk: { S: sk } } } });
    await dynamo.send(new PutItemCommand({ TableName, Item: { pk: { S: "fault" }, sk: { S: "b" } } }));
    await dynamo.send(
      new BatchWriteItemCommand({
        RequestItems: { [TableName]: ["a", "b", "c", "d"].map((sk) => put("fragile", sk)) },
      }),
    );
    await vi.waitFor(() => expect(failures()).toHaveLength(1), { timeout: 30_000, interval: 100 });
    // Written after the poison record gave up: the shard is not stalled.
    await dynamo.send(new PutItemCommand({ TableName, Item: { pk: { S: "fragile" }, sk: { S: "e" } } }));
    await cloud.drainStreams();

    const message = JSON.parse(failures()[0]!.body);
    expect(message).toMatchObject({
      version: "1.0",
      requestContext: {
        condition: "RetryAttemptsExhausted",
        approximateInvokeCount: 3,
        functionArn: expect.stringMatching(/^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:.*Fragile/),
      },
      responseContext: { statusCode: 200, executedVersion: "$LATEST", functionError: "Unhandled" },
      DDBStreamBatchInfo: {
        shardId: expect.any(String),
        batchSize: 1,
        streamArn: cloud.standIns.dynamodb.tables![TableName]!.streamArn,
        approximateArrivalOfFirstRecord: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      },
    });
    expect(message.DDBStreamBatchInfo.startSequenceNumber).toBe(message.DDBStreamBatchInfo.endSequenceNumber);
    // Bisecting isolated b: its batch-mates went through once each, b never did.
    expect(await Promise.all(["a", "b", "c", "d", "e"].map(deliveries))).toEqual([1, 0, 1, 1, 1]);
    expect(output.some((line) => line.includes("split in two"))).toBe(true);
  });

  it("redrive keeps a record that fails again, then replays it once the fault is gone", async () => {
    const functionArn = JSON.parse(failures()[0]!.body).requestContext.functionArn as string;
    // An async-invoke failure record beside it: redrive re-invokes its payload (a qualified ARN, as Lambda writes it).
    const payload = { Records: [{ eventName: "INSERT", dynamodb: { Keys: { sk: { S: "async" } } } }] };
    cloud.messaging.store.send(cloud.queues.StreamFailures!, {
      body: JSON.stringify({
        version: "1.0",
        requestContext: { functionArn: `${functionArn}:$LATEST`, condition: "RetriesExhausted" },
        requestPayload: payload,
      }),
    });

    const stillFaulty = await redrive();
    expect(stillFaulty.code, stillFaulty.out).toBe(1);
    expect(stillFaulty.out).toContain("1 replayed, 1 kept");
    expect(await deliveries("async")).toBe(1);
    expect(await deliveries("b")).toBe(0);
    expect(cloud.messaging.store.counts(cloud.queues.StreamFailures!).total).toBe(1);

    await dynamo.send(new DeleteItemCommand({ TableName, Key: { pk: { S: "fault" }, sk: { S: "b" } } }));
    const fixed = await redrive();
    expect(fixed.code, fixed.out).toBe(0);
    expect(fixed.out).toContain("1 replayed, 0 kept");
    expect(await deliveries("b")).toBe(1);
    expect(cloud.messaging.store.counts(cloud.queues.StreamFailures!).total).toBe(0);
    // Replaying the range re-read only b: its batch-mates were not delivered twice.
    expect(await Promise.all(["a", "c", "d"].map(deliveries))).toEqual([1, 1, 1]);
  });
});

describe("bucket notifications (async invoke) on-failure destination", () => {
  it("retries as the event invoke config says, then sends the original event in Lambda's record shape", async () => {
    let emit: (event: S3Event) => void = () => {};
    const sent: { arn: string; body: string }[] = [];
    let invokes = 0;
    const notifications = startBucketNotifications({
      subscriptions: [
        {
          name: "Thumbs",
          bucket: "Media",
          physicalBucket: "app-test-media",
          function: "Thumbs",
          events: ["s3:ObjectCreated:*"],
          asyncInvoke: {
            maximumRetryAttempts: 1,
            maximumEventAgeInSeconds: -1,
            onFailure: "arn:aws:sqs:r:1:q",
          },
        },
      ],
      onObjectEvent: (listener) => {
        emit = listener;
        return () => {};
      },
      invoke: async () => {
        invokes++;
        throw new Error("always fails");
      },
      sendToDestination: async (arn, body) => {
        sent.push({ arn, body });
      },
      functionArn: (fn) => `arn:aws:lambda:r:123456789012:function:${fn}`,
      log: () => {},
      retryDelayMs: 5,
    });
    const event = {
      Records: [
        {
          eventName: "ObjectCreated:Post",
          s3: { bucket: { name: "app-test-media" }, object: { key: "uploads/a" } },
        },
      ],
    } as unknown as S3Event;
    emit(event);
    await notifications.drain();
    await notifications.stop();
    expect(invokes).toBe(2);
    expect(sent.map((s) => s.arn)).toEqual(["arn:aws:sqs:r:1:q"]);
    expect(JSON.parse(sent[0]!.body)).toMatchObject({
      version: "1.0",
      requestContext: {
        functionArn: "arn:aws:lambda:r:123456789012:function:Thumbs:$LATEST",
        condition: "RetriesExhausted",
        approximateInvokeCount: 2,
      },
      requestPayload: event,
      responseContext: { functionError: "Unhandled" },
      responsePayload: { errorMessage: "always fails" },
    });
  });
});

describe("the app's subscribers as the local cloud reads them", () => {
  it("one stream mapping with bisect, a record age and a destination; both media functions with one", async () => {
    const topology = await loadTopology(join(root, "sst.config.ts"));
    expect(topology.streamSubscriptions).toHaveLength(1);
    expect(topology.streamSubscriptions[0]).toMatchObject({
      name: "TableSubscriberDispatch",
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: 10,
      maximumRecordAgeInSeconds: 43_200,
      onFailure: { $ref: "StreamFailures", attribute: "arn" },
    });
    const configs = topology.pulumiResources
      .filter((r) => r.type === "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig")
      .map((r) => r.args);
    expect(configs).toEqual(
      ["MediaProcessor", "MediaPurge"].map((fn) => ({
        functionName: { $ref: fn, attribute: "name" },
        maximumRetryAttempts: 2,
        maximumEventAgeInSeconds: 21_600,
        destinationConfig: { onFailure: { destination: { $ref: "MediaFailures", attribute: "arn" } } },
      })),
    );
    const notified = topology.bucketNotifications.map((n) => n.function).sort();
    expect(notified).toEqual(["MediaProcessor", "MediaPurge"]);
  });
});
