import { streamKeys } from "../packages/core/src/timeline/stream-keys";
import { partialBatches, table } from "./database";

// Bigger authors are merged into homes at read time (hybrid); the integration suite lowers both to test
// that and the paging of followers.
export const timelineConfig = new sst.Linkable("Timeline", {
  properties: {
    fanoutThreshold: Number(process.env.ASYNCSNS_FANOUT_THRESHOLD ?? 10_000),
    followersPage: Number(process.env.ASYNCSNS_FOLLOWERS_PAGE ?? 5000),
  },
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
      { dynamodb: { Keys: { pk: { S: [{ prefix: streamKeys.profileEntryPk }] } } } },
      { dynamodb: { Keys: { sk: { S: [{ prefix: streamKeys.followSk }] } } } },
    ],
    transform: partialBatches(25),
  },
);

// A new name or picture is copied onto the author's posts, so a page of posts reads no profile per author.
table.subscribe(
  "Cards",
  {
    handler: "packages/functions/src/profile/cards.handler",
    link: [table],
    timeout: "15 minutes",
    memory: "512 MB",
  },
  {
    filters: [{ eventName: ["MODIFY"], dynamodb: { Keys: { sk: { S: [streamKeys.userSk] } } } }],
    transform: partialBatches(10),
  },
);
