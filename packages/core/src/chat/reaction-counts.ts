import { type Emoji, REACTIONS, type ReactionCount } from "@asyncsns/realtime";
import { ChatReactionEntity } from "./reaction.entity";
import type { MessageItem } from "./room.entity";

// The read side of reactions: counts live on the message, the reader's own choices in their reaction items.

/** The message attribute counting each emoji of the fixed set. */
export const COUNTER = {
  "👍": "reactThumbs",
  "❤️": "reactHeart",
  "😂": "reactLaugh",
  "😮": "reactWow",
  "😢": "reactSad",
  "🙏": "reactPray",
} as const satisfies Record<Emoji, keyof MessageItem>;

export type Counter = (typeof COUNTER)[Emoji];

/** A message's counts in REACTIONS order, those above zero only, with the reader's own marked. */
export function countsOf(item: MessageItem, mine: ReadonlySet<string> = new Set()): ReactionCount[] {
  if (item.deletedAt) return [];
  return REACTIONS.flatMap((emoji) => {
    const count = item[COUNTER[emoji]] ?? 0;
    return count > 0 ? [{ emoji, count, mine: mine.has(emoji) }] : [];
  });
}

/** The reader's reactions on messages `from`..`to` of a room: one range query, keyed by seq. */
export async function myReactions(
  roomId: string,
  userId: string,
  from: number,
  to: number,
): Promise<Map<number, Set<string>>> {
  const out = new Map<number, Set<string>>();
  if (to < from) return out;
  // The sort key is seq#emoji: the upper bound is the next seq, so every emoji of `to` is inside.
  const { data } = await ChatReactionEntity.query
    .byMember({ roomId, userId })
    .between({ seq: from }, { seq: to + 1 })
    .go({ pages: "all" });
  for (const r of data) {
    if (r.seq > to) continue;
    const set = out.get(r.seq) ?? new Set<string>();
    set.add(r.emoji);
    out.set(r.seq, set);
  }
  return out;
}
