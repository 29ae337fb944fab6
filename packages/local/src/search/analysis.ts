// How text becomes grams (which pick candidates) and words (which score them).
import type { Source } from "./query";

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー々〆]/u;
/** CJK or not, per UTF-16 code unit, learnt on first sight: the regex per character dominated indexing. */
const cjkSeen = new Uint8Array(0x10000);
function isCjk(unit: number): boolean {
  if (unit >= 0xd800 && unit <= 0xdfff) return false;
  if (cjkSeen[unit] === 0) cjkSeen[unit] = CJK.test(String.fromCharCode(unit)) ? 2 : 1;
  return cjkSeen[unit] === 2;
}

// Grams are numbers made of UTF-16 code units (hashing strings dominated indexing): a lone unit, a pair, a triple.
const SPACE = 32;
const pair = (b: number, c: number) => (b + 1) * 0x10000 + c;
const triple = (a: number, b: number, c: number) => 2 ** 33 + (a * 0x10000 + b) * 0x10000 + c;

/** Runs of three units (spaces too, so phrases narrow), space-free pairs, and lone CJK characters (words). */
export function eachGram(text: string, emit: (gram: number) => void) {
  let a = -1;
  let b = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== SPACE) {
      if (isCjk(c)) emit(c);
      if (b >= 0 && b !== SPACE) emit(pair(b, c));
    }
    if (a >= 0) emit(triple(a, b, c));
    a = b;
    b = c;
  }
}

/** The grams every text containing `needle` holds: its runs of three, else its pair, else a lone CJK character. */
export function needleGrams(needle: string): number[] {
  const u = (i: number) => needle.charCodeAt(i);
  if (needle.length >= 3)
    return [
      ...new Set(Array.from({ length: needle.length - 2 }, (_, i) => triple(u(i), u(i + 1), u(i + 2)))),
    ];
  if (needle.length === 2) return needle.includes(" ") ? [] : [pair(u(0), u(1))];
  return needle.length === 1 && isCjk(u(0)) ? [u(0)] : [];
}

/** The score's length damping (see `occurrences`). */
export const damping = (text: string) => 1 + text.length / 200;

export const textOf = (doc: Source, field: string) => String(doc[field] ?? "");

/** A text value's terms: the engine runs no analysis chain (the client sends folded text), so words as sent. */
export const termsOf = (v: unknown) => String(v).split(/\s+/u);

/** A small BM25-like score: occurrences of each word, damped by the document's length. */
export function occurrences(doc: Source, field: string, words: string[]): number {
  const text = textOf(doc, field);
  let n = 0;
  for (const w of words) {
    if (!w) continue;
    for (let at = text.indexOf(w); at !== -1; at = text.indexOf(w, at + w.length)) n++;
  }
  return n / damping(text);
}
