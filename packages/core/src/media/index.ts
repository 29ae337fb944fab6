export * as Media from "./index";

import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
} from "@aws-sdk/client-s3";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { Entity, TransactWriteEntity } from "electrodb";
import * as z from "zod";
import { useUserId } from "../actor";
import * as Batch from "../dynamo/batch";
import { transact } from "../dynamo/service";
import { VisibleError } from "../error";
import { createId } from "../id";
import { Limit } from "../limit";
import { ALT, FILE_NAME } from "../text/limits";
import { fn, freeText } from "../util";
import { fromIds } from "./items";
import { baseType, kindOf, LIMITS, type MediaKind, matchesMagic } from "./limits";
import { MediaEntity, type MediaItem, UNATTACHED_TTL_SECONDS } from "./media.entity";
import {
  bucket,
  derivedKeys,
  isPublic,
  originalKey,
  PURPOSES,
  type Purpose,
  publicKeys,
  s3,
  urlOf,
} from "./storage";

export { fromIds } from "./items";
export { kindOf, LIMITS, type MediaKind, matchesMagic } from "./limits";
export type { MediaItem } from "./media.entity";
export { MediaEntity, UNATTACHED_TTL_SECONDS } from "./media.entity";
export {
  derivedKeys,
  isPublic,
  originalKey,
  PURPOSES,
  type Purpose,
  parseOriginalKey,
  privateKeys,
  publicKeys,
} from "./storage";

/** How long a presigned POST stays usable: enough to start a 100 MB upload, short enough to limit swaps. */
export const UPLOAD_EXPIRES_SECONDS = 5 * 60;
/** Bytes read from the start of an object to check its magic number. */
const HEAD_BYTES = 16;
const MB = 1024 * 1024;
/** How long a chat file's presigned GET lives: a member re-reads the room for a fresh one. */
export const SIGNED_URL_SECONDS = 15 * 60;

type Conditions = NonNullable<Parameters<typeof createPresignedPost>[1]["Conditions"]>[number];

export const MediaId = z.string().regex(/^med_[0-9A-HJKMNP-TV-Z]{26}$/, "Not a media id.");

const Alt = freeText(ALT);

export const UploadRequest = z
  .object({
    contentType: z.string().trim().min(1).max(255),
    size: z.number().int().positive(),
    fileName: freeText(FILE_NAME).optional(),
    alt: Alt.optional(),
    /** What the file is for: chat files are served to room members only, by short-lived signed URLs. */
    purpose: z.enum(PURPOSES).default("post"),
    /** Measured by the browser before upload (no ffmpeg on Lambda). */
    durationMs: z
      .number()
      .int()
      .min(0)
      .max(24 * 60 * 60 * 1000)
      .optional(),
  })
  .meta({ id: "MediaUploadRequest" });

export const Upload = z
  .object({
    mediaId: z.string(),
    upload: z.object({ url: z.string(), fields: z.record(z.string(), z.string()) }),
  })
  .meta({ id: "MediaUpload" });
export type Upload = z.infer<typeof Upload>;

/** What a post (or message) embeds. */
export const Info = z
  .object({
    id: z.string(),
    kind: z.enum(["image", "video", "audio"]),
    contentType: z.string(),
    url: z.string(),
    thumbnailUrl: z.string().nullable(),
    posterUrl: z.string().nullable(),
    width: z.number().int().nullable(),
    height: z.number().int().nullable(),
    blurhash: z.string().nullable(),
    durationMs: z.number().int().nullable(),
    alt: z.string(),
    status: z.enum(["pending", "ready", "failed"]),
  })
  .meta({ id: "Media" });
export type Info = z.infer<typeof Info>;

/** The owner's view: the public shape plus what only they need while the upload is processed. */
export const OwnerInfo = Info.extend({
  size: z.number().int(),
  fileName: z.string().nullable(),
  attachedTo: z.string().nullable(),
  createdAt: z.string(),
}).meta({ id: "OwnedMedia" });
export type OwnerInfo = z.infer<typeof OwnerInfo>;

const KIND_NAMES: Record<MediaKind, string> = { image: "Images", video: "Videos", audio: "Audio files" };

const KIND_ARTICLES: Record<MediaKind, string> = { image: "an image", video: "a video", audio: "audio" };

const megabytes = (bytes: number) => `${Math.round((bytes / MB) * 10) / 10} MB`;

/** The limit check shared by createUpload and verifyForAttach: one rule, one message. */
export function checkSize(kind: MediaKind, size: number) {
  const max = LIMITS[kind].maxBytes;
  if (size > max)
    throw new VisibleError(
      "too-large",
      "media.too_large",
      `${KIND_NAMES[kind]} can be at most ${max / MB} MB; this file is ${megabytes(size)}.`,
    );
}

export function checkType(contentType: string): MediaKind {
  const kind = kindOf(contentType);
  if (!kind)
    throw new VisibleError(
      "input",
      "media.unsupported_type",
      `Files of type "${baseType(contentType)}" cannot be uploaded. Use a JPEG, PNG, WebP or GIF image, an MP4 or WebM video, or MP3, M4A/AAC, Ogg, WebM or WAV audio.`,
    );
  return kind;
}

/** The presigned POST policy: exactly this key, exactly this Content-Type, exactly the declared size. */
export function uploadPolicy(args: { key: string; contentType: string; size: number }) {
  return {
    Key: args.key,
    Conditions: [
      ["content-length-range", args.size, args.size] as ["content-length-range", number, number],
      ["eq", "$Content-Type", args.contentType] as ["eq", string, string],
    ] satisfies Conditions[],
    Fields: { "Content-Type": args.contentType },
    Expires: UPLOAD_EXPIRES_SECONDS,
  };
}

/** A profile picture is an image; said before the upload and again when the profile takes it. */
export const avatarNotImage = () =>
  new VisibleError(
    "input",
    "media.avatar_not_image",
    "A profile picture must be an image: JPEG, PNG, WebP or GIF.",
  );

export const createUpload = fn(UploadRequest, async (input): Promise<Upload> => {
  const userId = useUserId();
  // Stored and served as the bare type: "audio/webm;codecs=opus" from MediaRecorder becomes audio/webm.
  const contentType = baseType(input.contentType);
  const kind = checkType(contentType);
  if (input.purpose === "avatar" && kind !== "image") throw avatarNotImage();
  checkSize(kind, input.size);
  await Limit.consume("upload", { bytes: input.size });
  const mediaId = createId("med");
  const key = originalKey(userId, mediaId);
  await MediaEntity.create({
    mediaId,
    ownerId: userId,
    kind,
    contentType,
    size: input.size,
    fileName: input.fileName || undefined,
    alt: input.alt ?? "",
    purpose: input.purpose,
    durationMs: kind === "image" ? undefined : input.durationMs,
    expireAt: Math.floor(Date.now() / 1000) + UNATTACHED_TTL_SECONDS,
  }).go();
  const { url, fields } = await createPresignedPost(s3, {
    Bucket: bucket(),
    ...uploadPolicy({ key, contentType, size: input.size }),
  });
  return { mediaId, upload: { url, fields } };
});

type Urls = Pick<Info, "url" | "thumbnailUrl" | "posterUrl">;

export function toPublic(media: MediaItem, urls?: Urls): Info {
  const keys = publicKeys(media.mediaId, media.kind, media.contentType);
  return {
    id: media.mediaId,
    kind: media.kind,
    contentType: media.contentType,
    // Derived from the id, so a post written before processing finishes still points at the right file.
    url: urls?.url ?? urlOf(media.publicKey ?? keys.main),
    thumbnailUrl: urls
      ? urls.thumbnailUrl
      : keys.thumbnail
        ? urlOf(media.thumbnailKey ?? keys.thumbnail)
        : null,
    posterUrl: urls ? urls.posterUrl : media.posterKey ? urlOf(media.posterKey) : null,
    width: media.width ?? null,
    height: media.height ?? null,
    blurhash: media.blurhash ?? null,
    durationMs: media.durationMs ?? null,
    alt: media.alt,
    status: media.status,
  };
}

/** Chat files are never shown here to others: members get them with the room's messages. */
export async function get(mediaId: string): Promise<OwnerInfo | Info> {
  const userId = useUserId();
  const item = MediaId.safeParse(mediaId).success ? (await MediaEntity.get({ mediaId }).go()).data : null;
  if (item && item.ownerId === userId) return ownerView(item);
  if (item?.attachedTo && !item.deletedAt && isPublic(item.purpose)) return toPublic(item);
  throw new VisibleError("not-found", "media.not_found", "This media does not exist.");
}

/** Only the processed copy is signed: the upload still carries its metadata (EXIF, location). */
export async function signedUrls(media: MediaItem): Promise<Urls> {
  const keys = derivedKeys(media);
  // The processed copy may not exist for a few seconds after upload: the browser retries.
  const main = media.publicKey ?? keys.main;
  const thumbnail = media.thumbnailKey ?? keys.thumbnail;
  return {
    url: await sign(main),
    thumbnailUrl: thumbnail ? await sign(thumbnail) : null,
    posterUrl: media.posterKey ? await sign(media.posterKey) : null,
  };
}

const sign = (Key: string) =>
  getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket(), Key }), { expiresIn: SIGNED_URL_SECONDS });

async function ownerView(item: MediaItem): Promise<OwnerInfo> {
  const urls = isPublic(item.purpose) ? undefined : await signedUrls(item);
  return {
    ...toPublic(item, urls),
    size: item.size,
    fileName: item.fileName ?? null,
    attachedTo: item.attachedTo ?? null,
    createdAt: new Date(item.createdAt).toISOString(),
  };
}

const AttachIds = z.array(MediaId).max(10);

const PURPOSE_NAMES: Record<Purpose, string> = {
  post: "a post",
  avatar: "a profile picture",
  chat: "a chat",
};

/** s3rver enforces no policy and clients can lie, so this, not the presigned policy, is the gate. */
export async function verifyForAttach(ids: string[], purpose: Purpose = "post"): Promise<MediaItem[]> {
  const mediaIds = AttachIds.parse(ids);
  const userId = useUserId();
  if (new Set(mediaIds).size !== mediaIds.length)
    throw new VisibleError("input", "media.duplicate", "The same file is attached twice.");
  if (mediaIds.length === 0) return [];
  const { data, unprocessed } = await MediaEntity.get(mediaIds.map((mediaId) => ({ mediaId }))).go({
    preserveBatchOrder: true,
  });
  if (unprocessed.length) throw new Error("media batch get left keys unprocessed");
  const items = mediaIds.map((mediaId, i) => {
    const item = data[i];
    if (!item) throw new VisibleError("not-found", "media.not_found", `The file ${mediaId} does not exist.`);
    if (item.ownerId !== userId)
      throw new VisibleError("forbidden", "media.forbidden", "You can only attach files you uploaded.");
    if (item.attachedTo)
      throw new VisibleError("conflict", "media.in_use", "This file is already attached elsewhere.");
    if (item.purpose !== purpose)
      throw new VisibleError(
        "input",
        "media.wrong_purpose",
        `${item.fileName ?? "This file"} was uploaded for ${PURPOSE_NAMES[item.purpose]}, not ${PURPOSE_NAMES[purpose]}. Upload it again here.`,
      );
    if (item.status === "failed")
      throw new VisibleError(
        "input",
        "media.unreadable",
        `${item.fileName ?? "This file"} could not be read as ${KIND_ARTICLES[item.kind]}. Try another file.`,
      );
    return item;
  });
  await Promise.all(items.map((item) => checkObject(item)));
  return items;
}

/** The stored original against what was declared; throws the first problem a user can act on. */
export async function checkObject(media: MediaItem, Bucket = bucket()): Promise<void> {
  const Key = originalKey(media.ownerId, media.mediaId);
  const name = media.fileName ?? "The file";
  const head = await s3.send(new HeadObjectCommand({ Bucket, Key })).catch((error: unknown) => {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404)
      return undefined;
    throw error;
  });
  if (!head)
    throw new VisibleError(
      "input",
      "media.missing_object",
      `${name} has not finished uploading. Upload it again.`,
    );
  const size = head.ContentLength ?? 0;
  checkSize(media.kind, size);
  if (size !== media.size)
    throw new VisibleError(
      "input",
      "media.size_mismatch",
      `${name} is not the size that was declared (${media.size} bytes, got ${size}).`,
    );
  const mismatch = () =>
    new VisibleError(
      "input",
      "media.type_mismatch",
      `${name} is not a ${extensionLabel(media.contentType)} file, as it claims to be.`,
    );
  if (baseType(head.ContentType ?? "") !== media.contentType) throw mismatch();
  const first = await s3.send(new GetObjectCommand({ Bucket, Key, Range: `bytes=0-${HEAD_BYTES - 1}` }));
  const bytes = (await first.Body?.transformToByteArray()) ?? new Uint8Array();
  if (!matchesMagic(media.contentType, bytes)) throw mismatch();
}

const extensionLabel = (contentType: string) => contentType.split("/")[1]!.replace(/^x-/, "").toUpperCase();

type MediaWriter =
  typeof MediaEntity extends Entity<infer A, infer F, infer C, infer S>
    ? TransactWriteEntity<A, F, C, S>
    : never;

// ElectroDB hands transaction callbacks the plain entities at runtime; only its types tell them apart.
const writer = MediaEntity as unknown as MediaWriter;

/** Part of the caller's transaction, so a concurrent reuse cancels it (answer with `Media.inUse()`). */
export function markAttached(mediaIds: string[], attachedTo: string) {
  const userId = useUserId();
  return mediaIds.map((mediaId) =>
    writer
      .patch({ mediaId })
      .set({ attachedTo })
      .remove(["expireAt"])
      .where(
        ({ attachedTo, ownerId }, { notExists, eq }) => `${notExists(attachedTo)} AND ${eq(ownerId, userId)}`,
      )
      .commit(),
  );
}

/** Table keys of uploads, for a batch get that also reads other entities. */
export const keys = (mediaIds: string[]) =>
  [...new Set(mediaIds)].map((mediaId) => Batch.keyOf(MediaEntity, { mediaId }));

/** The uploads among raw items of a mixed batch get, in their public shape, by media id. */
export function fromItems(items: Batch.Item[]): Map<string, Info> {
  const found = new Map<string, Info>();
  for (const Item of items) {
    if (Item.__edb_e__ !== "media") continue;
    const { data } = MediaEntity.parse({ Item });
    if (data) found.set(data.mediaId, toPublic(data));
  }
  return found;
}

export const inUse = () =>
  new VisibleError("conflict", "media.in_use", "This file is already attached elsewhere.");

export const Update = z
  .object({
    alt: Alt.optional(),
    /** An image upload of the caller's (e.g. a frame the browser drew) that becomes this video's poster. */
    posterMediaId: MediaId.optional(),
  })
  .meta({ id: "MediaUpdate" });

/** The poster is verified like an attachment so it cannot smuggle in someone else's or a used upload. */
export const update = fn(Update.extend({ mediaId: MediaId }), async (input): Promise<OwnerInfo> => {
  const userId = useUserId();
  const { mediaId } = input;
  const { data: item } = await MediaEntity.get({ mediaId }).go();
  if (!item || item.deletedAt || (item.ownerId !== userId && !item.attachedTo))
    throw new VisibleError("not-found", "media.not_found", "This media does not exist.");
  if (item.ownerId !== userId)
    throw new VisibleError("forbidden", "media.forbidden", "You can only edit files you uploaded.");
  const alt = input.alt !== undefined ? { alt: input.alt } : {};
  if (!input.posterMediaId) {
    if (input.alt !== undefined) await MediaEntity.patch({ mediaId }).set(alt).go();
    return ownerView({ ...item, ...alt });
  }
  if (item.kind !== "video")
    throw new VisibleError("input", "media.poster_not_video", "Only a video can have a poster image.");
  if (input.posterMediaId === mediaId)
    throw new VisibleError("input", "media.poster_invalid", "A video cannot be its own poster.");
  const [poster] = await verifyForAttach([input.posterMediaId], item.purpose);
  if (poster!.kind !== "image")
    throw new VisibleError("input", "media.poster_not_image", "A poster must be an image.");
  const posterKey = derivedKeys(poster!).main;
  const outcome = await transact(({ media }) => ({
    poster: markAttached([poster!.mediaId], mediaId),
    video: media
      .patch({ mediaId })
      .set({ ...alt, posterMediaId: poster!.mediaId, posterKey })
      .where(
        ({ ownerId, deletedAt }, { eq, notExists }) => `${eq(ownerId, userId)} AND ${notExists(deletedAt)}`,
      )
      .commit(),
  }));
  // Either the poster was claimed meanwhile or the video changed hands: both read as "in use".
  if (!outcome.ok) throw inUse();
  return ownerView({ ...item, ...alt, posterMediaId: poster!.mediaId, posterKey });
});

/** Deletes the files and marks the item so what a deleted post held is never served or reused. */
export async function release(mediaIds: string[], Bucket = bucket()): Promise<void> {
  const items = await fromIds(mediaIds);
  const posters = await fromIds(items.flatMap((item) => (item.posterMediaId ? [item.posterMediaId] : [])));
  await Promise.all(
    [...items, ...posters].map(async (media) => {
      // Marked before listing: a processor still at work then finds it deleted and removes what it wrote.
      if (!media.deletedAt)
        await MediaEntity.patch({ mediaId: media.mediaId }).set({ deletedAt: Date.now() }).go();
      const listed = await Promise.all(
        ["public", "private"].map((prefix) =>
          s3.send(new ListObjectsV2Command({ Bucket, Prefix: `${prefix}/${media.mediaId}/` })),
        ),
      );
      const keys = [
        ...listed.flatMap((l) => l.Contents ?? []).flatMap((o) => o.Key ?? []),
        originalKey(media.ownerId, media.mediaId),
      ];
      // One DeleteObject per key: DeleteObjects needs a checksum header s3rver does not understand.
      await Promise.all(keys.map((Key) => s3.send(new DeleteObjectCommand({ Bucket, Key }))));
    }),
  );
}
