import * as Batch from "../dynamo/batch";
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

export type Attachment = Media.Info;

/** The public shape of every attachment of a page of posts, by media id, in one batch get. */
export async function load(mediaIds: string[]): Promise<Map<string, Attachment>> {
  const unique = [...new Set(mediaIds)];
  const items = unique.length ? await Media.fromIds(unique) : [];
  return new Map(items.map((item) => [item.mediaId, Media.toPublic(item)]));
}

/** Table keys of attachments, for a batch get that also reads other entities. */
export const keys = (mediaIds: string[]) =>
  [...new Set(mediaIds)].map((mediaId) => Batch.keyOf(Media.MediaEntity, { mediaId }));

/** The attachments among raw items of a mixed batch get, in their public shape, by media id. */
export function fromItems(items: Batch.Item[]): Map<string, Attachment> {
  const found = new Map<string, Attachment>();
  for (const Item of items) {
    if (Item.__edb_e__ !== "media") continue;
    const { data } = Media.MediaEntity.parse({ Item });
    if (data) found.set(data.mediaId, Media.toPublic(data));
  }
  return found;
}

export const AttachmentInfo = Media.Info;
