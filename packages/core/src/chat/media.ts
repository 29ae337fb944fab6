import type { MessageMedia } from "@asyncsns/realtime";
import { Media } from "../media";

/** Chat media are private: members get GET URLs that expire quickly, never a public /media path. */
export const SIGNED_URL_SECONDS = Media.SIGNED_URL_SECONDS;

export async function signedMedia(mediaIds: string[]): Promise<MessageMedia[]> {
  if (mediaIds.length === 0) return [];
  const items = await Media.fromIds(mediaIds);
  return Promise.all(
    items.map(async (media) => {
      const { url } = await Media.signedUrls(media);
      return { id: media.mediaId, kind: media.kind, contentType: media.contentType, url };
    }),
  );
}
