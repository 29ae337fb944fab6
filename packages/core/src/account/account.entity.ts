import { Entity } from "electrodb";
import { configuration, keys, service } from "../dynamo";

/** A deletion asked for and not finished yet: the sweeper's own record, removed as its last step. */
export const DeletionEntity = new Entity(
  {
    model: { entity: "deletion", version: "1", service },
    attributes: {
      userId: { type: "string", required: true, readOnly: true },
      handle: { type: "string" },
      requestedAt: { type: "number", required: true, readOnly: true, default: () => Date.now() },
    },
    indexes: {
      byUser: {
        pk: { ...keys.primary.pk, composite: ["userId"] },
        sk: { ...keys.primary.sk, composite: [] },
      },
    },
  },
  configuration(),
);

/** One export of a user's data: pending until the builder writes the archive, then ready (kept a day, TTL). */
export const ExportEntity = new Entity(
  {
    model: { entity: "export", version: "1", service },
    attributes: {
      userId: { type: "string", required: true, readOnly: true },
      exportId: { type: "string", required: true, readOnly: true },
      status: { type: ["pending", "ready", "failed"] as const, required: true, default: "pending" },
      key: { type: "string" },
      createdAt: { type: "number", required: true, readOnly: true, default: () => Date.now() },
      readyAt: { type: "number" },
      expireAt: { type: "number" },
    },
    indexes: {
      byUser: {
        pk: { ...keys.primary.pk, composite: ["userId"] },
        sk: { ...keys.primary.sk, composite: ["exportId"] },
      },
    },
  },
  configuration(),
);
