import { ascii } from "../../limits";
import { malformed } from "./malformed";

const FORMAT = "Ogg";

/** Ogg's CRC-32: polynomial 0x04C11DB7, no reflection, zero start, no final xor (unlike zlib's). */
const TABLE = Uint32Array.from({ length: 256 }, (_, i) => {
  let r = i << 24;
  for (let bit = 0; bit < 8; bit++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
  return r >>> 0;
});

function crc(bytes: Uint8Array, value = 0) {
  let c = value;
  for (const byte of bytes) c = ((c << 8) ^ TABLE[((c >>> 24) ^ byte) & 0xff]!) >>> 0;
  return c;
}

interface Codec {
  name: string;
  /** How the first packet starts. */
  id: string;
  /** How the comment packet starts; vendor string and comment count follow. */
  comment: string;
  /** Header packets before the audio: identification, comments, (setup). */
  headers: number;
  /** Vorbis ends its comment packet with a framing bit. */
  framing: boolean;
}

const CODECS: Codec[] = [
  { name: "Vorbis", id: "\x01vorbis", comment: "\x03vorbis", headers: 3, framing: true },
  { name: "Opus", id: "OpusHead", comment: "OpusTags", headers: 2, framing: false },
];

interface Page {
  start: number;
  end: number;
  flags: number;
  serial: number;
  seq: number;
  lacing: Buffer;
}

const CONTINUED = 1;
const FIRST = 2;
const LAST = 4;

function readPage(buf: Buffer, at: number): Page {
  if (buf.length - at < 27 || !ascii(buf, at, "OggS")) throw malformed(FORMAT, `no page at offset ${at}`);
  if (buf[at + 4] !== 0) throw malformed(FORMAT, `page at ${at} has an unknown version`);
  const count = buf[at + 26]!;
  const lacing = buf.subarray(at + 27, at + 27 + count);
  const end = at + 27 + count + lacing.reduce((sum, n) => sum + n, 0);
  if (lacing.length < count || end > buf.length) throw malformed(FORMAT, `page at ${at} is cut short`);
  const sum = crc(buf.subarray(at + 26, end), crc(Buffer.alloc(4), crc(buf.subarray(at, at + 22))));
  if (sum !== buf.readUInt32LE(at + 22)) throw malformed(FORMAT, `page at ${at} fails its checksum`);
  return {
    start: at,
    end,
    flags: buf[at + 5]!,
    serial: buf.readUInt32LE(at + 14),
    seq: buf.readUInt32LE(at + 18),
    lacing,
  };
}

/** A page's body cut at its lacing: the pieces that end a packet, and the one left open at the end. */
function packetsOf(buf: Buffer, page: Page) {
  const complete: Buffer[] = [];
  let from = page.start + 27 + page.lacing.length;
  let to = from;
  for (const n of page.lacing) {
    to += n;
    if (n < 255) {
      complete.push(buf.subarray(from, to));
      from = to;
    }
  }
  return { complete, open: from < to ? buf.subarray(from, to) : undefined };
}

/** The comment packet with no comments; the vendor string (the encoder's name) stays. */
function emptyComments(codec: Codec, packet: Buffer) {
  const prefix = codec.comment.length;
  if (!ascii(packet, 0, codec.comment) || packet.length < prefix + 4)
    throw malformed(FORMAT, `the ${codec.name} comment header is missing`);
  const vendorEnd = prefix + 4 + packet.readUInt32LE(prefix);
  if (vendorEnd > packet.length)
    throw malformed(FORMAT, `the ${codec.name} vendor string runs past its packet`);
  return Buffer.concat([
    packet.subarray(0, vendorEnd),
    Buffer.alloc(4),
    Buffer.from(codec.framing ? [1] : []),
  ]);
}

function sealed(page: Buffer) {
  page.writeUInt32LE(0, 22);
  page.writeUInt32LE(crc(page), 22);
  return page;
}

/** Header packets laid out on pages anew (at most 255 lacing values each), as libogg's flush would. */
function paginate(packets: Buffer[], serial: number, firstSeq: number, last: boolean): Buffer[] {
  const pages: Buffer[] = [];
  let lacing: number[] = [];
  let body: Buffer[] = [];
  let continued = false;
  let ends = false;
  const flush = (more: boolean) => {
    const header = Buffer.alloc(27 + lacing.length);
    header.write("OggS", 0, "latin1");
    header[5] = (continued ? CONTINUED : 0) | (last && !more ? LAST : 0);
    // A page on which no packet ends has no granule position (-1); header packets are at 0.
    header.writeBigInt64LE(ends ? 0n : -1n, 6);
    header.writeUInt32LE(serial, 14);
    header.writeUInt32LE((firstSeq + pages.length) >>> 0, 18);
    header[26] = lacing.length;
    Buffer.from(lacing).copy(header, 27);
    pages.push(sealed(Buffer.concat([header, ...body])));
    lacing = [];
    body = [];
    ends = false;
  };
  packets.forEach((packet, p) => {
    for (let offset = 0; ; offset += 255) {
      const piece = packet.subarray(offset, offset + 255);
      lacing.push(piece.length);
      body.push(piece);
      ends ||= piece.length < 255;
      const more = piece.length === 255 || p < packets.length - 1;
      if (lacing.length === 255 && more) {
        flush(true);
        continued = piece.length === 255;
      }
      if (piece.length < 255) break;
    }
  });
  flush(false);
  return pages;
}

interface Stream {
  codec: Codec;
  /** Header packets still to come after the identification one; 0 once the audio starts. */
  remaining: number;
  packets: Buffer[];
  partial: Buffer[];
  pages: number;
  firstSeq: number;
  /** How far the page numbers of this stream's audio move once its comment pages are rebuilt. */
  shift: number;
}

/** Comment packets hold titles, locations and cover art; pages are renumbered so players accept it. */
export function stripOgg(input: Buffer): Buffer {
  const out: Buffer[] = [];
  const streams = new Map<number, Stream>();
  for (let at = 0; at < input.length; ) {
    const page = readPage(input, at);
    const bytes = input.subarray(page.start, page.end);
    at = page.end;
    if (page.flags & FIRST) {
      const { complete, open } = packetsOf(input, page);
      const [first] = complete;
      if (page.flags & CONTINUED || complete.length !== 1 || open || !first)
        throw malformed(FORMAT, `the first page of stream ${page.serial} holds more than its first packet`);
      const codec = CODECS.find((c) => ascii(first, 0, c.id));
      if (!codec) throw malformed(FORMAT, "only Vorbis and Opus streams are supported");
      streams.set(page.serial, {
        codec,
        remaining: codec.headers - 1,
        packets: [],
        partial: [],
        pages: 0,
        firstSeq: (page.seq + 1) >>> 0,
        shift: 0,
      });
      out.push(bytes);
      continue;
    }
    const stream = streams.get(page.serial);
    if (!stream) throw malformed(FORMAT, `page at ${page.start} belongs to no stream`);
    if (stream.remaining === 0) {
      out.push(stream.shift ? sealed(renumbered(bytes, page.seq + stream.shift)) : bytes);
      continue;
    }
    if (Boolean(page.flags & CONTINUED) !== stream.partial.length > 0)
      throw malformed(FORMAT, `page at ${page.start} breaks a header packet`);
    const { complete, open } = packetsOf(input, page);
    complete.forEach((piece, i) => {
      stream.packets.push(Buffer.concat([...(i === 0 ? stream.partial : []), piece]));
      if (i === 0) stream.partial = [];
    });
    if (open) stream.partial.push(open);
    stream.pages++;
    if (stream.packets.length < stream.remaining) continue;
    if (stream.packets.length > stream.remaining || stream.partial.length)
      throw malformed(FORMAT, `audio shares a page with the headers of stream ${page.serial}`);
    const [comments, ...rest] = stream.packets;
    const pages = paginate(
      [emptyComments(stream.codec, comments!), ...rest],
      page.serial,
      stream.firstSeq,
      Boolean(page.flags & LAST),
    );
    out.push(...pages);
    stream.shift = pages.length - stream.pages;
    stream.remaining = 0;
    stream.packets = [];
  }
  if (streams.size === 0) throw malformed(FORMAT, "no streams");
  for (const [serial, stream] of streams)
    if (stream.remaining > 0) throw malformed(FORMAT, `the headers of stream ${serial} never end`);
  return Buffer.concat(out);
}

function renumbered(page: Buffer, seq: number) {
  const copy = Buffer.from(page);
  copy.writeUInt32LE(seq >>> 0, 18);
  return copy;
}
