import { Entity } from "electrodb";
import { configuration, keys, service } from "../dynamo";

export type { Feed } from "./keys";

// Every timeline is a partition of entries sorted by a ULID `seq`; the post itself is batch-read on display.
export const FeedEntryEntity = new Entity(
  {
    model: { entity: "feedEntry", version: "1", service },
    attributes: {
      feed: { type: "string", required: true, readOnly: true },
      /** The post's ULID, or the repost's: time order, and the same key in every feed it lands in. */
      seq: { type: "string", required: true, readOnly: true },
      postId: { type: "string", required: true, readOnly: true },
      /** Whose activity put it here (the author, or the reposter): what an unfollow removes. */
      actorId: { type: "string", required: true, readOnly: true },
      repostedBy: { type: "string", readOnly: true },
      /** The post's author and attachments (both immutable), so a page's every key is known from its entries. */
      authorId: { type: "string", required: true, readOnly: true },
      mediaIds: { type: "list", items: { type: "string" }, required: true, readOnly: true },
      createdAt: { type: "number", required: true, readOnly: true, default: () => Date.now() },
    },
    indexes: {
      byFeed: {
        pk: { ...keys.primary.pk, composite: ["feed"] },
        sk: { ...keys.primary.sk, composite: ["seq"] },
      },
    },
  },
  configuration(),
);

export type FeedEntryItem = NonNullable<
  Awaited<ReturnType<ReturnType<typeof FeedEntryEntity.get>["go"]>>["data"]
>;

// Authors too big to fan out; a short list every home read merges from (hybrid timeline).
export const BigAuthorEntity = new Entity(
  {
    model: { entity: "bigAuthor", version: "1", service },
    attributes: {
      scope: { type: "string", required: true, readOnly: true, default: () => "all" },
      userId: { type: "string", required: true, readOnly: true },
      markedAt: { type: "number", required: true, readOnly: true, default: () => Date.now() },
      /** Set once every follower's home state was told (version bumped) that this author is big. */
      announced: { type: "boolean" },
      /** While announcing: the follower-page cursor after the last page bumped, where a retry resumes. */
      announcedTo: { type: "string" },
    },
    indexes: {
      all: {
        pk: { ...keys.primary.pk, composite: ["scope"] },
        sk: { ...keys.primary.sk, composite: ["userId"] },
      },
    },
  },
  configuration(),
);

/** Its sort key sorts above every entry, so the first page's one query returns it with the entries. */
export const HomeStateEntity = new Entity(
  {
    model: { entity: "homeState", version: "1", service },
    attributes: {
      /** `home#<userId>`: the same partition key as the reader's entries. */
      feed: { type: "string", required: true, readOnly: true },
      /** The big authors the reader follows, as of `builtAt`: their profile feeds are merged at read time. */
      bigs: { type: "list", items: { type: "string" } },
      /** Bumped by every follow, unfollow and big-author change that may touch `bigs`. */
      version: { type: "number" },
      /** The version `bigs` was computed at; behind `version` means recompute before trusting it. */
      builtAt: { type: "number" },
    },
    indexes: {
      byFeed: {
        pk: { ...keys.primary.pk, composite: ["feed"] },
        sk: { ...keys.primary.sk, composite: [] },
      },
    },
  },
  configuration(),
);

/** Its own item above the home state, so one query returns it and follows never pay for its size. */
export const ReactionsEntity = new Entity(
  {
    model: { entity: "reactions", version: "1", service },
    attributes: {
      /** `home#<userId>`: the same partition key as the reader's entries. */
      feed: { type: "string", required: true, readOnly: true },
      /** Every like and repost adds its post's seq in the same transaction; every undo removes it. */
      liked: { type: "set", items: "string" },
      reposted: { type: "set", items: "string" },
      /** The lowest post seq the sets are exact for: `0` from sign-up, raised as the oldest seqs are dropped. */
      coveredFrom: { type: "string" },
    },
    indexes: {
      byFeed: {
        pk: { ...keys.primary.pk, composite: ["feed"] },
        sk: { ...keys.primary.sk, composite: [] },
      },
    },
  },
  configuration(),
);
