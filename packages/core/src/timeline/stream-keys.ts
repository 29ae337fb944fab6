import { SERVICE } from "../dynamo/names";
import { key } from "./keys";

// Dependency-free so infra can filter on them; test/stream-keys.test.ts proves ElectroDB writes these keys.
export const streamKeys = {
  /** Partition key of every profile-feed entry: `$<service>#feed_user#<id>`. */
  profileEntryPk: `$${SERVICE}#feed_${key.user("")}`,
  /** Sort key of every follow edge: `$follow_1#followeeid_<id>`. */
  followSk: "$follow_1#",
  /** Sort key of a profile (user) item, exactly. */
  userSk: "$user_1",
  /** Sort key of a post item, exactly. */
  postSk: "$post_1",
} as const;
