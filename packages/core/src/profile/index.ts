export * as Profile from "./index";

import * as z from "zod";
import { useUserId } from "../actor";
import { transact } from "../dynamo/service";
import { VisibleError } from "../error";
import { Media } from "../media";
import { User } from "../user";
import { fn } from "../util";

// Apart from User so the many readers of profiles never bundle the S3 client.

export const update = fn(
  z.object({
    displayName: User.DisplayName.optional(),
    bio: User.Bio.optional(),
    /** An image uploaded with purpose "avatar" becomes the profile picture; null removes it. */
    avatarMediaId: Media.MediaId.nullable().optional(),
    /** Hide profile and posts from signed-out visitors (the public pages answer 404). */
    signedInOnly: z.boolean().optional(),
  }),
  async (input) => {
    const userId = useUserId();
    const current = await User.stored(userId);
    if (!current)
      throw new VisibleError("not-found", "profile.not_found", "Create your profile first: choose a handle.");
    const renamed = input.displayName !== undefined && input.displayName !== current.displayName;
    const previous = current.avatarMediaId;
    const repictured = input.avatarMediaId !== undefined && input.avatarMediaId !== (previous ?? null);
    const fields = {
      ...(input.displayName !== undefined ? { displayName: input.displayName } : {}),
      ...(input.bio !== undefined ? { bio: input.bio } : {}),
      ...(input.signedInOnly !== undefined ? { signedInOnly: input.signedInOnly } : {}),
      // A new card: the subscriber copies it onto every post (Cards).
      ...(renamed || repictured ? { cardAt: Date.now() } : {}),
    };
    if (!repictured) {
      if (Object.keys(fields).length === 0) return User.toInfo(current);
      return User.edit(userId, fields);
    }
    await changeAvatar(userId, fields, previous, input.avatarMediaId ?? null);
    return User.me();
  },
);

const avatarBusy = () =>
  new VisibleError("conflict", "profile.busy", "Your profile picture changed meanwhile; try again.");

/** Claimed in the transaction that points the profile at it, so a replaced picture is always released. */
async function changeAvatar(
  userId: string,
  fields: { displayName?: string; bio?: string; cardAt?: number; signedInOnly?: boolean },
  previous: string | undefined,
  next: string | null,
) {
  let avatarKey: string | undefined;
  if (next) {
    const [media] = await Media.verifyForAttach([next], "avatar");
    if (media!.kind !== "image") throw Media.avatarNotImage();
    // The processor writes the thumbnail (WebP, EXIF-free) under public/<id>/; /media/<id>/… serves it.
    avatarKey = Media.derivedKeys(media!).thumbnail!.replace(/^public\//, "");
  }
  const outcome = await transact(({ user }) => ({
    media: next ? Media.markAttached([next], `user#${userId}`) : undefined,
    user: (next
      ? user.patch({ userId }).set({ ...fields, avatarMediaId: next, avatarKey })
      : user.patch({ userId }).set(fields).remove(["avatarMediaId", "avatarKey"])
    )
      .where(({ avatarMediaId }, { eq, notExists }) =>
        previous ? eq(avatarMediaId, previous) : notExists(avatarMediaId),
      )
      .commit(),
  }));
  if (!outcome.ok) {
    if (outcome.failed.includes("media")) throw Media.inUse();
    throw avatarBusy();
  }
  if (previous) await Media.release([previous]);
}
