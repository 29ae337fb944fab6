import { streamKeys } from "../packages/core/src/timeline/stream-keys";
import { partialBatches, table } from "./database";

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
      { dynamodb: { Keys: { pk: { S: [{ prefix: streamKeys.profileEntryPk }] } } } },
      { dynamodb: { Keys: { sk: { S: [{ prefix: streamKeys.followSk }] } } } },
    ],
    transform: partialBatches(25),
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
    filters: [{ eventName: ["MODIFY"], dynamodb: { Keys: { sk: { S: [streamKeys.userSk] } } } }],
    transform: partialBatches(10),
  },
);
