import { Media } from "../media";

// The one seam between posts and the media domain: verification, claiming and display.

/** Owner, unused, object present, size/type/magic bytes; throws the 4xx a user can act on. */
export async function verify(mediaIds: string[]): Promise<void> {
  if (mediaIds.length) await Media.verifyForAttach(mediaIds, "post");
}

/** Transaction items that mark the media attached to the post; a concurrent reuse cancels the transaction. */
export function claim(mediaIds: string[], postId: string) {
  return mediaIds.length ? Media.markAttached(mediaIds, postId) : [];
}

export const inUse = () => Media.inUse();

/** A deleted post's files stop being served (derivatives and originals deleted, items marked). */
export async function release(mediaIds: string[]): Promise<void> {
  if (mediaIds.length) await Media.release(mediaIds);
}

export const AttachmentInfo = Media.Info;
