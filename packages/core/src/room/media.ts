import type { MessageMedia } from "@asyncsns/realtime";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { Media } from "../media";
import { bucket, s3 } from "../media/storage";

/** Chat media are private: members get GET URLs that expire quickly, never a public /media path. */
export const SIGNED_URL_SECONDS = 15 * 60;

export async function signedMedia(mediaIds: string[]): Promise<MessageMedia[]> {
  if (mediaIds.length === 0) return [];
  const items = await Media.fromIds(mediaIds);
  return Promise.all(
    items.map(async (media) => {
      const derived = Media.publicKeys(media.mediaId, media.kind, media.contentType).main;
      // Images are only served once processed (EXIF stripped); audio and video can play from the upload.
      const Key =
        media.publicKey ??
        (media.kind === "image" ? derived : Media.originalKey(media.ownerId, media.mediaId));
      const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket(), Key }), {
        expiresIn: SIGNED_URL_SECONDS,
      });
      return { id: media.mediaId, kind: media.kind, contentType: media.contentType, url };
    }),
  );
}
