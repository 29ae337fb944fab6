import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  type _Record,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from "@aws-sdk/client-dynamodb-streams";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { describe, expect, inject, it, vi } from "vitest";
import { toLambdaRecord } from "../../../packages/local/src/streams/lambda-record";
import { createTestMember, type TestUser } from "../../../tests/support/test-user";

// A record is retried whole when any route fails it: replaying what every route already did must change nothing.

const cloud = inject("localCloud") as ReturnType<typeof inject<"localCloud">> & {
  lambda: { endpoint: string; region: string };
  dynamodbStreams: { endpoint: string; region: string };
};
const dynamo = inject("localDynamo");
const credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
const region = cloud.lambda.region;

const json = async (user: TestUser, path: string, init?: RequestInit) => {
  const res = await user.api(path, init);
  expect(res.status, path).toBeLessThan(300);
  return res.status === 204 ? undefined : res.json();
};
const eventually = (check: () => Promise<void>) => vi.waitFor(check, { timeout: 20_000, interval: 200 });

/** Every record of the table's stream so far that names this user (their profile, posts, feed and follows). */
async function recordsOf(userId: string) {
  const table = (
    await new DynamoDBClient({ endpoint: dynamo.endpoint, region, credentials }).send(
      new DescribeTableCommand({ TableName: dynamo.tables[0] }),
    )
  ).Table!;
  const streams = new DynamoDBStreamsClient({
    endpoint: cloud.dynamodbStreams.endpoint,
    region,
    credentials,
  });
  const { StreamDescription } = await streams.send(
    new DescribeStreamCommand({ StreamArn: table.LatestStreamArn }),
  );
  const out: _Record[] = [];
  for (const shard of StreamDescription?.Shards ?? []) {
    let { ShardIterator: iterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: table.LatestStreamArn,
        ShardId: shard.ShardId,
        ShardIteratorType: "TRIM_HORIZON",
      }),
    );
    while (iterator) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      out.push(...(page.Records ?? []).filter((r) => JSON.stringify(r.dynamodb).includes(userId)));
      if (!page.Records?.length) break;
      iterator = page.NextShardIterator;
    }
  }
  return out.map((r) => toLambdaRecord(r, table.LatestStreamArn!, region));
}

describe("the stream dispatcher replayed", () => {
  it("changes nothing when fan-out, cards and search see their records again", async () => {
    const [author, fan] = await Promise.all([createTestMember("rpa", "Before"), createTestMember("rpf")]);
    await json(fan, `/users/${author.handle}/follow`, { method: "POST" });
    const marker = `r${Date.now().toString(36)}`;
    const post = await json(author, "/posts", {
      method: "POST",
      body: JSON.stringify({ text: `replay ${marker}` }),
    });
    await json(author, "/me", { method: "PATCH", body: JSON.stringify({ displayName: "After" }) });

    type Page = { items: { id: string; author: { displayName: string } }[] };
    const state = async () => {
      const home: Page = await json(fan, "/timelines/home");
      const own: Page = await json(fan, `/users/${author.handle}/posts`);
      const found: Page = await json(fan, `/search/posts?q=${marker}`);
      return {
        home: home.items.map((i) => i.id),
        names: own.items.map((i) => i.author.displayName),
        found: found.items.map((i) => i.id),
      };
    };
    const settled = { home: [post.id], names: ["After"], found: [post.id] };
    await eventually(async () => expect(await state()).toEqual(settled));

    const records = await recordsOf(author.sub);
    // The profile (insert and rename), the post, its profile-feed entry and the follow edge: every route has work.
    expect(records.length).toBeGreaterThanOrEqual(5);
    const lambda = new LambdaClient({ endpoint: cloud.lambda.endpoint, region, credentials });
    for (let round = 0; round < 2; round++) {
      const res = await lambda.send(
        new InvokeCommand({
          FunctionName: "asyncsns-local-TableSubscriberDispatchFunction",
          Payload: Buffer.from(JSON.stringify({ Records: records })),
        }),
      );
      expect(res.FunctionError).toBeUndefined();
      expect(JSON.parse(Buffer.from(res.Payload!).toString())).toEqual({ batchItemFailures: [] });
    }
    // Fan-out wrote no second entry, the stale "Before" rename did not come back, search holds one document.
    expect(await state()).toEqual(settled);
  });
});
