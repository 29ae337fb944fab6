// The search query language, parsed once and shared by the API, both engines and the browser (pure).
import { VisibleError } from "../error";
import { utf8Length } from "../util/text";
import { fold } from "./text";

export const MAX_QUERY_LENGTH = 500;
/** Bytes a query may have before NFKC, which can grow text 18×; checked before anything else. */
export const MAX_QUERY_BYTES = MAX_QUERY_LENGTH * 4;
export const MAX_TERMS = 24;
export const MEDIA = ["media", "image", "video", "audio"] as const;
export type MediaFilter = (typeof MEDIA)[number];
export const LANGS = ["ja", "en"] as const;
export type Lang = (typeof LANGS)[number];

export type Term =
  /** Folded text that must occur in the post (partial words match, as with the n-gram field). */
  | { type: "word"; value: string }
  /** Folded text, spaces included, that must occur exactly in this order. */
  | { type: "phrase"; value: string }
  | { type: "from"; handle: string }
  | { type: "to"; handle: string }
  | { type: "tag"; tag: string }
  | { type: "has"; media: MediaFilter }
  | { type: "is"; what: "reply" };

export interface Query {
  /** Every group must match; a group matches when any of its terms does (`a OR b`). */
  all: Term[][];
  /** No term here may match (`-word`, `-"a phrase"`, `-from:x`, …). */
  none: Term[];
  since?: string;
  until?: string;
  lang?: Lang;
}

export const invalid = (message: string) => new VisibleError("input", "search.invalid_query", message);

const SPACE = /[\s\u3000]/u;
const QUOTES: Record<string, string> = { '"': '"', "“": "”", "”": "”", "「": "」" };
const HANDLE = /^[a-z0-9_]{1,20}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

interface Token {
  negated: boolean;
  quoted: boolean;
  raw: string;
  at: number;
}

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i]!;
    if (SPACE.test(ch)) {
      i++;
      continue;
    }
    const at = i;
    let negated = false;
    if (ch === "-" && i + 1 < input.length && !SPACE.test(input[i + 1]!)) {
      negated = true;
      i++;
    } else if (ch === "-")
      throw invalid(`A lone "-" at ${at + 1}: put it right before what to exclude, like -rain.`);
    const open = input[i]!;
    const close = QUOTES[open];
    if (close) {
      const end = input.indexOf(close, i + 1);
      if (end === -1) throw invalid(`The quote opened at ${i + 1} is never closed.`);
      const raw = input
        .slice(i + 1, end)
        .replace(/[\s\u3000]+/gu, " ")
        .trim();
      if (!raw) throw invalid(`The quotes at ${i + 1} are empty: put a phrase between them.`);
      tokens.push({ negated, quoted: true, raw, at });
      i = end + 1;
      continue;
    }
    let end = i;
    while (end < input.length && !SPACE.test(input[end]!)) end++;
    tokens.push({ negated, quoted: false, raw: input.slice(i, end), at });
    i = end;
  }
  return tokens;
}

type Item = { kind: "term"; term: Term; negated: boolean } | { kind: "global" };

/** Parses a query; a malformed one throws VisibleError("search.invalid_query") saying what to fix. */
export function parse(input: string): Query {
  const tooLong = () => invalid(`A search is at most ${MAX_QUERY_LENGTH} characters.`);
  if (input.length > MAX_QUERY_BYTES || utf8Length(input, MAX_QUERY_BYTES) > MAX_QUERY_BYTES) throw tooLong();
  // NFKC first, so full-width "ｆｒｏｍ：" and "＃" work like their ASCII forms; the cap counts what is searched.
  const normalized = input.normalize("NFKC");
  if (normalized.length > MAX_QUERY_LENGTH) throw tooLong();
  const tokens = tokenize(normalized);
  const query: Query = { all: [], none: [] };
  const items: (Item | "OR")[] = [];
  for (const token of tokens) {
    if (!token.quoted && !token.negated && token.raw === "OR") {
      items.push("OR");
      continue;
    }
    items.push(read(token, query));
  }
  let orPending = false;
  for (let n = 0; n < items.length; n++) {
    const item = items[n]!;
    if (item === "OR") {
      const prev = items[n - 1];
      const next = items[n + 1];
      if (!prev || prev === "OR" || !next || next === "OR")
        throw invalid('"OR" goes between two things to search for, like: cat OR dog.');
      if (prev.kind !== "term" || next.kind !== "term" || prev.negated || next.negated)
        throw invalid(
          '"OR" joins words, phrases, tags and from:/to:/has:/is:, not exclusions or since:/until:/lang:.',
        );
      orPending = true;
      continue;
    }
    if (item.kind !== "term") continue;
    if (item.negated) query.none.push(item.term);
    else if (orPending) query.all.at(-1)!.push(item.term);
    else query.all.push([item.term]);
    orPending = false;
  }
  const count = query.all.flat().length + query.none.length;
  if (count > MAX_TERMS) throw invalid(`A search has at most ${MAX_TERMS} terms.`);
  if (query.since && query.until && query.since > query.until)
    throw invalid(`since:${query.since} is after until:${query.until}.`);
  if (query.all.length === 0 && !query.since && !query.until && !query.lang && query.none.length === 0)
    throw invalid("Type something to search for.");
  if (query.all.length === 0 && query.none.length > 0 && !query.since && !query.until && !query.lang)
    throw invalid("Say what to find as well as what to exclude, like: tokyo -rain.");
  return query;
}

function read(token: Token, query: Query): Item {
  const { raw, negated } = token;
  const term = (t: Term): Item => ({ kind: "term", term: t, negated });
  if (token.quoted) return term({ type: "phrase", value: fold(raw) });
  if (raw.startsWith("#") && raw.length > 1) {
    const tag = fold(raw.slice(1));
    if (!/^[\p{L}\p{M}\p{N}_]+$/u.test(tag)) throw invalid(`"${raw}" is not a hashtag.`);
    return term({ type: "tag", tag });
  }
  const colon = raw.indexOf(":");
  const op = colon > 0 ? raw.slice(0, colon).toLowerCase() : "";
  const value = colon > 0 ? raw.slice(colon + 1) : "";
  const needValue = () => {
    if (!value) throw invalid(`"${op}:" needs a value right after the colon, like ${example[op]}.`);
  };
  switch (op) {
    case "from":
    case "to": {
      needValue();
      const handle = value.replace(/^@/, "").toLowerCase();
      if (!HANDLE.test(handle)) throw invalid(`"${value}" is not a handle (letters, digits, _).`);
      return term(op === "from" ? { type: "from", handle } : { type: "to", handle });
    }
    case "has": {
      needValue();
      const media = value.toLowerCase() as MediaFilter;
      if (!MEDIA.includes(media)) throw invalid(`has:${value} is unknown; use has:${MEDIA.join(", has:")}.`);
      return term({ type: "has", media });
    }
    case "is": {
      needValue();
      if (value.toLowerCase() !== "reply") throw invalid(`is:${value} is unknown; use is:reply.`);
      return term({ type: "is", what: "reply" });
    }
    case "since":
    case "until":
    case "lang": {
      needValue();
      if (negated) throw invalid(`${op}: cannot be excluded with "-".`);
      if (op === "lang") {
        const lang = value.toLowerCase() as Lang;
        if (!LANGS.includes(lang)) throw invalid(`lang:${value} is unknown; use lang:ja or lang:en.`);
        if (query.lang && query.lang !== lang) throw invalid("Only one lang: per search.");
        query.lang = lang;
      } else {
        if (!isDate(value)) throw invalid(`${op}:${value} is not a date; write it as YYYY-MM-DD.`);
        if (query[op]) throw invalid(`Only one ${op}: per search.`);
        query[op] = value;
      }
      return { kind: "global" };
    }
    default:
      return term({ type: "word", value: fold(raw) });
  }
}

const example: Record<string, string> = {
  from: "from:alice",
  to: "to:alice",
  has: "has:image",
  is: "is:reply",
  since: "since:2025-01-31",
  until: "until:2025-01-31",
  lang: "lang:ja",
};

function isDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** Throws search.invalid_query unless `tz` is an IANA time zone this runtime knows. */
export function checkTimeZone(tz: string): string {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return tz;
  } catch {
    throw invalid(`"${tz}" is not a time zone; use a name like Asia/Tokyo.`);
  }
}

// Building a DateTimeFormat costs far more than using one: one per time zone, for the process.
const formats = new Map<string, Intl.DateTimeFormat>();
const formatIn = (tz: string) => {
  let format = formats.get(tz);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formats.set(tz, format);
  }
  return format;
};

function offsetMs(utc: number, tz: string): number {
  const parts = formatIn(tz).formatToParts(new Date(utc));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const local = Date.UTC(
    get("year"),
    get("month") - 1,
    get("day"),
    get("hour"),
    get("minute"),
    get("second"),
  );
  return local - utc;
}

/** Epoch ms of midnight starting `date` (YYYY-MM-DD) in `tz`. */
export function startOfDay(date: string, tz: string): number {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d);
  const first = guess - offsetMs(guess, tz);
  // Once more at the found instant: the offset can differ across a DST change.
  return guess - offsetMs(first, tz);
}

/** since: is inclusive from its midnight; until: includes its whole day. Epoch ms, end exclusive. */
export function timeRange(query: Query, tz: string): { gte?: number; lt?: number } {
  const next = (date: string) => {
    const [y, m, d] = date.split("-").map(Number) as [number, number, number];
    return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
  };
  return {
    ...(query.since ? { gte: startOfDay(query.since, tz) } : {}),
    ...(query.until ? { lt: startOfDay(next(query.until), tz) } : {}),
  };
}

/** The folded texts a result should highlight: the words and phrases searched for (not the excluded). */
export function needles(query: Query): string[] {
  return query.all.flat().flatMap((t) => (t.type === "word" || t.type === "phrase" ? [t.value] : []));
}

/** Back to text (filter controls rewrite the query they show). */
export function format(query: Query): string {
  const one = (t: Term): string => {
    switch (t.type) {
      case "word":
        return t.value;
      case "phrase":
        return `"${t.value}"`;
      case "from":
      case "to":
        return `${t.type}:${t.handle}`;
      case "tag":
        return `#${t.tag}`;
      case "has":
        return `has:${t.media}`;
      case "is":
        return `is:${t.what}`;
    }
  };
  return [
    ...query.all.map((group) => group.map(one).join(" OR ")),
    ...query.none.map((t) => `-${one(t)}`),
    ...(query.since ? [`since:${query.since}`] : []),
    ...(query.until ? [`until:${query.until}`] : []),
    ...(query.lang ? [`lang:${query.lang}`] : []),
  ].join(" ");
}
