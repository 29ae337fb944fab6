import { streamKeys } from "../packages/core/src/timeline/stream-keys";
import { partialBatches, table } from "./database";

// Amazon OpenSearch because kuromoji (Japanese) is on the service; SST's defaults encrypt and require TLS.
export const search = new sst.aws.OpenSearch("Search");

// The indexer sees only posts and profiles (their items' sort keys); it re-reads each item, so replays are harmless.
table.subscribe(
  "Search",
  {
    handler: "packages/functions/src/search/indexer.handler",
    link: [table, search],
    timeout: "1 minute",
    memory: "512 MB",
  },
  {
    filters: [{ dynamodb: { Keys: { sk: { S: [streamKeys.postSk, streamKeys.userSk] } } } }],
    transform: partialBatches(50),
  },
);
