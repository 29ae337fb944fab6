import { MediaEntity, type MediaItem } from "./media.entity";

// Apart from index.ts so readers of uploads (the search indexer) bundle no S3 client or bucket link.

/** Uploads by id in one batch get, in the order asked (missing ones left out). */
export async function fromIds(mediaIds: string[]): Promise<MediaItem[]> {
  if (mediaIds.length === 0) return [];
  const { data } = await MediaEntity.get(mediaIds.map((mediaId) => ({ mediaId }))).go({
    preserveBatchOrder: true,
  });
  return data.filter((item): item is MediaItem => item !== null && item !== undefined);
}
