import { Entity } from "electrodb";
import { configuration, keys, service } from "../dynamo";

// A block is its own item per pair; gsi1 is the reverse index for "who blocks me".
export const BlockEntity = new Entity(
  {
    model: { entity: "block", version: "1", service },
    attributes: {
      blockerId: { type: "string", required: true, readOnly: true },
      blockedId: { type: "string", required: true, readOnly: true },
      createdAt: { type: "number", required: true, readOnly: true, default: () => Date.now() },
    },
    indexes: {
      byBlocker: {
        pk: { ...keys.primary.pk, composite: ["blockerId"] },
        sk: { ...keys.primary.sk, composite: ["blockedId"] },
      },
      byBlocked: {
        index: keys.gsi1.index,
        pk: { ...keys.gsi1.pk, composite: ["blockedId"] },
        sk: { ...keys.gsi1.sk, composite: ["blockerId"] },
      },
    },
  },
  configuration(),
);

// A mute is one-sided (the muted never learn of it); gsi1 only lets an account's deletion find the mutes of it.
export const MuteEntity = new Entity(
  {
    model: { entity: "mute", version: "1", service },
    attributes: {
      muterId: { type: "string", required: true, readOnly: true },
      mutedId: { type: "string", required: true, readOnly: true },
      createdAt: { type: "number", required: true, readOnly: true, default: () => Date.now() },
    },
    indexes: {
      byMuter: {
        pk: { ...keys.primary.pk, composite: ["muterId"] },
        sk: { ...keys.primary.sk, composite: ["mutedId"] },
      },
      byMuted: {
        index: keys.gsi1.index,
        pk: { ...keys.gsi1.pk, composite: ["mutedId"] },
        sk: { ...keys.gsi1.sk, composite: ["muterId"] },
      },
    },
  },
  configuration(),
);

// A muted word or hashtag; `expireAt` (seconds, the table's TTL) sweeps it once `expiresAt` (ms) has passed.
export const MutedWordEntity = new Entity(
  {
    model: { entity: "mutedWord", version: "1", service },
    attributes: {
      userId: { type: "string", required: true, readOnly: true },
      wordId: { type: "string", required: true, readOnly: true },
      word: { type: "string", required: true },
      expiresAt: { type: "number" },
      expireAt: { type: "number" },
      createdAt: { type: "number", required: true, readOnly: true, default: () => Date.now() },
    },
    indexes: {
      byUser: {
        pk: { ...keys.primary.pk, composite: ["userId"] },
        sk: { ...keys.primary.sk, composite: ["wordId"] },
      },
    },
  },
  configuration(),
);
