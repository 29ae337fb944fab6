import { ascii } from "../../limits";
import { malformed } from "./malformed";

const FORMAT = "WAV";

/** All a player needs; every other chunk (LIST/INFO, bext, iXML, id3, _PMX XMP…) becomes JUNK. */
const KEEP = new Set(["fmt ", "data", "fact"]);

/** Zeroed JUNK of the same size keeps offsets valid; trailing bytes may hold appended ID3 tags. */
export function stripWav(input: Buffer): Buffer {
  if (input.length < 12 || !ascii(input, 0, "RIFF") || !ascii(input, 8, "WAVE"))
    throw malformed(FORMAT, "no RIFF/WAVE header");
  const riffEnd = 8 + input.readUInt32LE(4);
  if (riffEnd > input.length)
    throw malformed(FORMAT, `the RIFF chunk claims ${riffEnd} bytes of ${input.length}`);
  const buf = Buffer.from(input.subarray(0, riffEnd));
  const seen = new Set<string>();
  for (let at = 12; at < riffEnd; ) {
    if (riffEnd - at < 8) throw malformed(FORMAT, `${riffEnd - at} stray bytes at offset ${at}`);
    const id = buf.toString("latin1", at, at + 4);
    const size = buf.readUInt32LE(at + 4);
    if (at + 8 + size > riffEnd)
      throw malformed(FORMAT, `chunk ${JSON.stringify(id)} at ${at} runs past the end`);
    // Chunks are word-aligned; a missing pad byte after the last one is tolerated.
    const next = Math.min(at + 8 + size + (size & 1), riffEnd);
    if (KEEP.has(id)) seen.add(id);
    else {
      buf.write("JUNK", at, "latin1");
      buf.fill(0, at + 8, next);
    }
    at = next;
  }
  if (!seen.has("fmt ") || !seen.has("data")) throw malformed(FORMAT, "no fmt or data chunk");
  return buf;
}
