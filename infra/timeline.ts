import { streamFilters, unionOf } from "../packages/functions/src/stream/filters";
import { partialBatches, streamFailures, table } from "./database";
import { topic } from "./notification";
import { ws } from "./realtime";
import { searchLink } from "./search";
import { bucket } from "./storage";

// Bigger authors are merged into homes at read time (hybrid); the integration suite lowers both to test
// that and the paging of followers.
export const timelineConfig = new sst.Linkable("Timeline", {
  properties: {
    fanoutThreshold: Number(process.env.ASYNCSNS_FANOUT_THRESHOLD ?? 10_000),
    followersPage: Number(process.env.ASYNCSNS_FOLLOWERS_PAGE ?? 5000),
  },
});

// The table stream's one reader (DynamoDB Streams: at most two per shard); it routes each record to fan-out, cards,
// search and the notification events it publishes to the topic; fan-out tells followers online (`ws`),
// with the post as the API shows it (its media's URLs: `bucket`).
table.subscribe(
  "Dispatch",
  {
    handler: "packages/functions/src/stream/dispatch.handler",
    link: [table, timelineConfig, searchLink, topic, ws, bucket],
    permissions: [{ actions: ["sqs:SendMessage"], resources: [streamFailures.arn] }],
    // A batch runs every route it holds: the longest (a rename spread over many posts) sets the timeout.
    timeout: "15 minutes",
    // Each route ran alone in 512 MB; the three now run side by side per record (and CPU grows with memory).
    memory: "1536 MB",
  },
  {
    filters: unionOf(Object.values(streamFilters)),
    // Cards' spreads and fan-outs resume from saved cursors, so a batch cut by the timeout loses no work.
    transform: partialBatches(25, streamFailures.arn),
  },
);
