import * as z from "zod";
import { blockedIds, isBlocked } from "./checks";
import { type Hidden, isActive, normalizeWord } from "./rules";
import { MutedWordEntity, MuteEntity } from "./safety.entity";

// What readers (timelines, replies, search, notifications) leave out for a person.

/** Everyone `userId` mutes: one key query. */
export async function mutedIds(userId: string): Promise<Set<string>> {
  const { data } = await MuteEntity.query
    .byMuter({ muterId: userId })
    .go({ pages: "all", attributes: ["mutedId"] });
  return new Set(data.map((m) => m.mutedId));
}

export const MutedWord = z
  .object({ id: z.string(), word: z.string(), expiresAt: z.string().optional() })
  .meta({ id: "MutedWord" });
export type MutedWord = z.infer<typeof MutedWord>;

/** `userId`'s muted words still in force, oldest first (the TTL sweeps expired ones late, so they are skipped here). */
export async function mutedWordItems(userId: string, now = Date.now()) {
  const { data } = await MutedWordEntity.query.byUser({ userId }).go({ pages: "all", consistent: true });
  return data.filter((w) => isActive(w, now));
}

/** The words (normalised) `userId` mutes now. */
export async function mutedWords(userId: string): Promise<string[]> {
  return (await mutedWordItems(userId)).map((w) => normalizeWord(w.word));
}

/** What a timeline (home, public, tag) hides from `userId`: blocks both ways, mutes and muted words. */
export async function hiddenFor(userId: string): Promise<Hidden> {
  const [blocks, mutes, words] = await Promise.all([
    blockedIds(userId),
    mutedIds(userId),
    mutedWords(userId),
  ]);
  return { users: new Set([...blocks, ...mutes]), words };
}

/** What replies and search hide from `userId`: blocks both ways only (searching for someone finds the muted). */
export async function blockedFor(userId: string): Promise<Hidden> {
  return { users: await blockedIds(userId), words: [] };
}

/** Whether `recipient` wants no news from `actor`: a block either way, or a mute. */
export async function silences(recipient: string, actor: string): Promise<boolean> {
  if (recipient === actor) return false;
  const [block, mute] = await Promise.all([
    isBlocked(recipient, actor),
    MuteEntity.get({ muterId: recipient, mutedId: actor }).go(),
  ]);
  return block || mute.data !== null;
}
