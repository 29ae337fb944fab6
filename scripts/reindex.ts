// Safe beside the live indexer: every write is idempotent and versioned.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

if (!process.env.SST_RESOURCE_Search) {
  const dataDir = resolve(
    process.env.ASYNCSNS_ROOT ?? process.cwd(),
    process.env.ASYNCSNS_DATA_DIR || ".asyncsns",
  );
  const local = JSON.parse(readFileSync(resolve(dataDir, "search.json"), "utf8"));
  Object.assign(process.env, {
    SST_RESOURCE_App: JSON.stringify({ name: "asyncsns", stage: "local" }),
    SST_RESOURCE_Search: JSON.stringify({
      ...local.search,
      url: local.search.endpoint,
      type: "sst.aws.OpenSearch",
    }),
    SST_RESOURCE_Table: JSON.stringify({ name: local.table, type: "sst.aws.Dynamo" }),
    AWS_ENDPOINT_URL_DYNAMODB: local.dynamodb.endpoint,
    AWS_REGION: local.dynamodb.region,
    // The search stand-in verifies SigV4 against this key pair; DynamoDB Local takes any (-sharedDb).
    AWS_ACCESS_KEY_ID: local.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: local.credentials.secretAccessKey,
  });
}
const { Indexer } = await import("../packages/core/src/search/indexer");
const t0 = performance.now();
const done = await Indexer.reindex({ log: (line) => console.log(`[reindex] ${line}`) });
console.log(
  `[reindex] ${done.users} users, ${done.posts} posts in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);
