// Announcing a new big author against DynamoDB Local, on a table of the suite's shape without its stream: no
// subscriber reacts to the thousands of follow edges seeded here (nor slows the other files' fan-out).
import { randomUUID } from "node:crypto";
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createId } from "../src/id";

const THRESHOLD = 3;
const TABLE = `asyncsns-fanouttest-${randomUUID()}`;

let dynamo: DynamoDBClient;
// Imported after the env is set: core's clients and Resource read it at load, as in a Lambda.
let Fanout: typeof import("../src/timeline/fanout").Fanout;
let FollowEntity: typeof import("../src/follow/follow.entity").FollowEntity;
let UserEntity: typeof import("../src/user/user.entity").UserEntity;
let BigAuthorEntity: typeof import("../src/timeline/feed").BigAuthorEntity;
let HomeStateEntity: typeof import("../src/timeline/feed").HomeStateEntity;

beforeAll(async () => {
  const { endpoint, tables } = inject("localDynamo");
  process.env.AWS_ENDPOINT_URL_DYNAMODB = endpoint;
  process.env.AWS_ACCESS_KEY_ID ??= "local";
  process.env.AWS_SECRET_ACCESS_KEY ??= "local";
  dynamo = new DynamoDBClient({});
  const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: tables[0] }));
  await dynamo.send(
    new CreateTableCommand({
      TableName: TABLE,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: Table!.AttributeDefinitions,
      KeySchema: Table!.KeySchema,
      GlobalSecondaryIndexes: Table!.GlobalSecondaryIndexes?.map(({ IndexName, KeySchema, Projection }) => ({
        IndexName,
        KeySchema,
        Projection,
      })),
    }),
  );
  process.env.SST_RESOURCE_Table = JSON.stringify({ name: TABLE, type: "sst.aws.Dynamo" });
  process.env.SST_RESOURCE_App ??= JSON.stringify({ name: "asyncsns", stage: "int" });
  ({ Fanout } = await import("../src/timeline/fanout"));
  ({ FollowEntity } = await import("../src/follow/follow.entity"));
  ({ UserEntity } = await import("../src/user/user.entity"));
  ({ BigAuthorEntity, HomeStateEntity } = await import("../src/timeline/feed"));
});

afterAll(async () => {
  await dynamo?.send(new DeleteTableCommand({ TableName: TABLE }));
  dynamo?.destroy();
});

const chunks = <T>(xs: T[], n: number) =>
  Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/** An author over the threshold with more followers than one page holds, their edges written in batches. */
async function authorWithFollowers() {
  const userId = randomUUID();
  const followers = Array.from({ length: Fanout.FOLLOWERS_PAGE + 40 }, () => randomUUID());
  await UserEntity.put({
    userId,
    handle: `big${userId.slice(0, 8)}`,
    displayName: "big",
    followers: followers.length,
  }).go();
  await pool(chunks(followers, 25), 8, async (batch) => {
    const { unprocessed } = await FollowEntity.put(
      batch.map((followerId) => ({ followerId, followeeId: userId })),
    ).go();
    if (unprocessed.length) throw new Error(`${unprocessed.length} follow edges unwritten`);
  });
  return { userId, followers };
}

/** The stream's view of the author's post: above the threshold, the fan-out announces them instead. */
function announce(userId: string) {
  const postId = createId("pst");
  return Fanout.apply(
    {
      type: "activity.added",
      entry: { seq: postId.slice(4), postId, actorId: userId, authorId: userId, mediaIds: [] },
    },
    THRESHOLD,
  );
}

/** Each reader's home state version (0 when never bumped). */
async function versions(userIds: string[]) {
  const { data, unprocessed } = await HomeStateEntity.get(userIds.map((id) => ({ feed: `home#${id}` }))).go();
  if (unprocessed.length) throw new Error(`${unprocessed.length} home states unread`);
  const byFeed = new Map(data.map((state) => [state.feed, state.version ?? 0]));
  return userIds.map((id) => byFeed.get(`home#${id}`) ?? 0);
}

/** The first page of followers as the fan-out queries it. */
const firstPage = (userId: string) =>
  FollowEntity.query
    .byFollowee({ followeeId: userId })
    .go({ limit: Fanout.FOLLOWERS_PAGE, attributes: ["followerId"] });

describe("announcing a new big author", () => {
  it("records the cursor after each page of followers bumped, so a failure part-way leaves where to resume", async () => {
    const { userId, followers } = await authorWithFollowers();
    const first = await firstPage(userId);
    expect(first.cursor).toBeTruthy();
    const bumped = new Set(first.data.map((edge) => edge.followerId));
    const later = followers.find((id) => !bumped.has(id))!;
    // A home state DynamoDB refuses to bump (its version is not a number) fails the second page's bumps.
    const { Item } = HomeStateEntity.put({ feed: `home#${later}`, version: 0 }).params();
    await dynamo.send(
      new PutItemCommand({ TableName: TABLE, Item: marshall({ ...Item, version: "broken" }) }),
    );

    await expect(announce(userId)).rejects.toThrow(/incorrect data type/);

    const { data } = await BigAuthorEntity.get({ scope: "all", userId }).go();
    expect(data?.announcedTo).toBe(first.cursor);
    expect(data?.announced).toBeUndefined();
    expect(new Set(await versions([...bumped]))).toEqual(new Set([1]));
  }, 120_000);

  it("resumes after the last page of followers an earlier invocation recorded", async () => {
    const { userId, followers } = await authorWithFollowers();
    // An invocation that timed out after the first page left its cursor.
    const first = await firstPage(userId);
    expect(first.cursor).toBeTruthy();
    await BigAuthorEntity.put({ scope: "all", userId, announcedTo: first.cursor! }).go();

    await announce(userId);

    const bumped = new Set(first.data.map((edge) => edge.followerId));
    const rest = followers.filter((id) => !bumped.has(id));
    // Whatever ends the first page (its limit, or 1 MB of edges first), both parts have followers.
    expect(bumped.size).toBeGreaterThan(0);
    expect(rest.length).toBeGreaterThan(0);
    expect(new Set(await versions([...bumped]))).toEqual(new Set([0]));
    expect(await versions(rest)).toEqual(rest.map(() => 1));
    const { data } = await BigAuthorEntity.get({ scope: "all", userId }).go();
    expect(data).toMatchObject({ announced: true });
    expect(data?.announcedTo).toBeUndefined();
  }, 120_000);

  it("tells every follower, from the first page, when nothing was recorded", async () => {
    const { userId, followers } = await authorWithFollowers();

    await announce(userId);

    expect(new Set(await versions(followers))).toEqual(new Set([1]));
    const { data } = await BigAuthorEntity.get({ scope: "all", userId }).go();
    expect(data).toMatchObject({ announced: true });
    expect(data?.announcedTo).toBeUndefined();
  }, 120_000);
});
