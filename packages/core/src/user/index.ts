export * as User from "./index";

import * as z from "zod";
import { useUserId } from "../actor";
import { conditionally } from "../dynamo";
import { transact } from "../dynamo/service";
import { VisibleError } from "../error";
import { Follow } from "../follow";
import { relation } from "../safety/relation";
import * as Limits from "../text/limits";
import * as Reactions from "../timeline/reactions";
import { fn, freeText } from "../util";
import { fromId, HANDLE_PATTERN, handleKey, Info, many, stored, toInfo } from "./read";
import { HandleEntity, UserEntity } from "./user.entity";

export * from "./read";

export const Handle = z
  .string()
  .trim()
  .refine((value) => HANDLE_PATTERN.test(value), {
    message: "A handle is 3–20 letters, digits or underscores.",
    params: { code: "profile.invalid_handle" },
  })
  // `/api/users/suggestions` is a route, so nobody's profile may live there.
  .refine((value) => !RESERVED_HANDLES.has(value.toLowerCase()), {
    message: "That handle is reserved; choose another.",
    params: { code: "profile.handle_taken" },
  });

export const RESERVED_HANDLES = new Set(["suggestions"]);

export const DisplayName = freeText(Limits.DISPLAY_NAME);

export const Bio = freeText(Limits.BIO);

export const PublicInfo = Info.extend({
  followedByMe: z.boolean(),
  followsMe: z.boolean(),
  /** The caller blocks them, they block the caller, the caller mutes them. */
  blocking: z.boolean(),
  blockedBy: z.boolean(),
  muting: z.boolean(),
}).meta({
  id: "PublicProfile",
});
export type PublicInfo = z.infer<typeof PublicInfo>;

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

/** A profile as the caller sees it, with the follow relation both ways. */
export async function view(handle: string): Promise<PublicInfo> {
  const viewer = useUserId();
  const found = HANDLE_PATTERN.test(handle)
    ? await HandleEntity.get({ handleKey: handleKey(handle) }).go()
    : undefined;
  const item = found?.data ? await stored(found.data.userId) : undefined;
  // A suspended user is gone for everyone else until a moderator lifts the suspension.
  const profile = item && (!item.suspendedAt || item.userId === viewer) ? toInfo(item) : undefined;
  if (!profile) throw new VisibleError("not-found", "profile.not_found", `No one has the handle @${handle}.`);
  const [followedByMe, followsMe, safety] = await Promise.all([
    Follow.exists(viewer, profile.id),
    Follow.exists(profile.id, viewer),
    relation(viewer, profile.id),
  ]);
  return { ...profile, followedByMe, followsMe, ...safety };
}

async function mustGet(userId: string): Promise<Info> {
  const profile = await fromId(userId);
  if (!profile)
    throw new VisibleError("not-found", "profile.not_found", "Create your profile first: choose a handle.");
  return profile;
}

/** Changes a profile's own fields (its owner's edit); answers the profile as changed. */
export async function edit(
  userId: string,
  fields: { displayName?: string; bio?: string; cardAt?: number; signedInOnly?: boolean },
): Promise<Info> {
  const { data } = await UserEntity.patch({ userId }).set(fields).go({ response: "all_new" });
  return toInfo(data);
}

/** Where a card's copy onto the posts got to (no cursor: done); false when a newer card replaced it meanwhile. */
export const saveCardProgress = (userId: string, at: number, cursor: string | null) =>
  conditionally(
    (cursor
      ? UserEntity.patch({ userId }).set({ cardSpreadAt: at, cardSpreadTo: cursor })
      : UserEntity.patch({ userId }).set({ cardSpreadAt: at }).remove(["cardSpreadTo"])
    )
      .where(({ cardAt }, { eq }) => eq(cardAt, at))
      .go(),
  );

export const ListedInfo = Info.extend({ followedByMe: z.boolean(), followsMe: z.boolean() }).meta({
  id: "ListedProfile",
});
export type ListedInfo = z.infer<typeof ListedInfo>;

/** Reads side by side, so a page of connections costs a fixed number of rounds. */
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
