export * as Follow from "./index";

import * as z from "zod";
import { useUserId } from "../actor";
import { transact } from "../dynamo/service";
import { VisibleError } from "../error";
import { Limit } from "../limit";
import { blocked, unblockedChecks } from "../safety/checks";
import { key } from "../timeline/keys";
import * as Users from "../user/read";
import { fn } from "../util";
import { FollowEntity } from "./follow.entity";

/** Whether `followerId` follows `followeeId`: one key read. */
export async function exists(followerId: string, followeeId: string): Promise<boolean> {
  if (followerId === followeeId) return false;
  const result = await FollowEntity.get({ followerId, followeeId }).go();
  return result.data !== null;
}

/** Which of `userIds` the follower follows: one batch get of edges (oneself is never followed). */
export async function followedBy(
  followerId: string,
  userIds: string[],
  options: { consistent?: boolean } = {},
): Promise<Set<string>> {
  const others = [...new Set(userIds)].filter((id) => id !== followerId);
  if (others.length === 0) return new Set();
  const { data } = await FollowEntity.get(others.map((followeeId) => ({ followerId, followeeId }))).go({
    consistent: options.consistent ?? false,
  });
  return new Set(data.map((edge) => edge.followeeId));
}

/** Which of `userIds` follow `followeeId`: one batch get of edges (oneself never follows oneself). */
export async function followersAmong(followeeId: string, userIds: string[]): Promise<Set<string>> {
  const others = [...new Set(userIds)].filter((id) => id !== followeeId);
  if (others.length === 0) return new Set();
  const { data } = await FollowEntity.get(others.map((followerId) => ({ followerId, followeeId }))).go();
  return new Set(data.map((edge) => edge.followerId));
}

async function userIdOf(handle: string): Promise<string> {
  const userId = await Users.idOf(handle);
  if (!userId) throw new VisibleError("not-found", "profile.not_found", `No one has the handle @${handle}.`);
  return userId;
}

const Target = z.object({ handle: z.string().min(1).max(64) });

/** Bumps the home state in the same transaction so the follower's next read recomputes its big authors. */
export const follow = fn(Target, async ({ handle }) => {
  const followerId = useUserId();
  const followeeId = await userIdOf(handle);
  if (followeeId === followerId)
    throw new VisibleError("input", "follow.self", "You cannot follow yourself.");
  if (!(await Users.stored(followerId)))
    throw new VisibleError("not-found", "profile.not_found", "Create your profile first.");
  await Limit.consume("follow");
  const outcome = await transact(({ follow, user, homeState, block }) => ({
    // A block either way (even one made this moment) cancels the follow.
    unblocked: unblockedChecks({ block }, followerId, followeeId),
    edge: follow.create({ followerId, followeeId }).commit(),
    follower: user.patch({ userId: followerId }).add({ following: 1 }).commit(),
    // A suspended user is nobody to others (their profile is 404), so they cannot be followed either.
    followee: user
      .patch({ userId: followeeId })
      .add({ followers: 1 })
      .where((a, op) => op.notExists(a.suspendedAt))
      .commit(),
    home: homeState
      .update({ feed: key.home(followerId) })
      .add({ version: 1 })
      .commit(),
  }));
  if (!outcome.ok && outcome.failed.includes("unblocked")) throw blocked();
  if (!outcome.ok && outcome.failed.includes("followee"))
    throw new VisibleError("not-found", "profile.not_found", `No one has the handle @${handle}.`);
  // Already following is the no-op; otherwise the user may try again.
  if (!outcome.ok && !(await exists(followerId, followeeId)))
    throw new VisibleError("conflict", "follow.retry", "Could not follow right now; please try again.");
});

/** Unfollows; unfollowing someone you don't follow is a no-op. Like follow, it bumps the home state version. */
export const unfollow = fn(Target, async ({ handle }) => {
  const followerId = useUserId();
  const followeeId = await userIdOf(handle);
  if (followeeId === followerId) return;
  await Limit.consume("follow");
  const outcome = await transact(({ follow, user, homeState }) => ({
    edge: follow
      .delete({ followerId, followeeId })
      .where((attr, op) => op.exists(attr.followerId))
      .commit(),
    follower: user.patch({ userId: followerId }).subtract({ following: 1 }).commit(),
    followee: user.patch({ userId: followeeId }).subtract({ followers: 1 }).commit(),
    home: homeState
      .update({ feed: key.home(followerId) })
      .add({ version: 1 })
      .commit(),
  }));
  if (!outcome.ok && (await exists(followerId, followeeId)))
    throw new VisibleError("conflict", "follow.retry", "Could not unfollow right now; please try again.");
});

/** One page of a user's followers' ids by key, from `cursor` (null: the first), with the next page's cursor. */
export async function followersPage(
  userId: string,
  cursor: string | null,
  limit: number,
): Promise<{ ids: string[]; cursor: string | null }> {
  const result = await FollowEntity.query
    .byFollowee({ followeeId: userId })
    .go({ cursor, limit, attributes: ["followerId"] });
  return { ids: result.data.map((edge) => edge.followerId), cursor: result.cursor };
}

export const PAGE_SIZE = 20;

/** Who follows a user (`followers`) or whom a user follows (`following`), newest edge key order, paged. */
export async function list(
  handle: string,
  direction: "followers" | "following",
  options: { cursor?: string; limit?: number } = {},
): Promise<{ userIds: string[]; cursor: string | null }> {
  const userId = await userIdOf(handle);
  const limit = Math.min(Math.max(options.limit ?? PAGE_SIZE, 1), 100);
  const go = { limit, cursor: options.cursor ?? null };
  const page = await (direction === "followers"
    ? FollowEntity.query.byFollowee({ followeeId: userId }).go(go)
    : FollowEntity.query.byFollower({ followerId: userId }).go(go)
  ).catch((error: unknown) => {
    if (options.cursor) throw invalidCursor();
    throw error;
  });
  return {
    userIds: page.data.map((edge) => (direction === "followers" ? edge.followerId : edge.followeeId)),
    cursor: page.cursor,
  };
}

const invalidCursor = () =>
  new VisibleError("input", "cursor.invalid", "The cursor is not valid; start again from the first page.");

/** Ids of up to `limit` people a user follows, in key order: one query. */
export async function followingIds(userId: string, limit: number): Promise<string[]> {
  const { data } = await FollowEntity.query
    .byFollower({ followerId: userId })
    .go({ limit, attributes: ["followeeId"] });
  return data.map((edge) => edge.followeeId);
}
