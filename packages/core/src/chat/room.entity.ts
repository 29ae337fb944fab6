import { Entity } from "electrodb";
import { configuration, keys, service } from "../dynamo";

export const RoomEntity = new Entity(
  {
    model: { entity: "room", version: "1", service },
    attributes: {
      roomId: { type: "string", required: true, readOnly: true },
      kind: { type: ["direct", "group"] as const, required: true, readOnly: true },
      name: { type: "string" },
      createdBy: { type: "string", required: true, readOnly: true },
      memberCount: { type: "number", required: true, default: 0 },
      /** The last seq handed out: the conditional counter every send moves by one. */
      seq: { type: "number", required: true, default: 0 },
      lastMessageAt: { type: "number" },
      createdAt: { type: "number", required: true, readOnly: true, default: () => Date.now() },
    },
    indexes: {
      byId: {
        pk: { ...keys.primary.pk, composite: ["roomId"] },
        sk: { ...keys.primary.sk, composite: [] },
      },
    },
  },
  configuration(),
);

// One item per unordered pair of users: its conditional create is what makes 1:1 rooms idempotent.
export const DirectEntity = new Entity(
  {
    model: { entity: "direct", version: "1", service },
    attributes: {
      pairKey: { type: "string", required: true, readOnly: true },
      roomId: { type: "string", required: true, readOnly: true },
    },
    indexes: {
      byPair: {
        pk: { ...keys.primary.pk, composite: ["pairKey"] },
        sk: { ...keys.primary.sk, composite: [] },
      },
    },
  },
  configuration(),
);

export const MembershipEntity = new Entity(
  {
    model: { entity: "membership", version: "1", service },
    attributes: {
      roomId: { type: "string", required: true, readOnly: true },
      userId: { type: "string", required: true, readOnly: true },
      role: { type: ["owner", "admin", "member"] as const, required: true, default: "member" },
      /**
       * "request": a 1:1 room opened by someone this member does not follow; "invited": a group such a person
       * added them to. Either stays quiet (no live message, no push) until accepted. Absent on older items: member.
       */
      status: { type: ["member", "request", "invited"] as const, default: "member" },
      /** Who added an invited member, for the invitation's banner. */
      invitedBy: { type: "string" },
      /** Hidden from the member's lists and deliveries: a deleted request, or a 1:1 room they left. */
      archivedAt: { type: "number" },
      lastReadSeq: { type: "number", required: true, default: 0 },
      joinedAt: { type: "number", required: true, readOnly: true, default: () => Date.now() },
    },
    indexes: {
      byRoom: {
        pk: { ...keys.primary.pk, composite: ["roomId"] },
        sk: { ...keys.primary.sk, composite: ["userId"] },
      },
      // The caller's rooms: one key query on the per-user index.
      byUser: {
        index: keys.gsi1.index,
        pk: { ...keys.gsi1.pk, composite: ["userId"] },
        sk: { ...keys.gsi1.sk, composite: ["roomId"] },
      },
    },
  },
  configuration(),
);

export const MessageEntity = new Entity(
  {
    model: { entity: "message", version: "1", service },
    attributes: {
      roomId: { type: "string", required: true, readOnly: true },
      // Zero-padded in the sort key so range queries (afterSeq/beforeSeq) follow numeric order.
      seq: { type: "number", required: true, readOnly: true, padding: { length: 12, char: "0" } },
      messageId: { type: "string", required: true, readOnly: true },
      senderId: { type: "string", required: true, readOnly: true },
      // The sender as they were when writing: former members' messages still render.
      // Blanked when the sender deletes their account (the message stays, from "a deleted user").
      senderHandle: { type: "string", required: true },
      senderName: { type: "string", required: true },
      senderAvatar: { type: "string" },
      text: { type: "string", required: true, default: "" },
      mediaIds: { type: "list", items: { type: "string" }, required: true, default: () => [] },
      replyToId: { type: "string", readOnly: true },
      replyToSeq: { type: "number", readOnly: true },
      createdAt: { type: "number", required: true, readOnly: true, default: () => Date.now() },
      editedAt: { type: "number" },
      deletedAt: { type: "number" },
      // One counter per emoji of the fixed set (core/chat/reactions.ts): top-level so ADD works on old messages too.
      reactThumbs: { type: "number" },
      reactHeart: { type: "number" },
      reactLaugh: { type: "number" },
      reactWow: { type: "number" },
      reactSad: { type: "number" },
      reactPray: { type: "number" },
      /** A call's entry in the room's history (core/chat/calls.ts), sent as the caller. */
      call: {
        type: "map",
        readOnly: true,
        properties: {
          callId: { type: "string", required: true },
          kind: { type: ["audio", "video"] as const, required: true },
          state: { type: ["ended", "declined", "cancelled", "missed", "busy"] as const, required: true },
          endReason: { type: ["hangup", "declined", "cancelled", "missed", "busy", "failed"] as const },
          durationSeconds: { type: "number", required: true },
        },
      },
    },
    indexes: {
      byRoom: {
        pk: { ...keys.primary.pk, composite: ["roomId"] },
        sk: { ...keys.primary.sk, composite: ["seq"] },
      },
      byId: {
        index: keys.gsi1.index,
        pk: { ...keys.gsi1.pk, composite: ["messageId"] },
        sk: { ...keys.gsi1.sk, composite: [] },
      },
    },
  },
  configuration(),
);

export type RoomItem = NonNullable<Awaited<ReturnType<ReturnType<typeof RoomEntity.get>["go"]>>["data"]>;
export type MembershipItem = NonNullable<
  Awaited<ReturnType<ReturnType<typeof MembershipEntity.get>["go"]>>["data"]
>;
export type MessageItem = NonNullable<
  Awaited<ReturnType<ReturnType<typeof MessageEntity.get>["go"]>>["data"]
>;
