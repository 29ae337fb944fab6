import { Entity } from "electrodb";
import { configuration, keys, service } from "../dynamo";

// One item per (member, message, emoji): its conditional create makes a reaction idempotent and countable once.
export const ChatReactionEntity = new Entity(
  {
    model: { entity: "chatReaction", version: "1", service },
    attributes: {
      roomId: { type: "string", required: true, readOnly: true },
      userId: { type: "string", required: true, readOnly: true },
      // Zero-padded like the message's seq so a page of messages is one range query of the reader's reactions.
      seq: { type: "number", required: true, readOnly: true, padding: { length: 12, char: "0" } },
      emoji: { type: "string", required: true, readOnly: true },
      messageId: { type: "string", required: true, readOnly: true },
      createdAt: { type: "number", required: true, readOnly: true, default: () => Date.now() },
    },
    indexes: {
      byMember: {
        pk: { ...keys.primary.pk, composite: ["roomId", "userId"] },
        sk: { ...keys.primary.sk, composite: ["seq", "emoji"] },
      },
    },
  },
  configuration(),
);

export type ChatReactionItem = NonNullable<
  Awaited<ReturnType<ReturnType<typeof ChatReactionEntity.get>["go"]>>["data"]
>;
