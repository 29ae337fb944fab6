// What blocks, mutes and muted words hide, as pure decisions (unit-tested without a table).
import { normalizeTag } from "../text";

/** A muted word is at most this many characters (a phrase, not a paragraph). */
export const MAX_WORD = 100;
/** Muted words per person: enough for anyone, small enough to test every post against. */
export const MAX_WORDS = 100;
/** The longest expiry offered (a year); none means forever. */
export const MAX_EXPIRES_IN = 365 * 24 * 3600;

/** A word as it is matched: NFKC, lowercase, inner spaces folded; a full-width ＃ is a #. */
export function normalizeWord(word: string): string {
  return word.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
}

export interface Shown {
  author: { id: string };
  repostedBy?: { id: string } | undefined;
  text: string;
  hashtags: string[];
}

/** A "#tag" matches the post's tags (as posts normalise them); any other word matches inside the text. */
export function matchesWord(post: Pick<Shown, "text" | "hashtags">, word: string): boolean {
  const wanted = normalizeWord(word);
  if (!wanted) return false;
  if (wanted.startsWith("#")) {
    const tag = normalizeTag(wanted.slice(1));
    if (tag && post.hashtags.includes(tag)) return true;
  }
  return normalizeWord(post.text).includes(wanted);
}

/** Whom and what a reader does not want to see. */
export interface Hidden {
  users: ReadonlySet<string>;
  words: readonly string[];
}

export const NOTHING: Hidden = { users: new Set(), words: [] };

/** Hidden when its author or reposter is hidden, or it holds a muted word. */
export function hides(hidden: Hidden, post: Shown): boolean {
  if (hidden.users.has(post.author.id)) return true;
  if (post.repostedBy && hidden.users.has(post.repostedBy.id)) return true;
  return hidden.words.some((word) => matchesWord(post, word));
}

/** A word's expiry (ms) from `expiresIn` seconds; none: forever. */
export const expiryOf = (expiresIn: number | undefined, now: number) =>
  expiresIn === undefined ? undefined : now + expiresIn * 1000;

/** Still muting at `now`: no expiry, or one in the future. */
export const isActive = (word: { expiresAt?: number | undefined }, now: number) =>
  word.expiresAt === undefined || word.expiresAt > now;
