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
  /** Sort keys of likes and reposts (in the post's partition): `$like_1#userid_<id>`. */
  likeSk: "$like_1#",
  repostSk: "$repost_1#",
  /** Sort key of every chat message: `$message_1#seq_<padded>`. */
  messageSk: "$message_1#",
  /** Sort key of a call item, exactly. */
  callSk: "$call_1",
  /** Sort key of every moderation audit entry: `$modaudit_1#auditid_<id>` (a removal notifies the author). */
  modAuditSk: "$modaudit_1#",
} as const;
