// Text folding shared by the indexer, the query parser, both engines and the browser (pure, no Node APIs).

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー々〆]/u;
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;
const LATIN = /\p{Script=Latin}/u;

/** What every engine matches on: NFKC (full-width → ASCII, half-width kana → full-width) and lowercase. */
export function fold(text: string): string {
  return text.normalize("NFKC").toLowerCase();
}

/** Katakana folded to hiragana, so a name typed in either kana finds the other (names only). */
export function foldKana(text: string): string {
  return fold(text).replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60));
}

/** The post's language, decided once at index time: any kana (or mostly CJK) is Japanese; Latin letters are English. */
export function detectLang(text: string): "ja" | "en" | "other" {
  let cjk = 0;
  let latin = 0;
  for (const ch of text) {
    if (KANA.test(ch)) return "ja";
    if (CJK.test(ch)) cjk++;
    else if (LATIN.test(ch)) latin++;
  }
  if (cjk > 0 && cjk * 3 >= latin) return "ja";
  return latin > 0 ? "en" : "other";
}

export interface Range {
  start: number;
  end: number;
}

/** NFKC folding can change lengths, so each original code point maps to its folded span. */
export function highlight(text: string, needles: string[]): Range[] {
  const wanted = [...new Set(needles.map(fold).filter((n) => n.length > 0))];
  if (wanted.length === 0 || !text) return [];
  let folded = "";
  const origin: number[] = [];
  let offset = 0;
  for (const ch of text) {
    const f = fold(ch);
    for (let i = 0; i < f.length; i++) origin.push(offset);
    folded += f;
    offset += ch.length;
  }
  origin.push(text.length);
  const ranges: Range[] = [];
  for (const needle of wanted) {
    for (let at = folded.indexOf(needle); at !== -1; at = folded.indexOf(needle, at + needle.length)) {
      const start = origin[at] ?? 0;
      const lastIndex = at + needle.length - 1;
      const last = origin[lastIndex] ?? text.length;
      const end = last + (text.codePointAt(last)! > 0xffff ? 2 : 1);
      ranges.push({ start, end: Math.min(end, text.length) });
    }
  }
  ranges.sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: Range[] = [];
  for (const r of ranges) {
    const prev = merged.at(-1);
    if (prev && r.start <= prev.end) prev.end = Math.max(prev.end, r.end);
    else merged.push({ ...r });
  }
  return merged;
}

/** Splits text at highlight ranges so a UI can wrap the matched pieces (React escapes each piece). */
export function split(text: string, ranges: Range[]): { text: string; match: boolean }[] {
  const out: { text: string; match: boolean }[] = [];
  let at = 0;
  for (const r of ranges) {
    if (r.start > at) out.push({ text: text.slice(at, r.start), match: false });
    if (r.end > r.start) out.push({ text: text.slice(Math.max(r.start, at), r.end), match: true });
    at = Math.max(at, r.end);
  }
  if (at < text.length) out.push({ text: text.slice(at), match: false });
  return out;
}

export const isCjk = (ch: string) => CJK.test(ch);
