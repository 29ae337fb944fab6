export type MediaKind = "image" | "video" | "audio";

const MB = 1024 * 1024;

/** How many files one post or message carries. */
export const MAX_ATTACHMENTS = 4;

/** What may be uploaded, per kind: the presigned policy and the post-upload check both read this table. */
export const LIMITS: Record<MediaKind, { maxBytes: number; types: readonly string[] }> = {
  image: { maxBytes: 16 * MB, types: ["image/jpeg", "image/png", "image/webp", "image/gif"] },
  video: { maxBytes: 100 * MB, types: ["video/mp4", "video/webm"] },
  audio: {
    maxBytes: 40 * MB,
    types: [
      "audio/mpeg",
      "audio/mp4",
      "audio/aac",
      "audio/x-m4a",
      "audio/ogg",
      "audio/webm",
      "audio/wav",
      "audio/x-wav",
    ],
  },
};

export function kindOf(contentType: string): MediaKind | undefined {
  const type = baseType(contentType);
  return (Object.keys(LIMITS) as MediaKind[]).find((kind) => LIMITS[kind].types.includes(type));
}

/** "audio/webm;codecs=opus" (what MediaRecorder reports) is stored as audio/webm. */
export function baseType(contentType: string): string {
  return contentType.split(";")[0]!.trim().toLowerCase();
}

export const ascii = (bytes: Uint8Array, offset: number, text: string) =>
  text.split("").every((ch, i) => bytes[offset + i] === ch.charCodeAt(0));

/** Whether a file's first bytes are what its declared type says; a renamed or lying upload fails here. */
export function matchesMagic(contentType: string, head: Uint8Array): boolean {
  const b = head;
  switch (baseType(contentType)) {
    case "image/jpeg":
      return b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
    case "image/png":
      return [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((v, i) => b[i] === v);
    case "image/gif":
      return ascii(b, 0, "GIF87a") || ascii(b, 0, "GIF89a");
    case "image/webp":
      return ascii(b, 0, "RIFF") && ascii(b, 8, "WEBP");
    case "audio/wav":
    case "audio/x-wav":
      return ascii(b, 0, "RIFF") && ascii(b, 8, "WAVE");
    case "video/mp4":
    case "audio/mp4":
    case "audio/x-m4a":
      return ascii(b, 4, "ftyp");
    case "video/webm":
    case "audio/webm":
      return b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3;
    case "audio/ogg":
      return ascii(b, 0, "OggS");
    case "audio/mpeg":
      return ascii(b, 0, "ID3") || (b[0] === 0xff && ((b[1] ?? 0) & 0xe0) === 0xe0);
    case "audio/aac":
      return ascii(b, 0, "ADIF") || (b[0] === 0xff && ((b[1] ?? 0) & 0xf6) === 0xf0);
    default:
      return false;
  }
}
