export * as Safety from "./index";

import * as z from "zod";
import { useUserId } from "../actor";
import { type Entities, transact } from "../dynamo/service";
import { VisibleError } from "../error";
import { FollowEntity } from "../follow/follow.entity";
import { createId } from "../id";
import { Limit } from "../limit";
import * as Limits from "../text/limits";
import { key } from "../timeline/keys";
import * as Users from "../user/read";
import { fn, freeText } from "../util";
import { type MutedWord, mutedWordItems } from "./hidden";
import { expiryOf, MAX_EXPIRES_IN, MAX_WORD, MAX_WORDS, normalizeWord } from "./rules";
import { BlockEntity, MutedWordEntity, MuteEntity } from "./safety.entity";

export { blocked, blockedIds, isBlocked, requireUnblocked, unblockedChecks } from "./checks";
export {
  blockedFor,
  hiddenFor,
  MutedWord,
  mutedIds,
  mutedWordItems,
  mutedWords,
  silences,
} from "./hidden";
export { relation } from "./relation";
export { type Hidden, hides, matchesWord, NOTHING, normalizeWord } from "./rules";

// Blocks and mutes are checked here, in core, by every path they close (follow, rooms, messages, calls, reads).

export const Target = z.object({ handle: z.string().min(1).max(64) });

async function targetOf(handle: string, verb: string): Promise<{ me: string; other: string }> {
  const me = useUserId();
  const other = await Users.idOf(handle.replace(/^@/, ""));
  if (!other) throw new VisibleError("not-found", "profile.not_found", `No one has the handle @${handle}.`);
  if (other === me) throw new VisibleError("input", `${verb}.self`, `You cannot ${verb} yourself.`);
  if (!(await Users.stored(me)))
    throw new VisibleError("not-found", "profile.not_found", "Create your profile first.");
  return { me, other };
}

const ATTEMPTS = 4;

/**
 * Blocks: the block item and the end of both follows (with their counters) in one transaction. The route also ends
 * the two's call (safety/block.ts, apart so the Query Lambda, reading this module, links no socket or push).
 */
export const block = fn(Target, async ({ handle }) => {
  const { me, other } = await targetOf(handle, "block");
  await Limit.consume("follow");
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    // Consistent: a follow made the moment before must end with the block.
    const [mine, theirs] = await Promise.all([
      FollowEntity.get({ followerId: me, followeeId: other }).go({ consistent: true }),
      FollowEntity.get({ followerId: other, followeeId: me }).go({ consistent: true }),
    ]);
    const [ab, ba] = [mine.data ? 1 : 0, theirs.data ? 1 : 0];
    // One item per user in a transaction: each side's counters change in one update.
    const counters = (user: Entities["user"], userId: string, following: number, followers: number) =>
      following + followers > 0
        ? user.patch({ userId }).subtract({ following, followers }).commit()
        : undefined;
    const outcome = await transact(({ block, follow, user, homeState }) => {
      const unfollow = (followerId: string, followeeId: string) => [
        follow
          .delete({ followerId, followeeId })
          .where((attr, op) => op.exists(attr.followerId))
          .commit(),
        homeState
          .update({ feed: key.home(followerId) })
          .add({ version: 1 })
          .commit(),
      ];
      return {
        block: block.create({ blockerId: me, blockedId: other }).commit(),
        mine: ab ? unfollow(me, other) : undefined,
        theirs: ba ? unfollow(other, me) : undefined,
        me: counters(user, me, ab, ba),
        other: counters(user, other, ba, ab),
      };
    });
    // Already blocking: follows cannot have been made since (follow checks for blocks in its transaction).
    if (outcome.ok || outcome.failed.includes("block")) return { blockerId: me, blockedId: other };
    // A follow changed meanwhile: read again.
  }
  throw new VisibleError("conflict", "block.retry", "Could not block right now; please try again.");
});

/** Unblocks; unblocking someone you don't block is a no-op. Follows are not restored. */
export const unblock = fn(Target, async ({ handle }) => {
  const { me, other } = await targetOf(handle, "block");
  await Limit.consume("follow");
  await BlockEntity.delete({ blockerId: me, blockedId: other }).go();
});

export const mute = fn(Target, async ({ handle }) => {
  const { me, other } = await targetOf(handle, "mute");
  await Limit.consume("follow");
  // Create only if absent: muting twice keeps the first time.
  await MuteEntity.create({ muterId: me, mutedId: other })
    .go()
    .catch((error: unknown) => {
      if ((error as { cause?: { name?: string } }).cause?.name !== "ConditionalCheckFailedException")
        throw error;
    });
});

export const unmute = fn(Target, async ({ handle }) => {
  const { me, other } = await targetOf(handle, "mute");
  await Limit.consume("follow");
  await MuteEntity.delete({ muterId: me, mutedId: other }).go();
});

export const Card = Users.Info.pick({
  id: true,
  handle: true,
  displayName: true,
  avatarUrl: true,
  bio: true,
}).meta({
  id: "UserCard",
});
export type Card = z.infer<typeof Card>;

const PageInput = z.object({
  cursor: z.string().max(2048).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

const cardsOf = async (ids: string[]): Promise<Card[]> => {
  const profiles = await Users.many(ids);
  return ids.flatMap((id) => {
    const p = profiles.get(id);
    return p
      ? [{ id: p.id, handle: p.handle, displayName: p.displayName, avatarUrl: p.avatarUrl, bio: p.bio }]
      : [];
  });
};

const invalidCursor = () =>
  new VisibleError("input", "cursor.invalid", "The cursor is not valid; start again from the first page.");

/** The people the caller blocks, a page in key order. */
export const blocks = fn(PageInput, async ({ cursor, limit }) => {
  const page = await BlockEntity.query
    .byBlocker({ blockerId: useUserId() })
    .go({ cursor: cursor ?? null, limit: limit ?? 20 })
    .catch((error: unknown) => {
      throw cursor ? invalidCursor() : error;
    });
  return { items: await cardsOf(page.data.map((b) => b.blockedId)), cursor: page.cursor };
});

/** The people the caller mutes, a page in key order. */
export const mutes = fn(PageInput, async ({ cursor, limit }) => {
  const page = await MuteEntity.query
    .byMuter({ muterId: useUserId() })
    .go({ cursor: cursor ?? null, limit: limit ?? 20 })
    .catch((error: unknown) => {
      throw cursor ? invalidCursor() : error;
    });
  return { items: await cardsOf(page.data.map((m) => m.mutedId)), cursor: page.cursor };
});

const serializeWord = (w: { wordId: string; word: string; expiresAt?: number | undefined }): MutedWord => ({
  id: w.wordId,
  word: w.word,
  ...(w.expiresAt === undefined ? {} : { expiresAt: new Date(w.expiresAt).toISOString() }),
});

export async function words(): Promise<{ items: MutedWord[] }> {
  return { items: (await mutedWordItems(useUserId())).map(serializeWord) };
}

export const AddWord = z
  .object({
    // Free text as every field checks it (length in bytes first, controls, lone surrogates, "zalgo" marks).
    word: freeText(Limits.MUTED_WORD).refine(
      (w) => normalizeWord(w).length > 0 && [...normalizeWord(w)].length <= MAX_WORD,
      {
        message: `A muted word is 1–${MAX_WORD} characters.`,
        params: { code: "muted_word.invalid" },
      },
    ),
    expiresIn: z.number().int().min(60).max(MAX_EXPIRES_IN).optional(),
  })
  .meta({ id: "MutedWordInput" });

/** Mutes a word or #hashtag; muting one already muted changes its expiry. */
export const addWord = fn(AddWord, async ({ word, expiresIn }): Promise<MutedWord> => {
  const userId = useUserId();
  await Limit.consume("follow");
  const now = Date.now();
  const expiresAt = expiryOf(expiresIn, now);
  const expireAt = expiresAt === undefined ? undefined : Math.ceil(expiresAt / 1000);
  const current = await mutedWordItems(userId, now);
  const same = current.find((w) => normalizeWord(w.word) === normalizeWord(word));
  if (same) {
    const update = MutedWordEntity.patch({ userId, wordId: same.wordId });
    const { data } = await (expiresAt === undefined
      ? update.remove(["expiresAt", "expireAt"])
      : update.set({ expiresAt, expireAt: expireAt! })
    ).go({ response: "all_new" });
    return serializeWord(data);
  }
  if (current.length >= MAX_WORDS)
    throw new VisibleError("input", "muted_word.too_many", `You can mute at most ${MAX_WORDS} words.`);
  const item = { userId, wordId: createId("mwd"), word: word.trim(), expiresAt, expireAt, createdAt: now };
  await MutedWordEntity.create(item).go();
  return serializeWord(item);
});

export const RemoveWord = z.object({
  id: z.string().regex(/^mwd_[0-9A-HJKMNP-TV-Z]{26}$/, "Not a muted word id."),
});

/** Unmutes a word; an unknown id is a no-op (already gone, e.g. expired). */
export const removeWord = fn(RemoveWord, async ({ id }) => {
  await MutedWordEntity.delete({ userId: useUserId(), wordId: id }).go();
});
