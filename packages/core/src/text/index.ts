export * as Text from "./index";

import { checkText, fitsText, graphemeLength } from "../util";
import { POST } from "./limits";

export * as Limits from "./limits";

export const MAX_POST_LENGTH = POST.max;
/** Longer tags (after NFKC, which can grow text 18×) stay plain text: a tag is part of a DynamoDB key. */
export const MAX_TAG_LENGTH = 140;

export type Token =
  | { type: "text"; text: string }
  | { type: "mention"; text: string; handle: string }
  | { type: "hashtag"; text: string; tag: string }
  | { type: "link"; text: string; url: string };

export interface Parsed {
  tokens: Token[];
  /** Mentioned handles, lowercased, unique, in order. */
  mentions: string[];
  /** Hashtags normalised for matching, unique, in order. */
  hashtags: string[];
  links: string[];
  length: number;
}

// A tag is letters/marks/digits/underscore with at least one letter, so "#1" is not a tag but "#東京2025" is.
const TAG_BODY = String.raw`[\p{L}\p{M}\p{N}_]*[\p{L}\p{M}][\p{L}\p{M}\p{N}_]*`;
// Japanese has no spaces between words, so "こんにちは@aki" mentions; a Latin letter or digit before "@" is an email.
const JAPANESE = String.raw`\p{scx=Hira}\p{scx=Kana}\p{scx=Han}`;
const BEFORE_MENTION = String.raw`(?<=^|[^\p{L}\p{N}_@.\/]|[${JAPANESE}])`;
const BEFORE_TAG = String.raw`(?<=^|[^\p{L}\p{N}_&\/#＃]|[${JAPANESE}])`;
const PATTERN = new RegExp(
  [
    String.raw`(?<link>https?:\/\/[^\s<>"'\u3000「」『』（）【】〈〉《》、。]+)`,
    `${BEFORE_MENTION}@(?<handle>[A-Za-z0-9_]{3,20})(?![A-Za-z0-9_@])`,
    `${BEFORE_TAG}[#＃](?<tag>${TAG_BODY})`,
  ].join("|"),
  "gu",
);

// Punctuation that ends a sentence rather than a URL, in English and Japanese.
const TRAILING = /[.,;:!?'")\]}>。、．，！？」』）】〉》]+$/u;

/** Case, width and kana-width differences must not split a tag: "#ＴＯＫＹＯ" and "#tokyo" are one tag. */
export function normalizeTag(tag: string): string {
  return tag.normalize("NFKC").toLowerCase();
}

export function count(text: string): number {
  return graphemeLength(text);
}

/** Whether a post's text fits (graphemes, bytes, characters), as the API decides it. */
export const fits = (text: string) => fitsText(text, POST);

/** Why a post's text is refused, if it is: the API's code and message. */
export const problem = (text: string) => checkText(text, POST);

/** Splits post text into plain text, mentions, hashtags and links; the same code runs in the browser. */
export function parse(text: string): Parsed {
  const tokens: Token[] = [];
  const mentions = new Set<string>();
  const hashtags = new Set<string>();
  const links: string[] = [];
  let last = 0;
  const push = (token: Token) => {
    const prev = tokens[tokens.length - 1];
    if (token.type === "text" && prev?.type === "text") prev.text += token.text;
    else tokens.push(token);
  };
  for (const match of text.matchAll(PATTERN)) {
    const start = match.index;
    let raw = match[0];
    const groups = match.groups ?? {};
    if (groups.link) {
      const trimmed = trimLink(raw);
      if (!isSafeUrl(trimmed)) continue;
      raw = trimmed;
    }
    if (groups.tag && normalizeTag(groups.tag).length > MAX_TAG_LENGTH) continue;
    if (start > last) push({ type: "text", text: text.slice(last, start) });
    if (groups.link) {
      links.push(raw);
      push({ type: "link", text: raw, url: raw });
    } else if (groups.handle) {
      mentions.add(groups.handle.toLowerCase());
      push({ type: "mention", text: raw, handle: groups.handle.toLowerCase() });
    } else if (groups.tag) {
      const tag = normalizeTag(groups.tag);
      hashtags.add(tag);
      push({ type: "hashtag", text: raw, tag });
    }
    last = start + raw.length;
  }
  if (last < text.length) push({ type: "text", text: text.slice(last) });
  return { tokens, mentions: [...mentions], hashtags: [...hashtags], links, length: count(text) };
}

function trimLink(raw: string): string {
  let url = raw.replace(TRAILING, "");
  // Keep a closing parenthesis that belongs to the URL, as in Wikipedia links.
  const opens = (url.match(/\(/g) ?? []).length;
  const closes = (url.match(/\)/g) ?? []).length;
  if (opens > closes && raw.slice(url.length).startsWith(")")) url += ")";
  return url;
}

function isSafeUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname.includes(".");
  } catch {
    return false;
  }
}

/** A mention or hashtag being typed: what is typed so far (`query`) and the text it spans around the caret. */
export interface Typing {
  kind: "mention" | "hashtag";
  query: string;
  start: number;
  end: number;
}

// The same boundaries as parse, anchored at the caret; a handle may be cut short while typing, a tag may be all digits so far.
const TYPING_MENTION = new RegExp(`${BEFORE_MENTION}@([A-Za-z0-9_]{1,20})$`, "gu");
const TYPING_TAG = new RegExp(String.raw`${BEFORE_TAG}[#＃]([\p{L}\p{M}\p{N}_]{1,${MAX_TAG_LENGTH}})$`, "gu");
const REST_OF_HANDLE = /^[A-Za-z0-9_]*/;
const REST_OF_TAG = /^[\p{L}\p{M}\p{N}_]*/u;

/** The @handle or #tag the caret is in, by parse's rules: what the composer offers to complete. */
export function typingAt(text: string, caret: number): Typing | null {
  const before = text.slice(0, caret);
  for (const [kind, pattern, rest] of [
    ["mention", TYPING_MENTION, REST_OF_HANDLE],
    ["hashtag", TYPING_TAG, REST_OF_TAG],
  ] as const) {
    // Only the end matters, and a tag is at most MAX_TAG_LENGTH long: start there, with lookbehind still seeing before it.
    pattern.lastIndex = Math.max(0, caret - MAX_TAG_LENGTH - 2);
    const match = pattern.exec(before);
    pattern.lastIndex = 0;
    if (!match) continue;
    const after = rest.exec(text.slice(caret, caret + MAX_TAG_LENGTH))?.[0] ?? "";
    return { kind, query: match[1] as string, start: match.index, end: caret + after.length };
  }
  return null;
}
