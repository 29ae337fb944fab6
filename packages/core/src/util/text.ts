import * as z from "zod";

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** Bytes a field may hold per grapheme of its limit: checked before any grapheme is counted. */
export const BYTES_PER_GRAPHEME = 4;
/** Combining marks one grapheme may carry: enough for any script, too few for a "zalgo" bomb. */
export const MAX_MARKS_PER_GRAPHEME = 8;

/** Length as a person counts it: one emoji or one kanji is one character. */
export function graphemeLength(text: string): number {
  let n = 0;
  for (const _ of segmenter.segment(text)) n++;
  return n;
}

// Segmenter's cost grows with the square of the graphemes walked, so the walk stops once past `stop`.
function graphemesUpTo(text: string, stop: number): number {
  let n = 0;
  for (const _ of segmenter.segment(text)) if (++n > stop) break;
  return n;
}

/** UTF-8 size without an encoder (the browser shares it); counting stops once past `stop`. */
export function utf8Length(text: string, stop = Number.POSITIVE_INFINITY): number {
  let bytes = 0;
  for (let i = 0; i < text.length && bytes <= stop; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

export interface TextRule {
  /** The field as a sentence starts with it: "A post", "A display name". */
  name: string;
  /** Most graphemes; the bytes are capped at BYTES_PER_GRAPHEME × this first. */
  max: number;
  min?: number;
  /** The error code for a wrong length (kept per field: clients translate it). */
  code: string;
  /** Running text keeps newlines and tabs; names are one line. */
  multiline?: boolean;
  /** Bidi overrides and isolates: names refuse them (spoofing), running text has them removed. */
  bidi: "refuse" | "strip";
  trim?: boolean;
}

export interface TextProblem {
  code: string;
  message: string;
}

export const maxBytes = (rule: TextRule) => rule.max * BYTES_PER_GRAPHEME;

// C0, DEL and C1 controls.
const CONTROLS_ONE_LINE = /\p{Cc}/u;
// \r stays allowed here because `neutralise` turns CRLF and CR into \n.
const CONTROLS_MULTILINE = /(?![\t\n\r])\p{Cc}/u;
// With the u flag a surrogate range matches only surrogates that are not part of a pair.
const LONE_SURROGATE = /[\ud800-\udfff]/u;
const BIDI = /[\u202a-\u202e\u2066-\u2069]/u;
const BIDI_ALL = /[\u202a-\u202e\u2066-\u2069]/gu;
// Joiners do not end a grapheme, so marks interleaved with them still count as one run.
const MARK_BOMB = new RegExp(String.raw`(?:\p{M}[\u200c\u200d]*){${MAX_MARKS_PER_GRAPHEME + 1}}`, "u");

const lengthMessage = (rule: TextRule) =>
  rule.min
    ? `${rule.name} is ${rule.min}–${rule.max} characters.`
    : `${rule.name} is at most ${rule.max} characters.`;

/** What is wrong with a text under its rule, cheapest checks first; undefined when it fits. */
export function checkText(text: string, rule: TextRule): TextProblem | undefined {
  const bytes = maxBytes(rule);
  // Every UTF-16 unit is at least one byte: an over-long string is refused without reading it.
  if (text.length > bytes || utf8Length(text, bytes) > bytes)
    return { code: rule.code, message: `${lengthMessage(rule).slice(0, -1)} (${bytes} bytes).` };
  const controls = rule.multiline ? CONTROLS_MULTILINE : CONTROLS_ONE_LINE;
  if (controls.test(text))
    return {
      code: "text.invalid_characters",
      message: `${rule.name} cannot contain control characters${rule.multiline ? " other than new lines and tabs" : ""}.`,
    };
  if (LONE_SURROGATE.test(text))
    return { code: "text.invalid_characters", message: `${rule.name} is not valid Unicode text.` };
  if (rule.bidi === "refuse" && BIDI.test(text))
    return {
      code: "text.invalid_characters",
      message: `${rule.name} cannot contain text-direction overrides (U+202A–U+202E, U+2066–U+2069).`,
    };
  if (MARK_BOMB.test(text))
    return {
      code: "text.too_many_marks",
      message: `${rule.name} has a character with more than ${MAX_MARKS_PER_GRAPHEME} combining marks.`,
    };
  // A grapheme is at least one UTF-16 unit, so short strings need no segmenting.
  const min = rule.min ?? 0;
  if (text.length < min) return { code: rule.code, message: lengthMessage(rule) };
  if (text.length <= rule.max && min <= 1) return undefined;
  const count = graphemesUpTo(text, rule.max);
  if (count > rule.max || count < min) return { code: rule.code, message: lengthMessage(rule) };
  return undefined;
}

/** What a text stores once it passed: newlines as \n, and (running text) no bidi overrides. */
export function neutralise(text: string, rule: TextRule): string {
  let out = rule.multiline ? text.replace(/\r\n?/g, "\n") : text;
  if (rule.bidi === "strip") out = out.replace(BIDI_ALL, "");
  return out;
}

/** True when the text fits its rule, for a browser counter that must agree with the API. */
export const fitsText = (text: string, rule: TextRule) => checkText(text, rule) === undefined;

/** The zod schema of a free-text field: every route and the browser validate with this one rule. */
export function freeText(rule: TextRule) {
  const base = rule.trim ? z.string().trim() : z.string();
  return base
    .superRefine((value, ctx) => {
      const problem = checkText(value, rule);
      if (problem)
        ctx.addIssue({
          code: "custom",
          message: problem.message,
          params: { code: problem.code },
          continue: false,
        });
    })
    .overwrite((value) => neutralise(value, rule));
}
