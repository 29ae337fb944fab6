import type * as Batch from "../dynamo/batch";

/** What a reader's last home read learnt, to start the next in one round: a hint, never a wrong page. */
export interface ReadAhead {
  recall(userId: string): Learnt;
  remember(userId: string, learnt: Learnt): void;
  forget(userId: string): void;
}

export interface Learnt {
  followed?: string[];
  head?: Batch.Key[];
}

/** Every read cold (tests, or a deploy that wants no per-instance state). */
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
