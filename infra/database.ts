// One table for every entity (ElectroDB single-table design). The stream feeds fan-out, search and notifications.
export const table = new sst.aws.Dynamo("Table", {
  fields: {
    pk: "string",
    sk: "string",
    gsi1pk: "string",
    gsi1sk: "string",
    gsi2pk: "string",
    gsi2sk: "string",
  },
  primaryIndex: { hashKey: "pk", rangeKey: "sk" },
  globalIndexes: {
    gsi1: { hashKey: "gsi1pk", rangeKey: "gsi1sk" },
    gsi2: { hashKey: "gsi2pk", rangeKey: "gsi2sk" },
  },
  stream: "new-and-old-images",
  ttl: "expireAt",
  deletionProtection: $app.stage === "production",
  transform: {
    table: (t) => {
      t.pointInTimeRecovery = { enabled: true };
      t.serverSideEncryption = { enabled: true };
    },
  },
});

// Authors with more followers than this are merged into homes at read time instead of fanned out (hybrid).
// A deploy may set ASYNCSNS_FANOUT_THRESHOLD; the integration suite lowers it to exercise the merge.
export const timelineConfig = new sst.Linkable("Timeline", {
  properties: { fanoutThreshold: Number(process.env.ASYNCSNS_FANOUT_THRESHOLD ?? 10_000) },
});

// Home timelines by fan-out on write: only profile-feed entries and follow edges reach the subscriber.
table.subscribe(
  "Fanout",
  {
    handler: "packages/functions/src/timeline/fanout.handler",
    link: [table, timelineConfig],
    timeout: "5 minutes",
    memory: "512 MB",
  },
  {
    filters: [
      { dynamodb: { Keys: { pk: { S: [{ prefix: "$asyncsns#feed_user#" }] } } } },
      { dynamodb: { Keys: { sk: { S: [{ prefix: "$follow_1#" }] } } } },
    ],
    transform: {
      eventSourceMapping: (esm) => {
        esm.batchSize = 25;
        esm.functionResponseTypes = ["ReportBatchItemFailures"];
        esm.bisectBatchOnFunctionError = true;
        esm.maximumRetryAttempts = 10;
      },
    },
  },
);

// Author cards on posts: a profile's new display name or picture is copied onto the author's posts, so a page
// of posts reads no profile per author. Only modified profile items reach it.
table.subscribe(
  "Cards",
  {
    handler: "packages/functions/src/profile/cards.handler",
    link: [table],
    timeout: "15 minutes",
    memory: "512 MB",
  },
  {
    filters: [{ eventName: ["MODIFY"], dynamodb: { Keys: { sk: { S: ["$user_1"] } } } }],
    transform: {
      eventSourceMapping: (esm) => {
        esm.batchSize = 10;
        esm.functionResponseTypes = ["ReportBatchItemFailures"];
        esm.bisectBatchOnFunctionError = true;
        esm.maximumRetryAttempts = 10;
      },
    },
  },
);
