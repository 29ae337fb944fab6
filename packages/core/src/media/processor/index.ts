export * as MediaProcessor from "./index";

import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { encode } from "blurhash";
import sharp from "sharp";
import { conditionally } from "../../dynamo";
import { VisibleError } from "../../error";
import { checkObject } from "../index";
import { MediaEntity, type MediaItem } from "../media.entity";
import {
  derivedKeys,
  IMMUTABLE,
  isPublic,
  originalKey,
  PRIVATE_IMMUTABLE,
  parseOriginalKey,
  s3,
} from "../storage";
import { stripMetadata } from "./strip";

// A Lambda keeps one invocation at a time: libvips' cache only holds memory between unrelated images.
sharp.cache(false);

/** Longest side of the served image and of the thumbnail, in pixels. */
export const MAX_SIDE = 4096;
export const THUMBNAIL_SIDE = 640;
/** Guards against decompression bombs well below sharp's default (268 Mpx). */
const MAX_INPUT_PIXELS = 100_000_000;

const FORMATS: Record<string, "jpeg" | "png" | "webp" | "gif"> = {
  "image/jpeg": "jpeg",
  "image/png": "png",
  "image/webp": "webp",
  "image/gif": "gif",
};

export type Outcome =
  | { status: "ready"; mediaId: string }
  | { status: "failed"; mediaId: string; reason: string; detail: string }
  | { status: "skipped"; reason: string };

/** The S3 ObjectCreated subscriber's work for one key: idempotent, so a re-delivered event is harmless. */
export async function process(bucket: string, key: string, signal?: AbortSignal): Promise<Outcome> {
  const owner = parseOriginalKey(key);
  if (!owner) return { status: "skipped", reason: `not an upload key: ${key}` };
  const { data: media } = await MediaEntity.get({ mediaId: owner.mediaId }).go();
  if (!media || media.ownerId !== owner.userId) return { status: "skipped", reason: "no such media" };
  if (media.status === "ready") return { status: "skipped", reason: "already processed" };
  if (media.deletedAt) return { status: "skipped", reason: "deleted" };
  try {
    // The processor trusts the upload no more than the post command does.
    await checkObject(media, bucket);
    const ready =
      media.kind === "image"
        ? await processImage(bucket, media, signal)
        : await processAudioVideo(bucket, media, signal);
    if (!ready) return { status: "skipped", reason: "deleted or timed out while processing" };
    return { status: "ready", mediaId: media.mediaId };
  } catch (error) {
    // Bad input is the user's file, not our outage: record it instead of retrying forever.
    if (!(error instanceof VisibleError)) throw error;
    const reason = error.code;
    await MediaEntity.patch({ mediaId: media.mediaId }).set({ status: "failed", failure: reason }).go();
    // The code is what the owner is told; the detail (which box, which offset) is for the log.
    return { status: "failed", mediaId: media.mediaId, reason, detail: error.message };
  }
}

/**
 * `process` with a deadline: when `ms` runs out the media is marked failed (never left pending) and the work
 * is abandoned, so the Lambda answers before its own timeout. A late finish then finds it failed and cleans up.
 */
export async function processWithin(bucket: string, key: string, ms: number): Promise<Outcome> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<"expired">((resolve) => {
    timer = setTimeout(
      () => {
        controller.abort(new Error(`media processing ran out of its ${ms} ms`));
        resolve("expired");
      },
      Math.max(0, ms),
    );
  });
  const work = process(bucket, key, controller.signal).catch((error: unknown) => {
    if (controller.signal.aborted) return "expired" as const;
    throw error;
  });
  try {
    const outcome = await Promise.race([work, expired]);
    return outcome === "expired" ? await timedOut(key, ms) : outcome;
  } finally {
    clearTimeout(timer);
  }
}

async function timedOut(key: string, ms: number): Promise<Outcome> {
  const owner = parseOriginalKey(key)!;
  const reason = "media.timeout";
  // Only a pending upload is failed: one that became ready (or was failed for its content) meanwhile stays so.
  await conditionally(
    MediaEntity.patch({ mediaId: owner.mediaId })
      .set({ status: "failed", failure: reason })
      .where(({ status }, { eq }) => eq(status, "pending"))
      .go(),
  );
  return { status: "failed", mediaId: owner.mediaId, reason, detail: `not processed within ${ms} ms` };
}

export interface ProcessedImage {
  image: Buffer;
  thumbnail: Buffer;
  width: number;
  height: number;
  blurhash: string;
}

/** Auto-rotated, metadata-free (no EXIF, GPS, XMP or ICC), animation kept; plus a WebP thumbnail and blurhash. */
export async function renderImage(input: Buffer, contentType: string): Promise<ProcessedImage> {
  const format = FORMATS[contentType];
  if (!format) throw new VisibleError("input", "media.unsupported_type", `Not an image type: ${contentType}`);
  const open = () => sharp(input, { animated: true, autoOrient: true, limitInputPixels: MAX_INPUT_PIXELS });
  const meta = await open().metadata();
  if (meta.format !== format)
    throw new VisibleError(
      "input",
      "media.type_mismatch",
      `Expected ${format}, found ${String(meta.format)}`,
    );
  // sharp writes no metadata unless asked to (withMetadata/keepMetadata): that is the EXIF strip.
  const image = await open()
    .resize(MAX_SIDE, MAX_SIDE, { fit: "inside", withoutEnlargement: true })
    .toFormat(format, format === "jpeg" ? { quality: 85, mozjpeg: true } : {})
    .toBuffer({ resolveWithObject: true });
  const thumbnail = await open()
    .resize(THUMBNAIL_SIDE, THUMBNAIL_SIDE, { fit: "inside", withoutEnlargement: true })
    .webp({ quality: 75 })
    .toBuffer();
  const width = image.info.width;
  const height = image.info.pageHeight ?? image.info.height;
  const small = await sharp(thumbnail)
    .resize(32, 32, { fit: "inside" })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const [x, y] = width >= height ? [4, 3] : [3, 4];
  const blurhash = encode(new Uint8ClampedArray(small.data), small.info.width, small.info.height, x, y);
  return { image: image.data, thumbnail, width, height, blurhash };
}

async function download(bucket: string, media: MediaItem, signal?: AbortSignal) {
  const original = await s3.send(
    new GetObjectCommand({ Bucket: bucket, Key: originalKey(media.ownerId, media.mediaId) }),
    { abortSignal: signal },
  );
  const bytes = await original.Body!.transformToByteArray();
  // A view, not a copy: a 100 MB video is held once before it is stripped.
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

async function processImage(bucket: string, media: MediaItem, signal?: AbortSignal) {
  const input = await download(bucket, media, signal);
  // renderImage does no I/O: whatever it throws is about the file, so the upload is marked failed.
  const out = await renderImage(input, media.contentType).catch((error: unknown) => {
    if (error instanceof VisibleError) throw error;
    throw new VisibleError("input", "media.unreadable", `Not a readable image: ${(error as Error).message}`);
  });
  // Chat files go under private/, which no /media path reaches; posts' and avatars' under public/.
  const keys = derivedKeys(media);
  const cache = cacheControl(media);
  signal?.throwIfAborted();
  const written = [keys.main, keys.thumbnail!];
  await Promise.all([
    put(bucket, keys.main, out.image, media.contentType, cache, signal),
    put(bucket, keys.thumbnail!, out.thumbnail, "image/webp", cache, signal),
  ]);
  return markReady(bucket, media, written, {
    width: out.width,
    height: out.height,
    blurhash: out.blurhash,
    ...(isPublic(media.purpose) ? { publicKey: keys.main, thumbnailKey: keys.thumbnail! } : {}),
  });
}

/** No ffmpeg on Lambda, so container metadata is stripped in TypeScript and streams stay untouched. */
async function processAudioVideo(bucket: string, media: MediaItem, signal?: AbortSignal) {
  const input = await download(bucket, media, signal);
  const output = stripMetadata(input, media.contentType);
  const keys = derivedKeys(media);
  signal?.throwIfAborted();
  await put(bucket, keys.main, output, media.contentType, cacheControl(media), signal);
  return markReady(bucket, media, [keys.main], isPublic(media.purpose) ? { publicKey: keys.main } : {});
}

/**
 * Ready only while still pending and not deleted: a post deleted meanwhile (its release marks deletedAt
 * before listing the files) or a deadline that failed it leaves no served copy behind, since this removes them.
 */
async function markReady(
  bucket: string,
  media: MediaItem,
  written: string[],
  set: { width?: number; height?: number; blurhash?: string; publicKey?: string; thumbnailKey?: string },
): Promise<boolean> {
  const ready = await conditionally(
    MediaEntity.patch({ mediaId: media.mediaId })
      .set({ status: "ready", ...set })
      .remove(["failure"])
      .where(
        ({ status, deletedAt }, { eq, notExists }) => `${eq(status, "pending")} AND ${notExists(deletedAt)}`,
      )
      .go(),
  );
  if (!ready)
    await Promise.all(written.map((Key) => s3.send(new DeleteObjectCommand({ Bucket: bucket, Key }))));
  return ready;
}

const cacheControl = (media: MediaItem) => (isPublic(media.purpose) ? IMMUTABLE : PRIVATE_IMMUTABLE);

const put = (
  bucket: string,
  key: string,
  body: Buffer,
  contentType: string,
  cache: string,
  signal?: AbortSignal,
) =>
  s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: body,
      ContentType: contentType,
      CacheControl: cache,
    }),
    { abortSignal: signal },
  );
