import { malformed } from "./malformed";

const FORMAT = "MP4";

/** Anything not listed is blanked, so an unknown place to hide a location fails closed. */
const KEEP: Record<"top" | "moov" | "trak" | "mdia", ReadonlySet<string>> = {
  top: new Set(["ftyp", "moov", "mdat", "moof", "mfra", "sidx", "ssix", "styp", "prft", "emsg", "pdin"]),
  moov: new Set(["mvhd", "trak", "mvex", "iods", "pssh"]),
  trak: new Set(["tkhd", "tref", "trgr", "edts", "mdia"]),
  mdia: new Set(["mdhd", "hdlr", "minf", "elng"]),
};

/** Real files hold tens of boxes (a long fragmented clip a few thousand): more is a crafted walk, refused. */
export const MAX_BOXES = 100_000;

interface Box {
  type: string;
  start: number;
  /** 8, or 16 with a 64-bit size: what blanking keeps. */
  header: number;
  end: number;
}

/** Counts every box one walk visits, so no crafted file can make the stripper loop or hold more. */
class Budget {
  private left = MAX_BOXES;
  spend() {
    if (--this.left < 0) throw malformed(FORMAT, `more than ${MAX_BOXES} boxes`);
  }
}

// Sizes are checked against the bytes that remain before use: nothing is allocated from a length the file states.
function* boxes(buf: Buffer, start: number, end: number, budget: Budget): Generator<Box> {
  for (let at = start; at < end; ) {
    budget.spend();
    if (end - at < 8) throw malformed(FORMAT, `${end - at} stray bytes at offset ${at}`);
    const type = buf.toString("latin1", at + 4, at + 8);
    let size = buf.readUInt32BE(at);
    let header = 8;
    if (size === 1) {
      if (end - at < 16) throw malformed(FORMAT, `box ${JSON.stringify(type)} at ${at} is cut short`);
      size = Number(buf.readBigUInt64BE(at + 8));
      header = 16;
    } else if (size === 0) size = end - at;
    if (size < header + (type === "uuid" ? 16 : 0) || size > end - at)
      throw malformed(
        FORMAT,
        `box ${JSON.stringify(type)} at ${at} claims ${size} bytes where ${end - at} remain`,
      );
    yield { type, start: at, header, end: at + size };
    at += size;
  }
}

/** Renamed to `free` and zeroed in place: no later byte moves, so every chunk offset (stco/co64) still holds. */
function blank(buf: Buffer, box: Box) {
  buf.write("free", box.start + 4, "latin1");
  buf.fill(0, box.start + box.header, box.end);
}

/** Recording times say when the clip was taken; players only read durations and timescales here. */
function zeroTimes(buf: Buffer, box: Box) {
  const at = box.start + box.header;
  const length = buf[at] === 1 ? 16 : 8;
  if (box.end - at < 4 + length) throw malformed(FORMAT, `${box.type} at ${box.start} is cut short`);
  buf.fill(0, at + 4, at + 4 + length);
}

/** Blanks in place so sizes never change; fragments (moof) are left as they are. */
export function stripMp4(input: Buffer): Buffer {
  const buf = Buffer.from(input);
  const budget = new Budget();
  let movies = 0;
  for (const box of boxes(buf, 0, buf.length, budget)) {
    if (box.type === "moov") {
      movies++;
      stripMovie(buf, box, budget);
    } else if (!KEEP.top.has(box.type)) blank(buf, box);
  }
  if (movies !== 1) throw malformed(FORMAT, `${movies} movie headers (moov) where one belongs`);
  return buf;
}

function stripMovie(buf: Buffer, moov: Box, budget: Budget) {
  for (const box of boxes(buf, moov.start + moov.header, moov.end, budget)) {
    if (box.type === "mvhd") zeroTimes(buf, box);
    else if (box.type === "trak") stripTrack(buf, box, budget);
    // Old QuickTime's zlib-compressed movie header: its metadata cannot be reached without inflating it.
    else if (box.type === "cmov") throw malformed(FORMAT, "compressed movie headers are not supported");
    else if (!KEEP.moov.has(box.type)) blank(buf, box);
  }
}

function stripTrack(buf: Buffer, trak: Box, budget: Budget) {
  const mdia = child(buf, trak, "mdia", budget);
  if (mdia && handlerOf(buf, mdia, budget) === "meta") {
    // A timed-metadata track is a GPS log or the like: its samples go with it, the audio and video stay.
    blankSamples(buf, mdia, budget);
    blank(buf, trak);
    return;
  }
  for (const box of boxes(buf, trak.start + trak.header, trak.end, budget)) {
    if (box.type === "tkhd") zeroTimes(buf, box);
    else if (box.type === "mdia") stripMedia(buf, box, budget);
    else if (!KEEP.trak.has(box.type)) blank(buf, box);
  }
}

function stripMedia(buf: Buffer, mdia: Box, budget: Budget) {
  for (const box of boxes(buf, mdia.start + mdia.header, mdia.end, budget)) {
    if (box.type === "mdhd") zeroTimes(buf, box);
    else if (!KEEP.mdia.has(box.type)) blank(buf, box);
  }
}

/** The first child of a type, walked lazily: siblings are never collected into a list. */
function child(buf: Buffer, parent: Box, type: string, budget: Budget): Box | undefined {
  for (const box of boxes(buf, parent.start + parent.header, parent.end, budget))
    if (box.type === type) return box;
  return undefined;
}

/** hdlr is a full box: version and flags, pre_defined, then the handler type. */
function handlerOf(buf: Buffer, mdia: Box, budget: Budget): string | undefined {
  const hdlr = child(buf, mdia, "hdlr", budget);
  if (!hdlr) return undefined;
  const at = hdlr.start + hdlr.header + 8;
  if (hdlr.end - at < 4) throw malformed(FORMAT, `hdlr at ${hdlr.start} is cut short`);
  return buf.toString("latin1", at, at + 4);
}

/** A full box's table: its entry count, checked against the box so a lying count cannot run past it. */
function table(buf: Buffer, box: Box | undefined, name: string, skip: number, entrySize: number) {
  if (!box) throw malformed(FORMAT, `a metadata track has no ${name}`);
  const at = box.start + box.header + 4 + skip;
  if (box.end - at < 4) throw malformed(FORMAT, `${name} at ${box.start} is cut short`);
  const count = buf.readUInt32BE(at);
  if (count * entrySize > box.end - at - 4)
    throw malformed(FORMAT, `${name} at ${box.start} lists more entries than it holds`);
  return { count, at: at + 4 };
}

/** Zeroes a track's chunks where its sample table (stsz, stsc, stco/co64) puts them, one chunk at a time. */
function blankSamples(buf: Buffer, mdia: Box, budget: Budget) {
  const minf = child(buf, mdia, "minf", budget);
  const stbl = minf && child(buf, minf, "stbl", budget);
  if (!stbl) throw malformed(FORMAT, "a metadata track has no sample table");
  const stsz = child(buf, stbl, "stsz", budget);
  const fixed =
    stsz && stsz.end - stsz.start >= stsz.header + 8 ? buf.readUInt32BE(stsz.start + stsz.header + 4) : 0;
  const sizes = table(buf, stsz, "stsz", 4, fixed ? 0 : 4);
  const runs = table(buf, child(buf, stbl, "stsc", budget), "stsc", 0, 12);
  const co64 = child(buf, stbl, "co64", budget);
  const chunks = co64
    ? table(buf, co64, "co64", 0, 8)
    : table(buf, child(buf, stbl, "stco", budget), "stco", 0, 4);
  const chunkOffset = (i: number) =>
    co64 ? Number(buf.readBigUInt64BE(chunks.at + 8 * i)) : buf.readUInt32BE(chunks.at + 4 * i);
  let sample = 0;
  let total = 0;
  for (let run = 0; run < runs.count && sample < sizes.count; run++) {
    const first = buf.readUInt32BE(runs.at + 12 * run) - 1;
    const perChunk = buf.readUInt32BE(runs.at + 12 * run + 4);
    const last = run + 1 < runs.count ? buf.readUInt32BE(runs.at + 12 * (run + 1)) - 1 : chunks.count;
    // Runs must advance, or a crafted table would make this loop quadratic.
    if (first < 0 || last <= first) throw malformed(FORMAT, "a metadata track's stsc runs do not advance");
    for (let chunk = first; chunk < Math.min(last, chunks.count) && sample < sizes.count; chunk++) {
      const count = Math.min(perChunk, sizes.count - sample);
      let size = fixed * count;
      for (let i = 0; !fixed && i < count; i++) size += buf.readUInt32BE(sizes.at + 4 * (sample + i));
      sample += count;
      const offset = chunkOffset(chunk);
      total += size;
      // Real samples never overlap: more than the file in all is a table that lies.
      if (offset + size > buf.length || total > buf.length)
        throw malformed(FORMAT, "a metadata track's samples lie past the end of the file");
      buf.fill(0, offset, offset + size);
    }
  }
}
