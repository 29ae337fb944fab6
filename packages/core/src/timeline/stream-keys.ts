import { SERVICE } from "../dynamo/names";
import { key } from "./keys";

// Key prefixes of the table's stream records the timeline subscribers filter on, as ElectroDB writes them
// (test/stream-keys.test.ts builds the real keys and compares). Dependency-free so infra can import it.
export const streamKeys = {
  /** Partition key of every profile-feed entry: `$<service>#feed_user#<id>`. */
  profileEntryPk: `$${SERVICE}#feed_${key.user("")}`,
  /** Sort key of every follow edge: `$follow_1#followeeid_<id>`. */
  followSk: "$follow_1#",
  /** Sort key of a profile (user) item, exactly. */
  userSk: "$user_1",
} as const;
