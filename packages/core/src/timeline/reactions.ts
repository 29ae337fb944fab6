import { conditionally } from "../dynamo";
import { ReactionsEntity } from "./feed.entity";
import { key } from "./keys";

/** In the home partition so a page needs no key per post; exact only for seqs at or above `from`. */
export interface Reactions {
  from: string;
  liked: Set<string>;
  reposted: Set<string>;
}

/** Every like rewrites the whole item twice, so its size is bounded. */
export const MAX = 200;
export const KEEP = 100;
/** A like or repost reads its reader's sets to trim them with this probability (a read seldom trims them). */
const TRIM_CHECK = 1 / 32;

export const feedOf = key.home;

/** Whether `seq`'s post is in the sets exactly (liked ⇔ in `liked`), so it needs no per-key read. */
export const covers = (reactions: Reactions | undefined, seq: string): reactions is Reactions =>
  reactions !== undefined && seq >= reactions.from;

// A raw read unmarshalls a string set as a Set; ElectroDB gives an array.
const asSet = (value: unknown) =>
  value instanceof Set
    ? (value as Set<string>)
    : new Set<string>(Array.isArray(value) ? (value as string[]) : []);

/** The sets as stored (DynamoDB string sets), if they were ever made exact. */
export function fromItem(item: Record<string, unknown>): Reactions | undefined {
  if (typeof item.coveredFrom !== "string") return undefined;
  return { from: item.coveredFrom, liked: asSet(item.liked), reposted: asSet(item.reposted) };
}

/** A new profile has liked nothing: its sets are exact from the very first post. */
export const START = "0";

/** Conditional on `from` being unchanged, so two trims never interleave. */
export async function trim(userId: string, reactions: Reactions): Promise<void> {
  // Every home read calls this: the common case (well under MAX) costs two size reads, no sort.
  if (reactions.liked.size + reactions.reposted.size <= MAX) return;
  const seqs = [...new Set([...reactions.liked, ...reactions.reposted])].sort();
  if (seqs.length <= MAX) return;
  const kept = seqs[seqs.length - KEEP]!;
  const from = [kept, reactions.from].sort().at(-1)!;
  const below = (set: Set<string>) => [...set].filter((seq) => seq < from);
  const [liked, reposted] = [below(reactions.liked), below(reactions.reposted)];
  await conditionally(
    ReactionsEntity.update({ feed: feedOf(userId) })
      .set({ coveredFrom: from })
      .delete({ ...(liked.length ? { liked } : {}), ...(reposted.length ? { reposted } : {}) })
      .where((attr, op) => op.eq(attr.coveredFrom, reactions.from))
      .go(),
  );
}

/** After a like or repost: now and then, read the reader's sets and trim them if they grew past MAX. */
export async function maybeTrim(userId: string, chance = TRIM_CHECK): Promise<void> {
  if (Math.random() >= chance) return;
  const reactions = await read(userId);
  if (reactions) await trim(userId, reactions);
}

/** A reader's sets by key (a later home page, which starts below them). */
export async function read(userId: string): Promise<Reactions | undefined> {
  const { data } = await ReactionsEntity.get({ feed: feedOf(userId) }).go({ consistent: true });
  return data ? fromItem(data) : undefined;
}
