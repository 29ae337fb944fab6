export * as User from "./index";

import * as z from "zod";
import { useUserId } from "../actor";
import { transact } from "../dynamo/service";
import { VisibleError } from "../error";
import { Follow } from "../follow";
import { avatarUrlOf } from "../media/urls";
import * as Reactions from "../timeline/reactions";
import { fn, graphemeLength } from "../util";
import { HandleEntity, UserEntity } from "./user.entity";

export const HANDLE_PATTERN = /^[A-Za-z0-9_]{3,20}$/;

export const Handle = z
  .string()
  .trim()
  .refine((value) => HANDLE_PATTERN.test(value), {
    message: "A handle is 3–20 letters, digits or underscores.",
    params: { code: "profile.invalid_handle" },
  });

export const DisplayName = z
  .string()
  .trim()
  .refine((value) => graphemeLength(value) >= 1 && graphemeLength(value) <= 50, {
    message: "A display name is 1–50 characters.",
    params: { code: "profile.invalid_display_name" },
  });

export const Bio = z.string().refine((value) => graphemeLength(value) <= 300, {
  message: "A bio is at most 300 characters.",
  params: { code: "profile.invalid_bio" },
});

export const Info = z
  .object({
    id: z.string(),
    handle: z.string(),
    displayName: z.string(),
    bio: z.string(),
    avatarUrl: z.string().nullable(),
    followers: z.number().int(),
    following: z.number().int(),
    createdAt: z.string(),
  })
  .meta({ id: "Profile" });
export type Info = z.infer<typeof Info>;

export const PublicInfo = Info.extend({ followedByMe: z.boolean(), followsMe: z.boolean() }).meta({
  id: "PublicProfile",
});
export type PublicInfo = z.infer<typeof PublicInfo>;

/** Handles are unique regardless of case; the chosen spelling is kept for display. */
export const handleKey = (handle: string) => handle.toLowerCase();

export const create = fn(z.object({ handle: Handle, displayName: DisplayName }), async (input) => {
  const userId = useUserId();
  const existing = await UserEntity.get({ userId }).go();
  if (existing.data) throw new VisibleError("conflict", "profile.exists", "You already have a profile.");
  const outcome = await transact(({ user, handle, reactions }) => ({
    handle: handle.create({ handleKey: handleKey(input.handle), userId }).commit(),
    user: user
      .create({ userId, handle: input.handle, displayName: input.displayName, cardAt: Date.now() })
      .commit(),
    // A new profile has no likes or reposts yet: its own sets are exact from the first post on.
    reactions: reactions
      .update({ feed: Reactions.feedOf(userId) })
      .data(({ coveredFrom }, { ifNotExists }) => ifNotExists(coveredFrom, Reactions.START))
      .commit(),
  }));
  if (!outcome.ok) {
    // The handle item holds its owner: taken by someone else, or this user's own profile made meanwhile.
    const taken = outcome.failed.includes("handle")
      ? await HandleEntity.get({ handleKey: handleKey(input.handle) }).go()
      : undefined;
    if (taken?.data && taken.data.userId !== userId)
      throw new VisibleError(
        "conflict",
        "profile.handle_taken",
        `The handle @${input.handle} is already taken.`,
      );
    throw new VisibleError("conflict", "profile.exists", "You already have a profile.");
  }
  return mustGet(userId);
});

export async function me(): Promise<Info> {
  return mustGet(useUserId());
}

export async function fromId(userId: string): Promise<Info | undefined> {
  const result = await UserEntity.get({ userId }).go();
  return result.data ? serialize(result.data) : undefined;
}

export async function fromHandle(handle: string): Promise<Info | undefined> {
  if (!HANDLE_PATTERN.test(handle)) return undefined;
  const found = await HandleEntity.get({ handleKey: handleKey(handle) }).go();
  return found.data ? fromId(found.data.userId) : undefined;
}

/** A profile as the caller sees it, with the follow relation both ways. */
export async function view(handle: string): Promise<PublicInfo> {
  const profile = await fromHandle(handle);
  if (!profile) throw new VisibleError("not-found", "profile.not_found", `No one has the handle @${handle}.`);
  const viewer = useUserId();
  const [followedByMe, followsMe] = await Promise.all([
    Follow.exists(viewer, profile.id),
    Follow.exists(profile.id, viewer),
  ]);
  return { ...profile, followedByMe, followsMe };
}

async function mustGet(userId: string): Promise<Info> {
  const profile = await fromId(userId);
  if (!profile)
    throw new VisibleError("not-found", "profile.not_found", "Create your profile first: choose a handle.");
  return profile;
}

type UserItem = NonNullable<Awaited<ReturnType<ReturnType<typeof UserEntity.get>["go"]>>["data"]>;

/** What a post shows of its author, copied onto the post (see UserEntity.cardAt). */
export interface Card {
  handle: string;
  displayName: string;
  avatarKey?: string;
  at: number;
}

export const cardOf = (item: {
  handle: string;
  displayName: string;
  avatarKey?: string | undefined;
  cardAt?: number | undefined;
}): Card => ({
  handle: item.handle,
  displayName: item.displayName,
  ...(item.avatarKey ? { avatarKey: item.avatarKey } : {}),
  at: item.cardAt ?? 0,
});

/** A stored user as its public profile (for callers that read the item themselves, e.g. a mixed batch get). */
export const toInfo = (item: UserItem): Info => serialize(item);

function serialize(item: UserItem): Info {
  return {
    id: item.userId,
    handle: item.handle,
    displayName: item.displayName,
    bio: item.bio,
    avatarUrl: avatarUrlOf(item.avatarKey),
    followers: item.followers,
    following: item.following,
    createdAt: new Date(item.createdAt).toISOString(),
  };
}

/** Many profiles in one batch get (authors of a page of posts), by id; missing ids are left out. */
export async function many(userIds: string[]): Promise<Map<string, Info>> {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return new Map();
  const { data } = await UserEntity.get(unique.map((userId) => ({ userId }))).go();
  return new Map(data.map((item) => [item.userId, serialize(item)]));
}

export const ListedInfo = Info.extend({ followedByMe: z.boolean(), followsMe: z.boolean() }).meta({
  id: "ListedProfile",
});
export type ListedInfo = z.infer<typeof ListedInfo>;

/**
 * Followers or followees of a user as profiles, each with the follow relation to the caller both ways: one key
 * query of edges, then one batch get of profiles and one for each direction of the caller's edges, side by side.
 */
export async function connections(
  handle: string,
  direction: "followers" | "following",
  options: { cursor?: string; limit?: number } = {},
): Promise<{ items: ListedInfo[]; cursor: string | null }> {
  const viewer = useUserId();
  const { userIds, cursor } = await Follow.list(handle, direction, options);
  const [profiles, followed, following] = await Promise.all([
    many(userIds),
    Follow.followedBy(viewer, userIds),
    Follow.followersAmong(viewer, userIds),
  ]);
  return {
    items: userIds.flatMap((id) => {
      const profile = profiles.get(id);
      return profile ? [{ ...profile, followedByMe: followed.has(id), followsMe: following.has(id) }] : [];
    }),
    cursor,
  };
}
