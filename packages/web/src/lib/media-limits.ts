// The server's upload limits (core/src/media/limits.ts), checked in the browser before anything is uploaded.
import { baseType, kindOf, LIMITS, type MediaKind } from "@asyncsns/core/media/limits";

const MB = 1024 * 1024;

// One table of limits for the browser and the server: the rule lives once, in core.
export { baseType, kindOf, LIMITS, MAX_ATTACHMENTS, type MediaKind } from "@asyncsns/core/media/limits";

/** What the file picker offers; drag-and-drop and paste are checked against LIMITS too. */
export const ACCEPT = [...LIMITS.image.types, ...LIMITS.video.types, ...LIMITS.audio.types].join(",");

// Some systems report no type (or an odd alias) for these; the extension decides then.
const BY_EXTENSION: Record<string, string> = {
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  gif: "image/gif",
  mp4: "video/mp4",
  webm: "video/webm",
  mp3: "audio/mpeg",
  m4a: "audio/mp4",
  aac: "audio/aac",
  ogg: "audio/ogg",
  oga: "audio/ogg",
  opus: "audio/ogg",
  wav: "audio/wav",
};

/** The Content-Type to declare for a file: its own when known, else from its extension. */
export function contentTypeOf(file: { type: string; name: string }): string {
  const own = baseType(file.type);
  if (own && kindOf(own)) return own;
  if (own === "audio/x-wav" || own === "audio/wave") return "audio/wav";
  const ext = file.name.split(".").pop()?.toLowerCase() ?? "";
  return own || BY_EXTENSION[ext] || "application/octet-stream";
}

export type FileProblem =
  | { code: "unsupported"; type: string }
  | { code: "tooLarge"; kind: MediaKind; maxMb: number; sizeMb: number }
  | { code: "empty" };

/** Why a file may not be attached, or null when it may. */
export function checkFile(file: { type: string; name: string; size: number }): FileProblem | null {
  const type = contentTypeOf(file);
  const kind = kindOf(type);
  if (!kind) return { code: "unsupported", type: type || "?" };
  if (file.size === 0) return { code: "empty" };
  const max = LIMITS[kind].maxBytes;
  if (file.size > max)
    return { code: "tooLarge", kind, maxMb: max / MB, sizeMb: Math.round((file.size / MB) * 10) / 10 };
  return null;
}
