import { Entity } from "electrodb";
import { configuration, keys, service } from "../dynamo";

/** How long an upload may stay unattached; shorter than the bucket's uploads/ lifecycle, so no item outlives its file. */
export const UNATTACHED_TTL_SECONDS = 24 * 60 * 60;

// One item per upload; gsi1 lists a user's uploads newest first (cleanup of abandoned pending media).
export const MediaEntity = new Entity(
  {
    model: { entity: "media", version: "1", service },
    attributes: {
      mediaId: { type: "string", required: true, readOnly: true },
      ownerId: { type: "string", required: true, readOnly: true },
      kind: { type: ["image", "video", "audio"] as const, required: true, readOnly: true },
      contentType: { type: "string", required: true, readOnly: true },
      /** Declared by the client and pinned in the upload policy; the stored object must match it. */
      size: { type: "number", required: true, readOnly: true },
      fileName: { type: "string" },
      /** post, avatar or chat; chat files are never public. */
      purpose: { type: ["post", "avatar", "chat"] as const, required: true, readOnly: true },
      alt: { type: "string", required: true, default: "" },
      status: { type: ["pending", "ready", "failed"] as const, required: true, default: "pending" },
      /** The post (or message) id once attached; absent while unattached, so a condition can test it. */
      attachedTo: { type: "string" },
      width: { type: "number" },
      height: { type: "number" },
      blurhash: { type: "string" },
      durationMs: { type: "number" },
      /** Served keys under public/<mediaId>/, written by the processor; never set for chat media. */
      publicKey: { type: "string" },
      thumbnailKey: { type: "string" },
      posterKey: { type: "string" },
      /** A video's poster: an image upload of the same owner, attached to the video. */
      posterMediaId: { type: "string" },
      /** Set when what it was attached to was deleted: its served files are gone. */
      deletedAt: { type: "number" },
      failure: { type: "string" },
      /** DynamoDB TTL (epoch seconds) while unattached, so abandoned uploads clean themselves; attaching removes it. */
      expireAt: { type: "number" },
      createdAt: { type: "number", required: true, readOnly: true, default: () => Date.now() },
      updatedAt: {
        type: "number",
        required: true,
        watch: "*",
        set: () => Date.now(),
        default: () => Date.now(),
      },
    },
    indexes: {
      byId: {
        pk: { ...keys.primary.pk, composite: ["mediaId"] },
        sk: { ...keys.primary.sk, composite: [] },
      },
      byOwner: {
        index: keys.gsi1.index,
        pk: { ...keys.gsi1.pk, composite: ["ownerId"] },
        sk: { ...keys.gsi1.sk, composite: ["createdAt"] },
      },
    },
  },
  configuration(),
);

export type MediaItem = NonNullable<Awaited<ReturnType<ReturnType<typeof MediaEntity.get>["go"]>>["data"]>;
