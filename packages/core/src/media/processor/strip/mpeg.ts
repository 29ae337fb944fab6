import { ascii } from "../../limits";
import { malformed } from "./malformed";

const FORMAT = "MP3";

/** ID3v2 sizes are syncsafe: seven bits a byte, the high bit always clear. */
function syncsafe(buf: Buffer, at: number) {
  let value = 0;
  for (let i = 0; i < 4; i++) {
    const byte = buf[at + i]!;
    if (byte & 0x80) throw malformed(FORMAT, `ID3 tag at ${at - 6} has a bad size`);
    value = value * 128 + byte;
  }
  return value;
}

/** Frames carry no offsets, so cutting tags off either end is safe. */
export function stripMpeg(input: Buffer): Buffer {
  let start = 0;
  let end = input.length;
  while (end - start >= 10 && ascii(input, start, "ID3")) {
    const footer = input[start + 5]! & 0x10 ? 10 : 0;
    start += 10 + syncsafe(input, start + 6) + footer;
    if (start > end) throw malformed(FORMAT, "ID3 tag runs past the end of the file");
  }
  for (;;) {
    if (end - start >= 128 && ascii(input, end - 128, "TAG")) end -= 128;
    else if (end - start >= 32 && ascii(input, end - 32, "APETAGEX")) {
      const size = input.readUInt32LE(end - 20);
      const header = input.readUInt32LE(end - 12) & 0x80000000 ? 32 : 0;
      if (size < 32 || size + header > end - start) throw malformed(FORMAT, "APE tag runs past the start");
      end -= size + header;
    } else if (end - start >= 10 && ascii(input, end - 10, "3DI")) {
      const size = 20 + syncsafe(input, end - 4);
      if (size > end - start) throw malformed(FORMAT, "appended ID3 tag runs past the start");
      end -= size;
    } else break;
  }
  if (end - start < 2 || input[start] !== 0xff || (input[start + 1]! & 0xe0) !== 0xe0)
    throw malformed(FORMAT, "no audio frame after the tags");
  return Buffer.from(input.subarray(start, end));
}
