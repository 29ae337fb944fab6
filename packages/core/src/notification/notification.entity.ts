import { Entity } from "electrodb";
import { configuration, keys, service } from "../dynamo";

// A recipient's notifications are their own partitions, with sort keys `$ntf…_1#…` that no stream filter matches.
// Key values keep their case (ids are compared as given).
const pk = { ...keys.primary.pk, casing: "none" } as const;
const sk = { ...keys.primary.sk, casing: "none" } as const;

/** Per recipient: the exact unread count, and the read generation a "mark all read" bumps (rows of older ones are read). */
export const NotificationStateEntity = new Entity(
  {
    model: { entity: "ntfState", version: "1", service },
    attributes: {
      recipient: { type: "string", required: true, readOnly: true },
      unread: { type: "number" },
      gen: { type: "number" },
    },
    indexes: {
      byRecipient: { pk: { ...pk, composite: ["recipient"] }, sk: { ...sk, composite: [] } },
    },
  },
  configuration(),
);

/** What a row is; the head (by id) and the slot (by list order) both carry it, written together. */
const row = {
  recipient: { type: "string", required: true, readOnly: true },
  rowId: { type: "string", required: true, readOnly: true },
  type: { type: "string", required: true },
  groupKey: { type: "string", required: true },
  subject: {
    type: "map",
    properties: {
      kind: { type: "string", required: true },
      id: { type: "string", required: true },
      text: { type: "string" },
    },
  },
  /** `at` of the event whose subject (e.g. the latest chat message's preview) the row shows. */
  subjectAt: { type: "number" },
  /** Distinct actors now on the row. */
  actorCount: { type: "number", required: true },
  /** The newest three actors, newest first, with the `at` they are ordered by. */
  recent: {
    type: "list",
    required: true,
    items: {
      type: "map",
      properties: { id: { type: "string", required: true }, at: { type: "number", required: true } },
    },
  },
  /** Unread when set and `gen` is the recipient's current read generation. */
  unread: { type: "boolean", required: true },
  gen: { type: "number", required: true },
  createdAt: { type: "number", required: true },
  updatedAt: { type: "number", required: true },
  /** The slot's sort key: `rowOrder(updatedAt, rowId)`. */
  order: { type: "string", required: true },
  /** Bumped by every write to the row: the optimistic lock every change of the group conditions on. */
  version: { type: "number", required: true },
} as const;

/** The row by id: what an event, markRead(upTo) and actors() find it by. */
export const NotificationRowEntity = new Entity(
  {
    model: { entity: "ntfRow", version: "1", service },
    attributes: row,
    indexes: {
      byId: { pk: { ...pk, composite: ["recipient"] }, sk: { ...sk, composite: ["rowId"] } },
    },
  },
  configuration(),
);

/** The row at its place in the list, moved in the same transaction as the head: the list is one key query. */
export const NotificationSlotEntity = new Entity(
  {
    model: { entity: "ntfSlot", version: "1", service },
    attributes: { ...row, inbox: { type: "string", required: true, readOnly: true } },
    indexes: {
      byOrder: { pk: { ...pk, composite: ["inbox"] }, sk: { ...sk, composite: ["order"] } },
    },
  },
  configuration(),
);

export const TOMBSTONE_TTL_SECONDS = 7 * 24 * 60 * 60;

/** Per (recipient, type, subject, actor-or-object): live (counted on its row) or a tombstone left by a retract. */
export const NotificationMarkEntity = new Entity(
  {
    model: { entity: "ntfMark", version: "1", service },
    attributes: {
      recipient: { type: "string", required: true, readOnly: true },
      markId: { type: "string", required: true, readOnly: true },
      state: { type: ["live", "tomb"] as const, required: true },
      /** The latest event's `at`: an add or retract no newer than it is stale. */
      at: { type: "number", required: true },
      actor: { type: "string", required: true },
      /** The row a live mark counts on. */
      rowId: { type: "string" },
      version: { type: "number", required: true },
      /** Tombstones only: the table's TTL attribute (epoch seconds). */
      expireAt: { type: "number" },
    },
    indexes: {
      byId: { pk: { ...pk, composite: ["recipient"] }, sk: { ...sk, composite: ["markId"] } },
    },
  },
  configuration(),
);

/** One actor on one row: how many live marks (chat messages) they have there, and their latest `at`. */
export const NotificationMemberEntity = new Entity(
  {
    model: { entity: "ntfMember", version: "1", service },
    attributes: {
      rowId: { type: "string", required: true, readOnly: true },
      actor: { type: "string", required: true, readOnly: true },
      marks: { type: "number", required: true },
      lastAt: { type: "number", required: true },
    },
    indexes: {
      byActor: { pk: { ...pk, composite: ["rowId"] }, sk: { ...sk, composite: ["actor"] } },
      // Every row an actor is on, anyone's: what deleting the actor's account takes them off.
      rowsOf: {
        index: keys.gsi1.index,
        pk: { ...keys.gsi1.pk, casing: "none", composite: ["actor"] },
        sk: { ...keys.gsi1.sk, casing: "none", composite: ["rowId"] },
      },
    },
  },
  configuration(),
);

/** A row's actors newest first, by key: `actorOrder(lastAt, actor)`, moved with the member. */
export const NotificationActorEntity = new Entity(
  {
    model: { entity: "ntfActor", version: "1", service },
    attributes: {
      rowId: { type: "string", required: true, readOnly: true },
      order: { type: "string", required: true, readOnly: true },
      actor: { type: "string", required: true, readOnly: true },
      at: { type: "number", required: true, readOnly: true },
    },
    indexes: {
      byOrder: { pk: { ...pk, composite: ["rowId"] }, sk: { ...sk, composite: ["order"] } },
    },
  },
  configuration(),
);

/** A user's preferences, one item: only the types they changed are stored (`types`, by type). */
export const NotificationPreferencesEntity = new Entity(
  {
    model: { entity: "ntfPrefs", version: "1", service },
    attributes: {
      recipient: { type: "string", required: true, readOnly: true },
      types: { type: "any", required: true },
      version: { type: "number", required: true },
    },
    indexes: {
      byRecipient: { pk: { ...pk, composite: ["recipient"] }, sk: { ...sk, composite: [] } },
    },
  },
  configuration(),
);
