import { Entity } from "electrodb";
import { configuration, keys, service } from "../dynamo";

const participant = { type: "string", required: true, readOnly: true } as const;
const card = { type: "string", required: true, readOnly: true } as const;

/** One item owns a call's state; every transition is a conditional write on `state`. */
export const CallEntity = new Entity(
  {
    model: { entity: "call", version: "1", service },
    attributes: {
      callId: { type: "string", required: true, readOnly: true },
      kind: { type: ["audio", "video"] as const, required: true, readOnly: true },
      state: {
        type: ["ringing", "accepted", "ended", "declined", "cancelled", "missed", "busy"] as const,
        required: true,
      },
      callerId: participant,
      calleeId: participant,
      // The participants as they were when calling: history renders without a profile read.
      callerHandle: card,
      callerName: card,
      callerAvatar: { type: "string", readOnly: true },
      calleeHandle: card,
      calleeName: card,
      calleeAvatar: { type: "string", readOnly: true },
      /** The 1:1 room the two share, if any: the call's history message goes there. */
      roomId: { type: "string", readOnly: true },
      createdAt: { type: "number", required: true, readOnly: true },
      /** Ms; a ringing call past it is no longer live (the timeout queue moves it to missed). */
      ringUntil: { type: "number", required: true, readOnly: true },
      acceptedAt: { type: "number" },
      endedAt: { type: "number" },
      endReason: {
        type: ["hangup", "declined", "cancelled", "missed", "busy", "failed", "answered_elsewhere"] as const,
      },
      /** Ms; refreshed by each side's keepalive signal: an accepted call whose lease is stale is not live. */
      leaseAt: { type: "number" },
      /** The connections bound on their first signal: afterwards signals go only to them. */
      callerConnection: { type: "string" },
      calleeConnection: { type: "string" },
      /** The bound devices' own ids: a bound device whose socket reconnected is bound again to its new connection. */
      callerDevice: { type: "string" },
      calleeDevice: { type: "string" },
      /**
       * The caller's signals while the call rings (JSON, in order): the accept that wins takes them in its own write
       * and hands them to its device, so the callee has the offer with its answer. Gone once the call is accepted or
       * over.
       */
      held: { type: "list", items: { type: "string" } },
      /** Their size in bytes, bounded by HELD_MAX_BYTES (store.ts). */
      heldBytes: { type: "number" },
      /** The seq of the call's message in the room's history, set once in the same transaction as the message. */
      historySeq: { type: "number" },
    },
    indexes: {
      byId: {
        pk: { ...keys.primary.pk, composite: ["callId"] },
        sk: { ...keys.primary.sk, composite: [] },
      },
    },
  },
  configuration(),
);

/** One per participant per call: a user's history, newest first by key (call ids are ULIDs). */
export const CallLogEntity = new Entity(
  {
    model: { entity: "callLog", version: "1", service },
    attributes: {
      userId: { type: "string", required: true, readOnly: true },
      callId: { type: "string", required: true, readOnly: true },
    },
    indexes: {
      byUser: {
        pk: { ...keys.primary.pk, composite: ["userId"] },
        sk: { ...keys.primary.sk, composite: ["callId"] },
      },
    },
  },
  configuration(),
);

/** A user's "active call" marker: written with a call's creation, removed with its end; busy is judged by it. */
export const CallActiveEntity = new Entity(
  {
    model: { entity: "callActive", version: "1", service },
    attributes: {
      userId: { type: "string", required: true, readOnly: true },
      callId: { type: "string", required: true },
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

export type CallItem = NonNullable<Awaited<ReturnType<ReturnType<typeof CallEntity.get>["go"]>>["data"]>;
