export * as Public from "./index";

import { VisibleError } from "../error";
import type { Deleted, Page, Info as PostInfo, Thread } from "../post/info";
import { Timeline } from "../timeline";
import { User } from "../user";

// What a signed-out visitor may read (a shared link): profiles and posts of people who did not opt out.

/** How long CloudFront and browsers may keep a public answer: an edit or opt-out shows within a minute. */
export const CACHE_CONTROL = "public, max-age=30, s-maxage=60";

const hidden = () =>
  new VisibleError(
    "not-found",
    "public.sign_in",
    "Sign in to see this: it is shown to signed-in people only.",
  );

const shown = (profile: User.Info | undefined): profile is User.Info =>
  profile !== undefined && !profile.signedInOnly;

/** A profile for everyone; 404 when it does not exist or its owner keeps it to signed-in people. */
export async function profile(handle: string): Promise<User.Info> {
  const found = await User.fromHandle(handle);
  if (!found) throw new VisibleError("not-found", "profile.not_found", `No one has the handle @${handle}.`);
  if (!shown(found)) throw hidden();
  return found;
}

/** Drops posts (and reposted posts) whose authors keep them to signed-in people. */
async function visible<T extends PostInfo | Deleted>(posts: T[]): Promise<T[]> {
  const authors = await User.many(posts.flatMap((p) => ("author" in p ? [p.author.id] : [])));
  return posts.filter((p) => !("author" in p) || shown(authors.get(p.author.id)));
}

/** A user's posts and reposts for everyone. */
export async function posts(
  handle: string,
  options: { cursor?: string; limit?: number } = {},
): Promise<Page> {
  await profile(handle);
  const page = await Timeline.profile(handle, options);
  return { items: await visible(page.items), cursor: page.cursor };
}

/** A post with its thread for everyone; hidden ancestors become placeholders, hidden replies are left out. */
export async function thread(postId: string): Promise<Thread> {
  const found = await Timeline.thread(postId);
  const [post] = await visible([found.post]);
  if (!post) throw hidden();
  const kept = new Set((await visible(found.ancestors)).map((a) => a.id));
  return {
    post,
    ancestors: found.ancestors.map((a) => (kept.has(a.id) ? a : { id: a.id, deleted: true as const })),
    replies: { items: await visible(found.replies.items), cursor: found.replies.cursor },
  };
}
