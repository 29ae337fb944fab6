import { S3Client } from "@aws-sdk/client-s3";
import { Resource } from "sst";
import { traced } from "../trace";
import { baseType, type MediaKind } from "./limits";

// Checksums only when required: presigned POSTs cannot carry them and s3rver does not understand them.
export const s3 = traced(
  new S3Client({
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  }),
);

export const bucket = () => Resource.Media.name;

const ORIGINAL = /^uploads\/([^/]+)\/(med_[0-9A-HJKMNP-TV-Z]{26})$/;

/** Where the browser uploads: never served (it may carry EXIF location). */
export const originalKey = (userId: string, mediaId: string) => `uploads/${userId}/${mediaId}`;

export function parseOriginalKey(key: string): { userId: string; mediaId: string } | undefined {
  const match = ORIGINAL.exec(key);
  return match ? { userId: match[1]!, mediaId: match[2]! } : undefined;
}

const EXTENSIONS: Record<string, string> = {
  "image/jpeg": "jpg",
  "image/png": "png",
  "image/webp": "webp",
  "image/gif": "gif",
  "video/mp4": "mp4",
  "video/webm": "webm",
  "audio/mpeg": "mp3",
  "audio/mp4": "m4a",
  "audio/x-m4a": "m4a",
  "audio/aac": "aac",
  "audio/ogg": "ogg",
  "audio/webm": "webm",
  "audio/wav": "wav",
  "audio/x-wav": "wav",
};

export const extensionOf = (contentType: string) => EXTENSIONS[baseType(contentType)] ?? "bin";

/** What an upload is for, recorded at createUpload: it decides where its derivatives live and who may read them. */
export const PURPOSES = ["post", "avatar", "chat"] as const;
export type Purpose = (typeof PURPOSES)[number];

/** Chat media are for a room's members only: never under public/, only behind presigned GETs. */
export const isPublic = (purpose: Purpose) => purpose !== "chat";

const derivatives = (
  prefix: "public" | "private",
  mediaId: string,
  kind: MediaKind,
  contentType: string,
) => ({
  main: `${prefix}/${mediaId}/${kind}.${extensionOf(contentType)}`,
  thumbnail: kind === "image" ? `${prefix}/${mediaId}/thumb.webp` : undefined,
});

/** Served derivatives live under public/<mediaId>/, which the Router maps to /media/<mediaId>/. */
export const publicKeys = (mediaId: string, kind: MediaKind, contentType: string) =>
  derivatives("public", mediaId, kind, contentType);

/** Chat derivatives live under private/<mediaId>/, which no Router path reaches. */
export const privateKeys = (mediaId: string, kind: MediaKind, contentType: string) =>
  derivatives("private", mediaId, kind, contentType);

/** Where the processor writes an upload's derivatives, by its purpose. */
export const derivedKeys = (media: {
  mediaId: string;
  kind: MediaKind;
  contentType: string;
  purpose: Purpose;
}) => (isPublic(media.purpose) ? publicKeys : privateKeys)(media.mediaId, media.kind, media.contentType);

export { urlOf } from "./urls";

/** Derivatives are written once per id and never change, so caches may keep them forever. */
export const IMMUTABLE = "public, max-age=31536000, immutable";
/** The same for chat derivatives, but no shared cache may keep what a signed URL fetched. */
export const PRIVATE_IMMUTABLE = "private, max-age=31536000, immutable";
