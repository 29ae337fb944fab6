import { VisibleError } from "../../../error";
import { baseType } from "../../limits";
import { stripWebm } from "./ebml";
import { stripMp4 } from "./mp4";
import { stripMpeg } from "./mpeg";
import { stripOgg } from "./ogg";
import { stripWav } from "./riff";

const STRIPPERS: Record<string, (input: Buffer) => Buffer> = {
  "video/mp4": stripMp4,
  "audio/mp4": stripMp4,
  "audio/x-m4a": stripMp4,
  "video/webm": stripWebm,
  "audio/webm": stripWebm,
  "audio/mpeg": stripMpeg,
  "audio/aac": stripMpeg,
  "audio/ogg": stripOgg,
  "audio/wav": stripWav,
  "audio/x-wav": stripWav,
};

/** Containers say where, when and on what a clip was recorded, which a public post must not reveal. */
export function stripMetadata(input: Buffer, contentType: string): Buffer {
  const strip = STRIPPERS[baseType(contentType)];
  if (!strip)
    throw new VisibleError("input", "media.unsupported_type", `No metadata stripper for ${contentType}`);
  try {
    return strip(input);
  } catch (error) {
    // Stripping does no I/O: whatever else it throws (a read past the end it did not foresee) is the file's.
    if (error instanceof VisibleError) throw error;
    throw new VisibleError("input", "media.unreadable", `Not a readable file: ${(error as Error).message}`);
  }
}
