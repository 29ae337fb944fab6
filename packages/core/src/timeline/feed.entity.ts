import { Entity } from "electrodb";
import { configuration, keys, service } from "../dynamo";

/** Feeds: `user#<id>` (profile), `home#<id>` (fan-out), `tag#<tag>`, `public`, `replies#<postId>` (a thread). */
export type Feed = `user#${string}` | `home#${string}` | `tag#${string}` | `replies#${string}` | "public";

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
      authorId: { type: "string", readOnly: true },
      mediaIds: { type: "list", items: { type: "string" }, readOnly: true },
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
