// A generated Japanese/English corpus, a realistic query mix, and the index-free scan answers are checked by.
import { type PostDoc, postDoc } from "@asyncsns/core/search/documents";
import type { Hits, PostSearch, SortValues } from "@asyncsns/core/search/opensearch";
import { needles, type Term } from "@asyncsns/core/search/query";

/** Deterministic uniform [0, 1) (mulberry32). */
export function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const pick = <T>(r: Random, a: readonly T[]) => a[Math.floor(r() * a.length)]!;

/** Rank r drawn with weight 1/r^s: a few words everywhere, most words rare, as in real text. */
function zipf(n: number, s = 1.05) {
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) cumulative[i] = total += 1 / (i + 1) ** s;
  return (r: Random) => {
    const u = r() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

const EN_COMMON =
  "the i to a and is it you of in that for my this on so just be was have with not are but at me like all what your can we do get no one out about up time if love good now day know people they go new today from he how will think want got back really much see more she great make here when been need its them still best work did thank there some why lol going last night oh too very year first happy free never who way week again right even life home look off".split(
    " ",
  );
const ONSETS = "b c d f g h j k l m n p r s t v w st tr br ch sh th pl gr cl fr sp".split(" ");
const NUCLEI = "a e i o u ea ou ai oo ie".split(" ");
const CODAS = ["", "", "n", "r", "s", "t", "l", "m", "nd", "st", "ck", "ng", "rt", "ll"];
const KATAKANA = [
  ..."アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワンガギグゲゴザジズゼゾダデドバビブベボパピプペポャュョッ",
];
const HIRAGANA = [
  ..."あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわん",
];
const PARTICLES = "の は が を に で と も へ から まで".split(" ");
const OPENERS = "今日は 明日は さっき やっぱり ちょっと すごく とても そして でも 久しぶりに".split(" ");
const ENDINGS = "した。 しました。 です。 でした。 だった。 したい！ かな？ だね。 よね。 ！ 。 … 笑 w".split(
  " ",
);

/** About 1,500 distinct kanji, some far more common than others. */
const KANJI = Array.from({ length: 1500 }, (_, i) => String.fromCodePoint(0x4e00 + ((i * 7919) % 20900)));

export interface Vocabulary {
  /** Most frequent first. */
  en: string[];
  ja: string[];
}

export function vocabulary(seed = 1, size = { en: 20_000, ja: 30_000 }): Vocabulary {
  const r = rng(seed);
  const en = new Set(EN_COMMON);
  while (en.size < size.en) {
    let word = "";
    for (let k = 1 + Math.floor(r() * 3); k > 0; k--)
      word += pick(r, ONSETS) + pick(r, NUCLEI) + pick(r, CODAS);
    en.add(word);
  }
  const kanji = zipf(KANJI.length, 0.9);
  const ja = new Set<string>();
  while (ja.size < size.ja) {
    const kind = r();
    let word = "";
    if (kind < 0.6) {
      const length = r() < 0.7 ? 2 : r() < 0.65 ? 3 : 4;
      for (let k = 0; k < length; k++) word += KANJI[kanji(r)];
    } else if (kind < 0.95) {
      for (let k = 2 + Math.floor(r() * 5); k > 0; k--) word += pick(r, KATAKANA) + (r() < 0.15 ? "ー" : "");
    } else {
      for (let k = 2 + Math.floor(r() * 3); k > 0; k--) word += pick(r, HIRAGANA);
    }
    ja.add(word);
  }
  // Word kinds are mixed across ranks, as they are in real text.
  const shuffled = [...ja];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  return { en: [...en], ja: shuffled };
}

export const T0 = Date.UTC(2025, 0, 1);
const YEAR = 365 * 24 * 3600_000;
export const handleOf = (author: number) => `user${author}`;

/** `n` posts over a year, oldest first: 60% Japanese, 35% English, 5% mixed; tags, mentions, media, replies. */
export function corpus(
  n: number,
  options: { seed?: number; vocabulary?: Vocabulary; authors?: number } = {},
) {
  const vocab = options.vocabulary ?? vocabulary();
  const r = rng(options.seed ?? 42);
  const enWord = zipf(vocab.en.length);
  const jaWord = zipf(vocab.ja.length);
  const authors = options.authors ?? 5000;
  const author = zipf(authors, 0.8);
  const tag = zipf(3000);
  const tags = Array.from({ length: 3000 }, (_, i) => (i % 2 ? vocab.en[30 + i] : vocab.ja[30 + i])!);
  // Short posts are the most common, a few run long.
  const length = (mean: number, max: number) => Math.min(max, 1 + Math.floor(-Math.log(1 - r()) * mean));
  const english = (words: number) => {
    let text = "";
    for (let k = 0; k < words; k++) text += `${k ? " " : ""}${vocab.en[enWord(r)]}${r() < 0.08 ? "." : ""}`;
    return text;
  };
  const japanese = (units: number) => {
    let text = r() < 0.3 ? pick(r, OPENERS) : "";
    for (let k = 0; k < units; k++) {
      text += vocab.ja[jaWord(r)]! + pick(r, PARTICLES);
      if (r() < 0.25) text += vocab.ja[jaWord(r)]! + pick(r, ENDINGS);
    }
    return text + vocab.ja[jaWord(r)]! + pick(r, ENDINGS);
  };
  return Array.from({ length: n }, (_, i): PostDoc => {
    const kind = r();
    let text =
      kind < 0.6
        ? japanese(length(3, 25))
        : kind < 0.95
          ? english(length(14, 60))
          : `${japanese(length(2, 10))} ${english(length(3, 8))}`;
    const mentions = r() < 0.1 ? [handleOf(author(r))] : [];
    const hashtags =
      r() < 0.15 ? [...new Set(Array.from({ length: length(0.6, 3) }, () => tags[tag(r)]!))] : [];
    text = `${mentions.map((h) => `@${h} `).join("")}${text}${hashtags.map((t) => ` #${t}`).join("")}`;
    const media = r();
    const a = author(r);
    return postDoc({
      postId: `pst_${String(i).padStart(26, "0")}`,
      authorId: `usr_${a}`,
      authorHandle: handleOf(a),
      text,
      hashtags,
      mentions: mentions.map((handle) => ({ handle })),
      mediaKinds: media < 0.15 ? ["image"] : media < 0.18 ? ["video"] : media < 0.2 ? ["audio"] : [],
      ...(r() < 0.25 ? { replyTo: "pst_parent" } : {}),
      createdAt: T0 + Math.floor(((i + r()) / n) * YEAR),
    });
  });
}

/** Queries as people type them: words of every frequency, ANDs, phrases, exclusions, OR and operators. */
export function queries(
  count: number,
  docs: PostDoc[],
  options: { seed?: number; vocabulary?: Vocabulary } = {},
) {
  const vocab = options.vocabulary ?? vocabulary();
  const r = rng(options.seed ?? 7);
  const band = (lo: number, hi: number) => {
    const words = r() < 0.6 ? vocab.ja : vocab.en;
    return words[Math.min(words.length - 1, lo + Math.floor(r() * (hi - lo)))]!;
  };
  const common = () => band(0, 50);
  const mid = () => band(50, 2000);
  const rare = () => band(2000, 20_000);
  const phrase = () => {
    const body = pick(r, docs).body;
    const words = body.split(" ");
    if (words.length > 2 && !/\p{Script=Han}|\p{Script=Katakana}|\p{Script=Hiragana}/u.test(body)) {
      const at = Math.floor(r() * (words.length - 1));
      return `"${words[at]} ${words[at + 1]}"`.replace(/[#@.]/g, "");
    }
    const at = Math.floor(r() * Math.max(1, body.length - 6));
    return `"${body.slice(at, at + 4 + Math.floor(r() * 4)).replace(/[\s"#@]/g, "") || "東京"}"`;
  };
  const tagged = docs.filter((d) => d.tags.length).slice(0, 2000);
  const date = () => new Date(T0 + Math.floor(r() * YEAR)).toISOString().slice(0, 10);
  const shapes: [number, () => string][] = [
    [22, mid],
    [16, rare],
    [6, common],
    [10, () => `${mid()} ${mid()}`],
    [5, () => `${common()} ${rare()}`],
    [8, phrase],
    [6, () => `${mid()} -${common()}`],
    [3, () => `${mid()} OR ${mid()}`],
    [5, () => `from:${handleOf(Math.floor(r() * 500))}`],
    [3, () => `from:${handleOf(Math.floor(r() * 5000))} ${common()}`],
    [5, () => `#${pick(r, tagged).tags[0]}`],
    [4, () => `${mid()} has:image`],
    [4, () => `${mid()} since:${date()}`],
    [3, () => `${common()} lang:ja`],
  ];
  const total = shapes.reduce((n, [w]) => n + w, 0);
  return Array.from({ length: count }, () => {
    let u = r() * total;
    let shape = mid;
    for (const [w, s] of shapes) {
      if (u < w) {
        shape = s;
        break;
      }
      u -= w;
    }
    return { q: shape(), sort: r() < 0.7 ? ("latest" as const) : ("relevance" as const) };
  });
}

const holds = (t: Term, d: PostDoc) => {
  switch (t.type) {
    case "word":
    case "phrase":
      return d.body.includes(t.value);
    case "from":
      return d.author === t.handle;
    case "to":
      return d.mentions.includes(t.handle);
    case "tag":
      return d.tags.includes(t.tag);
    case "has":
      return d.media.includes(t.media);
    case "is":
      return d.reply;
  }
};

/** The engine's score, by brute force: occurrences of the searched words damped by length, for each of two fields. */
function score(d: PostDoc, words: string[]) {
  let n = 0;
  for (const w of words)
    if (w) for (let at = d.body.indexOf(w); at !== -1; at = d.body.indexOf(w, at + w.length)) n++;
  const s = n / (1 + d.body.length / 200);
  return s + s;
}

/** The index's answer without an index; `newestFirst` stops at a full page, as a scan can for latest. */
export function scan(docs: PostDoc[], search: PostSearch, options: { newestFirst?: boolean } = {}): Hits {
  const { query, range, size, after } = search;
  const relevance = search.sort === "relevance";
  const words = needles(query).join(" ").split(" ");
  const key = (d: PostDoc): SortValues =>
    relevance ? [score(d, words), d.createdAt, d.id] : [d.createdAt, d.id];
  const afterKey = (k: SortValues) => {
    if (!after) return true;
    for (let i = 0; i < k.length; i++) if (k[i] !== after[i]) return k[i]! < after[i]!;
    return false;
  };
  const matches = (d: PostDoc) =>
    (range.gte === undefined || d.createdAt >= range.gte) &&
    (range.lt === undefined || d.createdAt < range.lt) &&
    (!query.lang || d.lang === query.lang) &&
    query.all.every((group) => group.some((t) => holds(t, d))) &&
    !query.none.some((t) => holds(t, d));
  const found: { id: string; key: SortValues }[] = [];
  if (options.newestFirst && !relevance) {
    for (let i = docs.length - 1; i >= 0 && found.length < size; i--) {
      const d = docs[i]!;
      if (matches(d) && afterKey(key(d))) found.push({ id: d.id, key: key(d) });
    }
  } else {
    for (const d of docs) if (matches(d) && afterKey(key(d))) found.push({ id: d.id, key: key(d) });
    found.sort((a, b) => {
      for (let i = 0; i < a.key.length; i++) if (a.key[i] !== b.key[i]) return a.key[i]! < b.key[i]! ? 1 : -1;
      return 0;
    });
  }
  const page = found.slice(0, size);
  return { ids: page.map((m) => m.id), next: page.length === size ? page.at(-1)!.key : null };
}
