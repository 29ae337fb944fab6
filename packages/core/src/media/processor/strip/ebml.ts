import { malformed } from "./malformed";

const FORMAT = "WebM";

const EBML = 0x1a45dfa3;
const SEGMENT = 0x18538067;
const VOID = 0xec;
const CRC32 = 0xbf;
const INFO = 0x1549a966;
const TRACKS = 0x1654ae6b;
const TRACK_ENTRY = 0xae;
const CLUSTER = 0x1f43b675;
/** Everything else (Tags, Attachments, Chapters, unknown) is voided, so the strip fails closed. */
const KEEP = new Set([0x114d9b74, INFO, TRACKS, CLUSTER, 0x1c53bb6b, VOID]);
/** Title, DateUTC and track names reveal the recording, so they go even inside kept elements. */
const NESTED = new Map<number, { drop: Set<number>; into: Set<number> }>([
  [INFO, { drop: new Set([0x7ba9, 0x4461]), into: new Set() }],
  [TRACKS, { drop: new Set(), into: new Set([TRACK_ENTRY]) }],
  [TRACK_ENTRY, { drop: new Set([0x536e]), into: new Set() }],
]);
/** What ends a Cluster of unknown size (as MediaRecorder writes): the next top- or segment-level element. */
const LEVEL1 = new Set([EBML, SEGMENT, ...KEEP, 0x1254c367, 0x1941a469, 0x1043a770]);

interface Element {
  id: number;
  start: number;
  dataStart: number;
  /** Undefined for an unknown size (live recordings): the element runs until its parent's next child. */
  end: number | undefined;
}

/** A variable-length integer's width from its first byte's leading zeros; more than `max` bytes is absurd. */
function width(buf: Buffer, at: number, end: number, max: number) {
  if (at >= end) throw malformed(FORMAT, `element cut short at offset ${at}`);
  const first = buf[at]!;
  const length = first === 0 ? 9 : Math.clz32(first) - 23;
  if (length > max) throw malformed(FORMAT, `absurd variable-length integer at offset ${at}`);
  if (at + length > end) throw malformed(FORMAT, `element cut short at offset ${at}`);
  return length;
}

function element(buf: Buffer, at: number, end: number): Element {
  const idLength = width(buf, at, end, 4);
  const id = buf.readUIntBE(at, idLength);
  const sizeAt = at + idLength;
  const sizeLength = width(buf, sizeAt, end, 8);
  let value = buf[sizeAt]! & (0xff >> sizeLength);
  let unknown = value === 0xff >> sizeLength;
  for (let i = 1; i < sizeLength; i++) {
    const byte = buf[sizeAt + i]!;
    value = value * 256 + byte;
    unknown &&= byte === 0xff;
  }
  const dataStart = sizeAt + sizeLength;
  if (unknown) return { id, start: at, dataStart, end: undefined };
  if (value > end - dataStart)
    throw malformed(
      FORMAT,
      `element 0x${id.toString(16)} at ${at} claims ${value} bytes where ${end - dataStart} remain`,
    );
  return { id, start: at, dataStart, end: dataStart + value };
}

const sized = (el: Element) => {
  if (el.end === undefined)
    throw malformed(FORMAT, `element 0x${el.id.toString(16)} at ${el.start} has no size`);
  return el.end;
};

/** Overwrites an element with a Void of the same total size, so SeekHead and Cues offsets still point right. */
function toVoid(buf: Buffer, start: number, end: number) {
  const total = end - start;
  for (let w = 1; w <= 8; w++) {
    const payload = total - 1 - w;
    if (payload < 0 || payload > 2 ** (7 * w) - 2) continue;
    buf.fill(0, start, end);
    buf[start] = VOID;
    let rest = payload;
    for (let i = w; i >= 1; i--) {
      buf[start + i] = rest % 256;
      rest = Math.floor(rest / 256);
    }
    buf[start + 1]! |= 0x80 >> (w - 1);
    return;
  }
}

/** Voids in place so sizes and offsets never change and the file stays playable. */
export function stripWebm(input: Buffer): Buffer {
  const buf = Buffer.from(input);
  if (buf.length < 4 || buf.readUInt32BE(0) !== EBML) throw malformed(FORMAT, "no EBML header");
  let segments = 0;
  for (let at = 0; at < buf.length; ) {
    const el = element(buf, at, buf.length);
    if (el.id === SEGMENT) {
      segments++;
      at = el.end ?? buf.length;
      stripSegment(buf, el.dataStart, at);
    } else if (el.id === EBML || el.id === VOID) at = sized(el);
    else throw malformed(FORMAT, `unexpected element 0x${el.id.toString(16)} at ${at}`);
  }
  if (segments === 0) throw malformed(FORMAT, "no segment");
  return buf;
}

function stripSegment(buf: Buffer, start: number, end: number) {
  for (let at = start; at < end; ) {
    const el = element(buf, at, end);
    if (el.end === undefined) {
      if (el.id !== CLUSTER) throw malformed(FORMAT, `element 0x${el.id.toString(16)} at ${at} has no size`);
      at = clusterEnd(buf, el.dataStart, end);
    } else {
      if (!KEEP.has(el.id)) toVoid(buf, el.start, el.end);
      else if (NESTED.has(el.id)) stripMaster(buf, el);
      at = el.end;
    }
  }
}

function clusterEnd(buf: Buffer, start: number, end: number) {
  let at = start;
  while (at < end && !LEVEL1.has(buf.readUIntBE(at, width(buf, at, end, 4))))
    at = sized(element(buf, at, end));
  return at;
}

/** Voids the metadata children of a master element; returns whether it changed anything. */
function stripMaster(buf: Buffer, master: Element): boolean {
  const rule = NESTED.get(master.id)!;
  const children: Element[] = [];
  for (let at = master.dataStart; at < master.end!; ) {
    const el = element(buf, at, master.end!);
    children.push(el);
    at = sized(el);
  }
  let changed = false;
  for (const el of children)
    if (rule.drop.has(el.id)) {
      toVoid(buf, el.start, el.end!);
      changed = true;
    } else if (rule.into.has(el.id)) changed = stripMaster(buf, el) || changed;
  // A CRC-32 over the edited element would no longer match: it is optional, so it goes too.
  if (changed) for (const el of children) if (el.id === CRC32) toVoid(buf, el.start, el.end!);
  return changed;
}
