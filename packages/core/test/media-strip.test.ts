// The video/audio metadata stripper on real files made with ffmpeg (fixtures/media/README.md) and on
// hand-built ones for what ffmpeg does not write; checked with ffprobe when written, here without it.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { stripMetadata } from "../src/media/processor/strip";
import { MAX_BOXES } from "../src/media/processor/strip/mp4";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/media/${name}`, import.meta.url));

/** What the fixtures hide: place, titles, the 3GPP location box, QuickTime's ©xyz and the recording date. */
const SECRETS = ["35.6586", "SECRET-", "loci", "\xa9xyz", "2024-05"];
const secretsIn = (buf: Buffer) => SECRETS.filter((s) => buf.includes(Buffer.from(s, "latin1")));

const unreadable = expect.objectContaining({ kind: "input", code: "media.unreadable" });

const FIXTURES = [
  ["location.mp4", "video/mp4"],
  ["location-keys.mp4", "video/mp4"],
  ["location.m4a", "audio/mp4"],
  ["location.webm", "video/webm"],
  ["location-live.webm", "audio/webm"],
  ["location.mp3", "audio/mpeg"],
  ["location.wav", "audio/wav"],
  ["location.opus.ogg", "audio/ogg"],
  ["location.vorbis.ogg", "audio/ogg"],
] as const;

/** Formats whose stripping never moves a byte, because they hold absolute offsets (or say they keep sizes). */
const SAME_SIZE = new Set(["video/mp4", "audio/mp4", "video/webm", "audio/webm", "audio/wav"]);

describe("stripMetadata on real files", () => {
  it.each(FIXTURES)("removes location, titles and dates from %s, once and for all", (name, type) => {
    const input = fixture(name);
    expect(secretsIn(input)).not.toEqual([]);
    const output = stripMetadata(input, type);
    expect(secretsIn(output)).toEqual([]);
    if (SAME_SIZE.has(type)) expect(output.length).toBe(input.length);
    expect(stripMetadata(output, type).equals(output)).toBe(true);
    // The input is the caller's: it is copied, never edited.
    expect(input.equals(fixture(name))).toBe(true);
  });

  it("keeps an MP4's layout and samples, blanks its user data and zeroes its recording times", () => {
    const input = fixture("location.mp4");
    const output = stripMetadata(input, "video/mp4");
    // Top-level boxes at the same offsets with the same sizes: every stco chunk offset still holds.
    expect(boxes(output, 0, output.length).map(({ type, ...at }) => at)).toEqual(
      boxes(input, 0, input.length).map(({ type, ...at }) => at),
    );
    const mdat = boxes(input, 0, input.length).find((b) => b.type === "mdat")!;
    expect(output.subarray(mdat.start, mdat.end).equals(input.subarray(mdat.start, mdat.end))).toBe(true);
    const moov = boxes(output, 0, output.length).find((b) => b.type === "moov")!;
    const inMoov = boxes(output, moov.start + 8, moov.end).map((b) => b.type);
    expect(inMoov).toEqual(["mvhd", "trak", "trak", "free"]);
    const mvhd = output.indexOf("mvhd");
    expect(input.readUInt32BE(mvhd + 8)).not.toBe(0);
    expect(output.readUInt32BE(mvhd + 8)).toBe(0);
    // Sample tables untouched: what a player reads to find the frames.
    for (let at = input.indexOf("stbl"); at > 0; at = input.indexOf("stbl", at + 4)) {
      const stbl = [at - 4, at - 4 + input.readUInt32BE(at - 4)] as const;
      expect(output.subarray(...stbl).equals(input.subarray(...stbl))).toBe(true);
    }
  });

  it("keeps a WebM's clusters and cues byte for byte and voids Tags in place", () => {
    for (const name of ["location.webm", "location-live.webm"]) {
      const input = fixture(name);
      const output = stripMetadata(input, "video/webm");
      const before = segmentChildren(input);
      const after = segmentChildren(output);
      expect(after.map(({ id, ...at }) => at)).toEqual(before.map(({ id, ...at }) => at));
      expect(before.map((el) => el.id)).toContain(0x1254c367);
      expect(after.map((el) => el.id)).not.toContain(0x1254c367);
      const cluster = before.find((el) => el.id === 0x1f43b675)!.start;
      expect(output.subarray(cluster).equals(input.subarray(cluster))).toBe(true);
    }
  });

  it("cuts an MP3's ID3v2 and ID3v1 tags and keeps its frames", () => {
    const input = fixture("location.mp3");
    const id3v2 = 10 + (input[6]! << 21) + (input[7]! << 14) + (input[8]! << 7) + input[9]!;
    const output = stripMetadata(input, "audio/mpeg");
    expect(output.equals(input.subarray(id3v2, input.length - 128))).toBe(true);
    expect([output[0], output[1]! & 0xe0]).toEqual([0xff, 0xe0]);
  });

  it("turns a WAV's LIST and bext chunks into JUNK and keeps fmt and data", () => {
    const input = fixture("location.wav");
    const output = stripMetadata(input, "audio/wav");
    const ids = (buf: Buffer) => riffChunks(buf).map((c) => c.id);
    expect(ids(input)).toEqual(expect.arrayContaining(["bext", "LIST"]));
    expect(ids(output)).toEqual(ids(input).map((id) => (id === "fmt " || id === "data" ? id : "JUNK")));
    const data = riffChunks(input).find((c) => c.id === "data")!;
    expect(output.subarray(data.start, data.end).equals(input.subarray(data.start, data.end))).toBe(true);
    // Bytes a tagger appended after the RIFF chunk are not served either.
    const appended = Buffer.concat([input, Buffer.from("ID3\x04\x00\x00\x00\x00\x00\x07SECRET-", "latin1")]);
    expect(stripMetadata(appended, "audio/wav").equals(output)).toBe(true);
  });

  it.each([
    ["location.opus.ogg", "OpusTags"],
    ["location.vorbis.ogg", "\x03vorbis"],
  ])("rebuilds %s's comment header empty, with valid pages and the same audio", (name, magic) => {
    const input = fixture(name);
    const output = stripMetadata(input, "audio/ogg");
    const before = oggPages(input);
    const after = oggPages(output);
    for (const page of after) expect(page.crcOk).toBe(true);
    expect(after.map((p) => p.seq)).toEqual(after.map((_, i) => i));
    // Audio pages (granule > 0) are the same pages: only header pages were rebuilt.
    const audio = (pages: typeof before) =>
      pages.filter((p) => p.granule > 0n).map((p) => p.bytes.toString("hex"));
    expect(audio(after)).toEqual(audio(before));
    // The vendor string stays; the comment count after it is zero.
    const vendor = output.indexOf(magic, 0, "latin1") + magic.length;
    expect(output.readUInt32LE(vendor + 4 + output.readUInt32LE(vendor))).toBe(0);
  });
});

describe("stripMetadata on hand-built files", () => {
  it("blanks an MP4's movie-level meta, XMP uuid and timed GPS track with its samples, with 64-bit sizes", () => {
    const file = gpsMp4();
    const output = stripMetadata(file, "video/mp4");
    expect(output.length).toBe(file.length);
    for (const secret of ["ISO6709", "GPSLatitude", "GPS5", "+35.6586"]) {
      expect(file.includes(secret)).toBe(true);
      expect(output.includes(secret)).toBe(false);
    }
    // The video track and its frame stay where the sample table says they are.
    expect(output.indexOf("FRAME")).toBe(file.indexOf("FRAME"));
    expect(output.indexOf("vide")).toBe(file.indexOf("vide"));
    expect(boxes(output, 0, output.length).map((b) => b.type)).toEqual(["ftyp", "moov", "free", "mdat"]);
    const mvhd = output.indexOf("mvhd");
    expect(output.subarray(mvhd + 8, mvhd + 24).equals(Buffer.alloc(16))).toBe(true);
    expect(stripMetadata(output, "video/mp4").equals(output)).toBe(true);
  });

  it("voids Tags after a Cluster of unknown size (as MediaRecorder writes) and Title with an 8-byte size", () => {
    const title = el(0x7ba9, Buffer.from("SECRET-TITLE"), 8);
    const info = el(
      0x1549a966,
      Buffer.concat([el(0xbf, Buffer.alloc(4, 0xaa)), el(0x2ad7b1, Buffer.from([0x0f, 0x42, 0x40])), title]),
    );
    const cluster = el(
      0x1f43b675,
      Buffer.concat([el(0xe7, Buffer.from([0])), el(0xa3, Buffer.from("AUDIO"))]),
      "unknown",
    );
    const tags = el(0x1254c367, el(0x67c8, Buffer.from("LOCATION+35.6586")));
    const file = Buffer.concat([
      el(0x1a45dfa3, el(0x4282, Buffer.from("webm"))),
      el(0x18538067, Buffer.concat([info, cluster, tags]), "unknown"),
    ]);
    const output = stripMetadata(file, "audio/webm");
    expect(output.length).toBe(file.length);
    expect(secretsIn(output)).toEqual([]);
    expect(output.indexOf("AUDIO")).toBe(file.indexOf("AUDIO"));
    // Title, the CRC-32 that covered it and Tags each became one Void (0xEC) of the same total size.
    const at = (part: Buffer) => file.indexOf(part);
    for (const part of [title, el(0xbf, Buffer.alloc(4, 0xaa)), tags]) expect(output[at(part)]).toBe(0xec);
    expect(stripMetadata(output, "audio/webm").equals(output)).toBe(true);
  });

  it("passes a Chrome MediaRecorder recording through untouched, and finds Tags after its open-ended Cluster", () => {
    const input = fixture("chrome-recording.webm");
    expect(stripMetadata(input, "audio/webm").equals(input)).toBe(true);
    const tagged = Buffer.concat([input, el(0x1254c367, el(0x67c8, Buffer.from("LOCATION+35.6586")))]);
    const output = stripMetadata(tagged, "audio/webm");
    expect(output.length).toBe(tagged.length);
    expect(output.subarray(0, input.length).equals(input)).toBe(true);
    expect(secretsIn(output)).toEqual([]);
  });

  it("cuts an MP3's ID3v2.4 tag with a footer, and APEv2 and ID3v1 tags behind", () => {
    const frames = Buffer.from([0xff, 0xfb, 0x90, 0x64, ...Buffer.alloc(400, 0x55)]);
    const id3 = Buffer.concat([
      Buffer.from([0x49, 0x44, 0x33, 4, 0, 0x10, 0, 0, 0, 12]),
      Buffer.from("TIT2SECRET-T"),
      Buffer.from([0x33, 0x44, 0x49, 4, 0, 0x10, 0, 0, 0, 12]),
    ]);
    const apeItem = Buffer.from("SECRET-APE-ITEM!");
    const apeFooter = (header: boolean) => {
      const part = Buffer.alloc(32);
      part.write("APETAGEX");
      part.writeUInt32LE(2000, 8);
      part.writeUInt32LE(apeItem.length + 32, 12);
      part.writeUInt32LE(1, 16);
      part.writeUInt32LE(header ? 0xa0000000 : 0x80000000, 20);
      return part;
    };
    const id3v1 = Buffer.concat([Buffer.from("TAGSECRET-V1"), Buffer.alloc(116)]);
    const file = Buffer.concat([id3, frames, apeFooter(true), apeItem, apeFooter(false), id3v1]);
    expect(stripMetadata(file, "audio/mpeg").equals(frames)).toBe(true);
  });

  it("renumbers an Ogg stream's pages when its comments spanned several", () => {
    const input = fixture("location.opus.ogg");
    const pages = oggPages(input);
    const tags = pages[1]!.body;
    const vendorEnd = 12 + tags.readUInt32LE(8);
    const comment = Buffer.from(`METADATA_BLOCK_PICTURE=SECRET-${"x".repeat(70_000)}`);
    const count = Buffer.alloc(8);
    count.writeUInt32LE(1, 0);
    count.writeUInt32LE(comment.length, 4);
    const big = Buffer.concat([tags.subarray(0, vendorEnd), count, comment]);
    const serial = pages[0]!.serial;
    const split = 255 * 255;
    const file = Buffer.concat([
      pages[0]!.bytes,
      oggPage({ serial, seq: 1, flags: 0, granule: -1n, body: big.subarray(0, split) }),
      oggPage({ serial, seq: 2, flags: 1, granule: 0n, body: big.subarray(split) }),
      ...pages.slice(2).map((p) => renumbered(p.bytes, p.seq + 1)),
    ]);
    expect(oggPages(file).every((p) => p.crcOk)).toBe(true);
    expect(stripMetadata(file, "audio/ogg").equals(stripMetadata(input, "audio/ogg"))).toBe(true);
  });
});

describe("stripMetadata on files it cannot walk", () => {
  it.each(FIXTURES)("refuses %s cut short with a clear reason", (name, type) => {
    const input = fixture(name);
    // An MP3 has no structure past its tags: only a cut inside the ID3 tag is visible.
    const cut = type === "audio/mpeg" ? 40 : Math.floor(input.length / 2) + 3;
    expect(() => stripMetadata(input.subarray(0, cut), type)).toThrow(unreadable);
  });

  it("refuses MP4 boxes that lie about their size", () => {
    const ftyp = box("ftyp", Buffer.from("isom\0\0\0\0"));
    const moov = box("moov", box("mvhd", Buffer.alloc(100)));
    const huge = Buffer.from(moov);
    huge.writeUInt32BE(0xfffffff0, 0);
    const tiny = Buffer.from(moov);
    tiny.writeUInt32BE(4, 0);
    const large = Buffer.concat([
      Buffer.from([0, 0, 0, 1]),
      Buffer.from("mdat"),
      Buffer.from("ffffffffffffff00", "hex"),
    ]);
    for (const file of [
      Buffer.concat([ftyp, huge]),
      Buffer.concat([ftyp, tiny]),
      Buffer.concat([ftyp, moov, large]),
      Buffer.concat([ftyp, moov, Buffer.from([0, 0, 0])]),
      ftyp,
      Buffer.concat([ftyp, moov, moov]),
    ])
      expect(() => stripMetadata(file, "video/mp4")).toThrow(unreadable);
  });

  it("refuses an MP4 box claiming 4 GB in a small file, in 32 and 64 bits, before reading or allocating it", () => {
    const ftyp = box("ftyp", Buffer.from("isom\0\0\0\0"));
    const moov = box("moov", box("mvhd", Buffer.alloc(100)));
    const claim32 = Buffer.concat([u32(0xffffffff), Buffer.from("mdat"), Buffer.alloc(64)]);
    const claim64 = Buffer.concat([u32(1), Buffer.from("mdat"), u32(1, 0), Buffer.alloc(64)]);
    const inMovie = box("moov", Buffer.concat([u32(0xffffffff), Buffer.from("udta")]));
    for (const file of [
      Buffer.concat([ftyp, moov, claim32]),
      Buffer.concat([ftyp, moov, claim64]),
      Buffer.concat([ftyp, inMovie]),
    ])
      expect(() => stripMetadata(file, "video/mp4")).toThrow(/claims (4294967295|4294967296) bytes/);
  });

  it(`refuses a million tiny MP4 boxes, at the top or inside a track, past ${MAX_BOXES} boxes`, () => {
    const ftyp = box("ftyp", Buffer.from("isom\0\0\0\0"));
    const tiny = (n: number) => {
      const out = Buffer.alloc(8 * n);
      for (let i = 0; i < n; i++) {
        out.writeUInt32BE(8, 8 * i);
        out.write("free", 8 * i + 4, "latin1");
      }
      return out;
    };
    const moov = box("moov", box("mvhd", Buffer.alloc(100)));
    const top = Buffer.concat([ftyp, moov, tiny(1_000_000)]);
    const inTrack = Buffer.concat([
      ftyp,
      box("moov", box("mvhd", Buffer.alloc(100)), box("trak", tiny(1_000_000))),
    ]);
    for (const file of [top, inTrack])
      expect(() => stripMetadata(file, "video/mp4")).toThrow(`more than ${MAX_BOXES} boxes`);
    // Just under the budget still strips: a long fragmented clip is not a crafted one.
    expect(stripMetadata(Buffer.concat([ftyp, moov, tiny(MAX_BOXES - 10)]), "video/mp4")).toHaveLength(
      ftyp.length + moov.length + 8 * (MAX_BOXES - 10),
    );
  });

  it("blanks a nesting bomb (100,000 boxes deep) in a track without descending into it", () => {
    const depth = 100_000;
    const nested = Buffer.alloc(8 * depth + 4);
    for (let i = 0; i < depth; i++) {
      nested.writeUInt32BE(nested.length - 8 * i, 8 * i);
      nested.write("trak", 8 * i + 4, "latin1");
    }
    const ftyp = box("ftyp", Buffer.from("isom\0\0\0\0"));
    const file = Buffer.concat([ftyp, box("moov", box("mvhd", Buffer.alloc(100)), nested)]);
    const output = stripMetadata(file, "video/mp4");
    expect(output).toHaveLength(file.length);
    // The outer track is walked; its one child, a track inside a track, is not a kept box and is blanked whole.
    const inner = ftyp.length + 8 + 108 + 8;
    expect(output.toString("latin1", inner + 4, inner + 8)).toBe("free");
    expect(output.subarray(inner + 8).every((b) => b === 0)).toBe(true);
  });

  it("zeroes a metadata track listing a million empty chunks, one chunk at a time", () => {
    const chunks = 1_000_000;
    const stco = full("stco", u32(chunks), Buffer.alloc(4 * chunks));
    const stbl = box("stbl", full("stsz", u32(0, 0)), full("stsc", u32(1, 1, 1, 1)), stco);
    const trak = box(
      "trak",
      full("tkhd", Buffer.alloc(80)),
      box(
        "mdia",
        full("mdhd", Buffer.alloc(20)),
        full("hdlr", u32(0), Buffer.from("meta"), Buffer.alloc(13)),
        box("minf", stbl),
      ),
    );
    const ftyp = box("ftyp", Buffer.from("isom\0\0\0\0"));
    const file = Buffer.concat([ftyp, box("moov", box("mvhd", Buffer.alloc(100)), trak)]);
    const output = stripMetadata(file, "video/mp4");
    expect(output).toHaveLength(file.length);
    expect(output.toString("latin1", ftyp.length + 8 + 108 + 4, ftyp.length + 8 + 108 + 8)).toBe("free");
  });

  it("refuses WebM with an absurd variable-length integer or an element past its parent", () => {
    const header = el(0x1a45dfa3, el(0x4282, Buffer.from("webm")));
    const absurd = Buffer.concat([header, Buffer.from([0x18, 0x53, 0x80, 0x67, 0x00, 0x01])]);
    const overrun = Buffer.concat([
      header,
      el(0x18538067, Buffer.concat([Buffer.from([0x15, 0x49, 0xa9, 0x66, 0x90]), Buffer.alloc(4)])),
    ]);
    for (const file of [absurd, overrun, Buffer.from("not webm")])
      expect(() => stripMetadata(file, "video/webm")).toThrow(unreadable);
  });

  it("refuses an Ogg page with a bad checksum and streams that are neither Vorbis nor Opus", () => {
    const input = fixture("location.opus.ogg");
    const flipped = Buffer.from(input);
    flipped[flipped.length - 5]! ^= 1;
    expect(() => stripMetadata(flipped, "audio/ogg")).toThrow(/checksum/);
    const theora = oggPage({
      serial: 7,
      seq: 0,
      flags: 2,
      granule: 0n,
      body: Buffer.from("\x80theora", "latin1"),
    });
    expect(() => stripMetadata(theora, "audio/ogg")).toThrow(/Vorbis and Opus/);
  });

  it("answers random damage with a Buffer or media.unreadable, never another error or a hang", () => {
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (const [name, type] of [...FIXTURES, ["chrome-recording.webm", "audio/webm"] as const]) {
      const input = fixture(name);
      for (let round = 0; round < 150; round++) {
        const damaged = Buffer.from(input.subarray(0, round % 3 ? input.length : random(input.length)));
        for (let i = 0; i < 1 + random(4) && damaged.length; i++)
          damaged[random(damaged.length)] = random(256);
        try {
          expect(stripMetadata(damaged, type)).toBeInstanceOf(Buffer);
        } catch (error) {
          // A reason the walker foresaw, naming the format, not the catch-all for a read past the end.
          expect(error).toEqual(unreadable);
          expect((error as Error).message).toMatch(/^Not a readable (MP4|WebM|MP3|WAV|Ogg) file: /);
        }
      }
    }
  });

  it("refuses a type it has no stripper for", () => {
    expect(() => stripMetadata(Buffer.alloc(10), "video/quicktime")).toThrow(
      expect.objectContaining({ code: "media.unsupported_type" }),
    );
  });
});

// Readers and writers for the tests, independent of the code under test.

function boxes(buf: Buffer, start: number, end: number) {
  const out: { type: string; start: number; end: number }[] = [];
  for (let at = start; at < end; ) {
    let size = buf.readUInt32BE(at);
    if (size === 1) size = Number(buf.readBigUInt64BE(at + 8));
    if (size === 0) size = end - at;
    out.push({ type: buf.toString("latin1", at + 4, at + 8), start: at, end: at + size });
    at += size;
  }
  return out;
}

function box(type: string, ...payload: Buffer[]) {
  const body = Buffer.concat(payload);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + body.length);
  header.write(type, 4, "latin1");
  return Buffer.concat([header, body]);
}

const full = (type: string, ...payload: Buffer[]) => box(type, Buffer.alloc(4), ...payload);
const u32 = (...values: number[]) =>
  Buffer.concat(values.map((v) => Buffer.from([v >>> 24, (v >> 16) & 255, (v >> 8) & 255, v & 255])));

/** A clip as an action camera writes it: Apple-style moov/meta, an XMP uuid, and a GPS track in mdat. */
function gpsMp4() {
  const ftyp = box("ftyp", Buffer.from("isom\0\0\0\0isom"));
  const mvhd = box("mvhd", Buffer.from([1, 0, 0, 0]), Buffer.alloc(16, 0x7f), Buffer.alloc(92));
  const track = (handler: string, stbl: Buffer) =>
    box(
      "trak",
      full("tkhd", Buffer.alloc(80)),
      box(
        "mdia",
        full("mdhd", Buffer.alloc(20)),
        full("hdlr", u32(0), Buffer.from(handler), Buffer.alloc(13)),
        box("minf", stbl),
      ),
    );
  const gpsTrack = (offset: number) =>
    track(
      "meta",
      box("stbl", full("stsz", u32(0, 2, 8, 8)), full("stsc", u32(1, 1, 2, 1)), full("stco", u32(1, offset))),
    );
  const meta = box(
    "meta",
    full("hdlr", u32(0), Buffer.from("mdta"), Buffer.alloc(13)),
    box("keys", Buffer.from("com.apple.quicktime.location.ISO6709")),
    box("ilst", Buffer.from("+35.6586+139.7454/")),
  );
  const xmp = box(
    "uuid",
    Buffer.from("be7acfcb97a942e89c71999491e3afac", "hex"),
    Buffer.from("<x:xmpmeta exif:GPSLatitude='35,39N'/>"),
  );
  const samples = Buffer.from("FRAMEFRAMEGPS5AAAAGPS5BBBB");
  const moov = (offset: number) =>
    box("moov", mvhd, track("vide", box("stbl", full("stsz", u32(0, 0)))), meta, gpsTrack(offset));
  const before = ftyp.length + moov(0).length + xmp.length;
  // mdat with a 64-bit size, as large recordings have.
  const mdatHeader = Buffer.concat([u32(1), Buffer.from("mdat"), Buffer.alloc(4), u32(16 + samples.length)]);
  return Buffer.concat([ftyp, moov(before + 16 + 10), xmp, mdatHeader, samples]);
}

/** An EBML element; its size as a vint of the given width, or "unknown" (all ones). */
function el(id: number, payload: Buffer, width: number | "unknown" = 1) {
  const idBytes = Buffer.from(
    id.toString(16).padStart(id > 0xffffff ? 8 : id > 0xffff ? 6 : id > 0xff ? 4 : 2, "0"),
    "hex",
  );
  if (width === "unknown") return Buffer.concat([idBytes, Buffer.from([1, ...Array(7).fill(0xff)]), payload]);
  const size = Buffer.alloc(width);
  for (let i = width - 1, v = payload.length; i >= 0; i--, v = Math.floor(v / 256)) size[i] = v % 256;
  size[0]! |= 0x80 >> (width - 1);
  return Buffer.concat([idBytes, size, payload]);
}

function vint(buf: Buffer, at: number, keepMarker: boolean) {
  const length = Math.clz32(buf[at]!) - 23;
  let value = keepMarker ? buf[at]! : buf[at]! & (0xff >> length);
  for (let i = 1; i < length; i++) value = value * 256 + buf[at + i]!;
  return { value, length };
}

/** The Segment's children with their offsets; an unknown-size Cluster ends at the next Cluster. */
function segmentChildren(buf: Buffer) {
  const skip = (at: number) => {
    const id = vint(buf, at, true);
    const size = vint(buf, at + id.length, false);
    return { id: id.value, data: at + id.length + size.length, size: size.value };
  };
  const header = skip(0);
  let at = skip(header.data + header.size).data;
  const out: { id: number; start: number; end: number }[] = [];
  while (at < buf.length) {
    const child = skip(at);
    out.push({ id: child.id, start: at, end: child.data + child.size });
    at = child.data + child.size;
  }
  return out;
}

function riffChunks(buf: Buffer) {
  const out: { id: string; start: number; end: number }[] = [];
  for (let at = 12; at + 8 <= buf.length; ) {
    const size = buf.readUInt32LE(at + 4);
    out.push({ id: buf.toString("latin1", at, at + 4), start: at + 8, end: at + 8 + size });
    at += 8 + size + (size & 1);
  }
  return out;
}

/** Ogg's CRC bit by bit (polynomial 0x04C11DB7, no reflection), to check the table-driven one. */
function oggCrc(bytes: Buffer) {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << 24;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x80000000 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
  }
  return crc >>> 0;
}

function oggPages(buf: Buffer) {
  const out = [];
  for (let at = 0; at < buf.length; ) {
    const count = buf[at + 26]!;
    const length = buf.subarray(at + 27, at + 27 + count).reduce((sum, n) => sum + n, 0);
    const bytes = buf.subarray(at, at + 27 + count + length);
    const zeroed = Buffer.from(bytes);
    zeroed.writeUInt32LE(0, 22);
    out.push({
      bytes,
      body: bytes.subarray(27 + count),
      flags: bytes[5]!,
      granule: bytes.readBigInt64LE(6),
      serial: bytes.readUInt32LE(14),
      seq: bytes.readUInt32LE(18),
      crcOk: oggCrc(zeroed) === bytes.readUInt32LE(22),
    });
    at += bytes.length;
  }
  return out;
}

function renumbered(page: Buffer, seq: number) {
  const bytes = Buffer.from(page);
  bytes.writeUInt32LE(seq, 18);
  bytes.writeUInt32LE(0, 22);
  bytes.writeUInt32LE(oggCrc(bytes), 22);
  return bytes;
}

/** One page holding `body` (at most 255 lacing values), ending its packet unless the body fills the page. */
function oggPage(page: { serial: number; seq: number; flags: number; granule: bigint; body: Buffer }) {
  const lacing = [...Array(Math.floor(page.body.length / 255)).fill(255)];
  if (lacing.length < 255) lacing.push(page.body.length % 255);
  const header = Buffer.alloc(27 + lacing.length);
  header.write("OggS");
  header[5] = page.flags;
  header.writeBigInt64LE(page.granule, 6);
  header.writeUInt32LE(page.serial, 14);
  header.writeUInt32LE(page.seq, 18);
  header[26] = lacing.length;
  Buffer.from(lacing).copy(header, 27);
  const bytes = Buffer.concat([header, page.body]);
  bytes.writeUInt32LE(oggCrc(bytes), 22);
  return bytes;
}
