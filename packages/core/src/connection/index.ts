export * as Connection from "./index";

import { conditionally } from "../dynamo";
import { ConnectionEntity } from "./connection.entity";

export async function add(connectionId: string, userId: string): Promise<void> {
  await ConnectionEntity.put({ connectionId, userId }).go();
}

export async function remove(connectionId: string): Promise<void> {
  await ConnectionEntity.delete({ connectionId }).go();
}

export async function owner(connectionId: string): Promise<string | undefined> {
  const result = await ConnectionEntity.get({ connectionId }).go();
  return result.data?.userId;
}

/** Every live connection of a user: one query on the reverse index. */
export async function ofUser(userId: string): Promise<string[]> {
  const result = await ConnectionEntity.query.byUser({ userId }).go({ pages: "all" });
  return result.data.map((item) => item.connectionId);
}

/** A conditional write on the connection item, so the limit holds across Lambda instances. */
export async function throttleTyping(connectionId: string, everyMs: number): Promise<boolean> {
  const now = Date.now();
  return conditionally(
    ConnectionEntity.patch({ connectionId })
      .set({ lastTypingAt: now })
      .where(
        ({ lastTypingAt }, { notExists, lt }) =>
          `${notExists(lastTypingAt)} OR ${lt(lastTypingAt, now - everyMs)}`,
      )
      .go(),
  );
}
