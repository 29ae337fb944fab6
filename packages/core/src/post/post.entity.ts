import { Entity } from "electrodb";
import { configuration, keys, service } from "../dynamo";

// Deletion is a tombstone (deletedAt, text cleared) so replies keep their parent and show a placeholder.
export const PostEntity = new Entity(
  {
    model: { entity: "post", version: "1", service },
    attributes: {
      postId: { type: "string", required: true, readOnly: true },
      authorId: { type: "string", required: true, readOnly: true },
      /** The author's card as of `at` (their `cardAt`): kept current by the card subscriber (Cards.spread). */
      author: {
        type: "map",
        required: true,
        properties: {
          handle: { type: "string", required: true },
          displayName: { type: "string", required: true },
          avatarKey: { type: "string" },
          /** Set while the author is suspended: readers leave the post out until the lift's card replaces it. */
          suspended: { type: "boolean" },
          at: { type: "number", required: true },
        },
      },
      text: { type: "string", required: true },
      /** Normalised tags (Text.normalizeTag), the keys of the hashtag feeds this post is in. */
      hashtags: { type: "list", items: { type: "string" }, required: true, default: () => [] },
      mentions: {
        type: "list",
        items: {
          type: "map",
          properties: {
            handle: { type: "string", required: true },
            userId: { type: "string", required: true },
          },
        },
        required: true,
        default: () => [],
      },
      mediaIds: {
        type: "list",
        items: { type: "string" },
        required: true,
        default: () => [],
        readOnly: true,
      },
      replyTo: { type: "string", readOnly: true },
      /** The nearest ancestors, root first, so a thread's ancestors are one batch get. */
      ancestors: {
        type: "list",
        items: { type: "string" },
        required: true,
        default: () => [],
        readOnly: true,
      },
      likes: { type: "number", required: true, default: 0 },
      reposts: { type: "number", required: true, default: 0 },
      replies: { type: "number", required: true, default: 0 },
      createdAt: { type: "number", required: true, readOnly: true, default: () => Date.now() },
      editedAt: { type: "number" },
      deletedAt: { type: "number" },
    },
    indexes: {
      byId: {
        pk: { ...keys.primary.pk, composite: ["postId"] },
        sk: { ...keys.primary.sk, composite: [] },
      },
      // An author's every post, tombstones included: what account deletion sweeps.
      byAuthor: {
        index: keys.gsi2.index,
        pk: { ...keys.gsi2.pk, composite: ["authorId"] },
        sk: { ...keys.gsi2.sk, composite: ["postId"] },
      },
    },
  },
  configuration(),
);

export type PostItem = NonNullable<Awaited<ReturnType<ReturnType<typeof PostEntity.get>["go"]>>["data"]>;

// Likes and reposts live in the post's partition, keyed by user, so "liked by me" is a batch get.
export const LikeEntity = new Entity(
  {
    model: { entity: "like", version: "1", service },
    attributes: {
      postId: { type: "string", required: true, readOnly: true },
      userId: { type: "string", required: true, readOnly: true },
      createdAt: { type: "number", required: true, readOnly: true, default: () => Date.now() },
    },
    indexes: {
      byPost: {
        pk: { ...keys.primary.pk, composite: ["postId"] },
        sk: { ...keys.primary.sk, composite: ["userId"] },
      },
      // A user's own, so account deletion finds them without a scan.
      byUser: {
        index: keys.gsi2.index,
        pk: { ...keys.gsi2.pk, composite: ["userId"] },
        sk: { ...keys.gsi2.sk, composite: ["postId"] },
      },
    },
  },
  configuration(),
);

export const RepostEntity = new Entity(
  {
    model: { entity: "repost", version: "1", service },
    attributes: {
      postId: { type: "string", required: true, readOnly: true },
      userId: { type: "string", required: true, readOnly: true },
      /** A ULID: the repost's place in the reposter's profile feed and in their followers' homes. */
      seq: { type: "string", required: true, readOnly: true },
      createdAt: { type: "number", required: true, readOnly: true, default: () => Date.now() },
    },
    indexes: {
      byPost: {
        pk: { ...keys.primary.pk, composite: ["postId"] },
        sk: { ...keys.primary.sk, composite: ["userId"] },
      },
      // A user's own, so account deletion finds them without a scan.
      byUser: {
        index: keys.gsi2.index,
        pk: { ...keys.gsi2.pk, composite: ["userId"] },
        sk: { ...keys.gsi2.sk, composite: ["postId"] },
      },
    },
  },
  configuration(),
);
