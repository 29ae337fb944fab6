export * as Discover from "./index";

import * as z from "zod";
import { useUserId } from "../actor";
import { Follow } from "../follow";
import { Search } from "../search";
import { User } from "../user";
import { fn } from "../util";

/** How far "friends of friends" looks: a bounded number of key queries per request, whatever one follows. */
export const FRIENDS_SAMPLED = 20;
export const FRIENDS_OF_EACH = 25;
const POPULAR_SAMPLED = 30;

export const Suggestion = User.Info.extend({
  followsMe: z.boolean(),
  /** "friends": followed by people the caller follows (`mutuals` of them); "popular": widely followed and active. */
  reason: z.enum(["friends", "popular"]),
  mutuals: z.number().int(),
}).meta({ id: "Suggestion" });
export type Suggestion = z.infer<typeof Suggestion>;

export const Suggestions = z.object({ items: z.array(Suggestion) }).meta({ id: "Suggestions" });

/** Ranks friends of friends by how many of one's follows follow them; ties by id, so the answer is stable. */
export function rankFriendsOfFriends(
  me: string,
  lists: string[][],
  excluded: Set<string>,
): [string, number][] {
  const counts = new Map<string, number>();
  for (const list of lists)
    for (const id of new Set(list))
      if (id !== me && !excluded.has(id)) counts.set(id, (counts.get(id) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

/** Whom to follow: friends of friends first, then popular people; never oneself or anyone already followed. */
export const suggestions = fn(
  z.object({ limit: z.coerce.number().int().min(1).max(20).optional() }),
  async (input) => {
    const me = useUserId();
    const limit = input.limit ?? 5;
    const followed = await Follow.followingIds(me, 500);
    const sampled = followed.slice(0, FRIENDS_SAMPLED);
    const [lists, active] = await Promise.all([
      Promise.all(sampled.map((id) => Follow.followingIds(id, FRIENDS_OF_EACH))),
      Search.activeAuthors(POPULAR_SAMPLED).catch(() => [] as string[]),
    ]);
    const already = new Set(followed);
    const friends = rankFriendsOfFriends(me, lists, already);
    // A follow edge list past the first 500 is checked by key, so nobody followed slips through.
    const candidates = [...friends.map(([id]) => id), ...active.filter((id) => id !== me)];
    const stillFollowed =
      followed.length >= 500 ? await Follow.followedBy(me, candidates) : new Set<string>();
    const fresh = candidates.filter((id) => !already.has(id) && !stillFollowed.has(id));
    const profiles = await User.many(fresh);
    const mutuals = new Map(friends);
    const friendItems = friends.flatMap(([id]) => profiles.get(id) ?? []).slice(0, limit);
    const shown = new Set(friendItems.map((p) => p.id));
    // Popular: the active people with the most followers.
    const popularItems = active
      .flatMap((id) => (shown.has(id) || !fresh.includes(id) ? [] : (profiles.get(id) ?? [])))
      .sort((a, b) => b.followers - a.followers || (a.id < b.id ? -1 : 1))
      .slice(0, limit - friendItems.length);
    const items = [...friendItems, ...popularItems];
    const followsMe = await Follow.followersAmong(
      me,
      items.map((p) => p.id),
    );
    return {
      items: items.map((p) => ({
        ...p,
        followsMe: followsMe.has(p.id),
        reason: mutuals.has(p.id) ? ("friends" as const) : ("popular" as const),
        mutuals: mutuals.get(p.id) ?? 0,
      })),
    };
  },
);
