import type { Entities } from "../dynamo/service";
import { VisibleError } from "../error";
import { BlockEntity } from "./safety.entity";

// The block checks other domains make (follow, chat, calls, notifications): the block entity only, no use cases.

/** What a blocked action answers: 403 `user.blocked`. */
export const blocked = (message = "You cannot do this: one of you has blocked the other.") =>
  new VisibleError("forbidden", "user.blocked", message);

/** Whether either of the two blocks the other: two key reads. */
export async function isBlocked(a: string, b: string): Promise<boolean> {
  if (a === b) return false;
  const [ab, ba] = await Promise.all([
    BlockEntity.get({ blockerId: a, blockedId: b }).go({ consistent: true }),
    BlockEntity.get({ blockerId: b, blockedId: a }).go({ consistent: true }),
  ]);
  return ab.data !== null || ba.data !== null;
}

/** Throws `user.blocked` when `userId` and any of `others` block each other. */
export async function requireUnblocked(userId: string, others: string[], message?: string) {
  const found = await Promise.all(others.map((other) => isBlocked(userId, other)));
  if (found.some(Boolean)) throw blocked(message);
}

/** The condition checks a write adds so a block made meanwhile cancels it (both directions). */
export function unblockedChecks(entities: Pick<Entities, "block">, a: string, b: string) {
  return [
    entities.block
      .check({ blockerId: a, blockedId: b })
      .where((attr, op) => op.notExists(attr.blockerId))
      .commit(),
    entities.block
      .check({ blockerId: b, blockedId: a })
      .where((attr, op) => op.notExists(attr.blockerId))
      .commit(),
  ];
}

/** Everyone `userId` blocks or is blocked by: two key queries. */
export async function blockedIds(userId: string): Promise<Set<string>> {
  const [mine, theirs] = await Promise.all([
    BlockEntity.query.byBlocker({ blockerId: userId }).go({ pages: "all", attributes: ["blockedId"] }),
    BlockEntity.query.byBlocked({ blockedId: userId }).go({ pages: "all", attributes: ["blockerId"] }),
  ]);
  return new Set([...mine.data.map((b) => b.blockedId), ...theirs.data.map((b) => b.blockerId)]);
}
