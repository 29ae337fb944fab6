import * as z from "zod";

/**
 * A new post or repost in a follower's home. The post is the API's Post shape, checked loosely here (core owns
 * its schema); it carries no reader's own state (likedByMe, repostedByMe are false), which the next read corrects.
 */
export const TimelinePost = z.object({
  post: z.looseObject({
    id: z.string(),
    author: z.looseObject({ id: z.string(), handle: z.string() }),
    createdAt: z.string(),
  }),
});
