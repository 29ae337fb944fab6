import type * as Batch from "../dynamo/batch";

/**
 * A port for what a reader's last home read learnt, so their next read can start it at once: the big authors
 * they followed (their feeds are read beside the key query) and the keys their first page batch-read (read
 * again beside it, so an unchanged polled page is one round). Only a hint: a wrong or missing one costs a round,
 * never a wrong page. A Lambda instance keeps one in memory; `none` makes every read cold.
 */
export interface ReadAhead {
  recall(userId: string): Learnt;
  remember(userId: string, learnt: Learnt): void;
  forget(userId: string): void;
}

export interface Learnt {
  followed?: string[];
  head?: Batch.Key[];
}

export const none: ReadAhead = {
  recall: () => ({}),
  remember: () => {},
  forget: () => {},
};

/** Remembers up to `readers` readers; the one seen least recently is dropped first. */
export function inMemory(readers = 10_000): ReadAhead {
  const items = new Map<string, Learnt>();
  return {
    recall: (userId) => items.get(userId) ?? {},
    remember(userId, learnt) {
      const merged = { ...items.get(userId), ...learnt };
      items.delete(userId);
      if (items.size >= readers) items.delete(items.keys().next().value!);
      items.set(userId, merged);
    },
    forget: (userId) => void items.delete(userId),
  };
}
