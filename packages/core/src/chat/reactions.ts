import { envelope } from "@asyncsns/realtime";
import { useUserId } from "../actor";
import { transact } from "../dynamo/service";
import { VisibleError } from "../error";
import * as Users from "../user/read";
import { fn } from "../util";
import { memberIds, notMember, requireMember } from "./access";
import { deliver } from "./delivery";
import { React } from "./inputs";
import { COUNTER, type Counter, countsOf, myReactions } from "./reaction-counts";
import { MessageEntity, type MessageItem } from "./room.entity";
import { type Message, serialize } from "./rooms";

// Reacting twice, or taking back a reaction one never gave, changes nothing and tells no one.

/** Adds the caller's emoji to a message; members get chat.reaction. Answers the message as the caller sees it. */
export const react = fn(React, async (input) => change(input, true));

/** Takes the caller's emoji back. */
export const unreact = fn(React, async (input) => change(input, false));

async function change(
  { roomId, messageId, emoji }: { roomId: string; messageId: string; emoji: keyof typeof COUNTER },
  reacted: boolean,
): Promise<Message> {
  const userId = useUserId();
  await requireMember(roomId, userId);
  const target = await messageIn(roomId, messageId);
  const { seq } = target;
  const counter: Partial<Record<Counter, number>> = { [COUNTER[emoji]]: 1 };
  const outcome = await transact(({ chatReaction, message, membership }) => ({
    reaction: reacted
      ? chatReaction.create({ roomId, userId, seq, emoji, messageId }).commit()
      : chatReaction
          .delete({ roomId, userId, seq, emoji })
          .where((a, op) => op.exists(a.messageId))
          .commit(),
    message: (reacted
      ? message.patch({ roomId, seq }).add(counter)
      : message.patch({ roomId, seq }).subtract(counter)
    )
      .where((a, op) => op.notExists(a.deletedAt))
      .commit(),
    member: membership
      .check({ roomId, userId })
      .where((a, op) => op.exists(a.userId))
      .commit(),
  }));
  if (!outcome.ok) {
    if (outcome.failed.includes("member")) throw notMember();
    if (outcome.failed.includes("message")) throw gone();
    if (!outcome.failed.includes("reaction"))
      throw new VisibleError("conflict", "chat.retry", "The message changed meanwhile; please try again.");
  }
  const fresh = await MessageEntity.get({ roomId, seq }).go({ consistent: true });
  const item = (fresh.data ?? target) as MessageItem;
  if (outcome.ok) {
    const count = item[COUNTER[emoji]] ?? 0;
    await deliver(
      await memberIds(roomId),
      envelope("chat.reaction", { roomId, messageId, seq, emoji, userId, reacted, count }),
    );
  }
  // A suspended sender's message reads like a deleted user's here too.
  const [reactions, hiddenSenders] = await Promise.all([
    myReactions(roomId, userId, seq, seq),
    Users.goneAmong([item.senderId]),
  ]);
  return { ...(await serialize(item, hiddenSenders)), reactions: countsOf(item, reactions.get(seq)) };
}

async function messageIn(roomId: string, messageId: string): Promise<MessageItem> {
  const found = await MessageEntity.query.byId({ messageId }).go();
  const item = found.data[0];
  if (!item || item.roomId !== roomId)
    throw new VisibleError("not-found", "chat.message_not_found", "This message does not exist.");
  if (item.deletedAt) throw gone();
  return item;
}

const gone = () => new VisibleError("not-found", "chat.message_not_found", "This message was deleted.");
