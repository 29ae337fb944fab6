// The engine's pages equal a scan's for random queries, whatever the write order, page after page.
import type { PostDoc } from "@asyncsns/core/search/documents";
import { type PostSearch, postsIndex, postsRequest, type Sort } from "@asyncsns/core/search/opensearch";
import { parse, timeRange } from "@asyncsns/core/search/query";
import { describe, expect, it } from "vitest";
import { LocalIndex } from "../src/search/engine";
import { corpus, handleOf, rng, scan, T0, vocabulary } from "./search-corpus";

// A small vocabulary, so that words recur, pages fill and scores tie.
const vocab = vocabulary(3, { en: 300, ja: 500 });
const AUTHORS = 40;
const docs = corpus(3000, { seed: 5, vocabulary: vocab, authors: AUTHORS });

/** A random query in the app's language: words, phrases, operators, OR, exclusions, dates, lang. */
function randomQuery(r: () => number, pool: PostDoc[]): string {
  const pick = <T>(a: readonly T[]) => a[Math.floor(r() * a.length)]!;
  const word = () => {
    const words = r() < 0.5 ? vocab.ja : vocab.en;
    return words[Math.floor(words.length * r() ** 2)]!;
  };
  const part = () => {
    const body = pick(pool).body;
    const at = Math.floor(r() * body.length);
    return body.slice(at, at + 1 + Math.floor(r() * 5)).replace(/[\s"#@:-]/g, "");
  };
  const date = () => new Date(T0 + Math.floor(r() * 365 * 86400_000)).toISOString().slice(0, 10);
  const term = (): string => {
    const u = r();
    if (u < 0.35) return word();
    if (u < 0.45) return part() || word();
    if (u < 0.55) return `"${part() || word()} ${word()}"`;
    if (u < 0.62) return `from:${handleOf(Math.floor(r() * AUTHORS))}`;
    if (u < 0.67) return `to:${handleOf(Math.floor(r() * AUTHORS))}`;
    if (u < 0.77) return `#${pick(pool.filter((d) => d.tags.length).slice(0, 50))?.tags[0] ?? word()}`;
    if (u < 0.85) return `has:${pick(["image", "video", "audio", "media"])}`;
    if (u < 0.9) return "is:reply";
    return `${word()} OR ${word()}`;
  };
  const parts = Array.from({ length: 1 + Math.floor(r() * 3) }, term);
  if (r() < 0.25) parts.push(`-${r() < 0.7 ? word() : term()}`.replace("- ", "-").split(" OR ")[0]!);
  const [since, until] = [r() < 0.15 && date(), r() < 0.1 && date()];
  if (since) parts.push(`since:${until && until < since ? until : since}`);
  if (until) parts.push(`until:${since && since > until ? since : until}`);
  if (r() < 0.1) parts.push(`lang:${pick(["ja", "en"])}`);
  return parts.join(" ");
}

type Page = { ids: string[]; next: PostSearch["after"] | null };

function enginePage(index: LocalIndex, search: PostSearch): Page {
  const body = index.search(postsRequest(search)) as {
    hits: { hits: { _id: string; sort: (string | number)[] }[] };
  };
  const hits = body.hits.hits;
  return { ids: hits.map((h) => h._id), next: hits.length === search.size ? hits.at(-1)!.sort : null };
}

/** Up to three pages of a query from the engine and from the scan over `truth`: they must be equal. */
function check(index: LocalIndex, truth: PostDoc[], q: string, sort: Sort, size: number) {
  const query = parse(q);
  const base = { query, range: timeRange(query, "Asia/Tokyo"), sort, size };
  let after: PostSearch["after"];
  for (let page = 0; page < 3; page++) {
    const search = { ...base, ...(after ? { after } : {}) };
    const expected = scan(truth, search);
    expect(enginePage(index, search), `${q} (${sort}, size ${size}, page ${page + 1})`).toEqual(expected);
    if (!expected.next) return;
    after = expected.next;
  }
}

function checkMany(index: LocalIndex, truth: PostDoc[], seed: number, count: number) {
  const r = rng(seed);
  let nonEmpty = 0;
  for (let i = 0; i < count; i++) {
    const q = randomQuery(r, truth);
    const sort = r() < 0.5 ? "latest" : "relevance";
    const size = [1, 5, 20][Math.floor(r() * 3)]!;
    check(index, truth, q, sort, size);
    if (scan(truth, { query: parse(q), range: timeRange(parse(q), "Asia/Tokyo"), sort, size }).ids.length)
      nonEmpty++;
  }
  // The queries must find things, or equal empty pages would prove nothing.
  expect(nonEmpty).toBeGreaterThan(count / 3);
}

const put = (index: LocalIndex, doc: PostDoc) => index.put(doc.id, doc as never, doc.version);

describe("local engine = substring scan", () => {
  it("written in time order (the live feed)", () => {
    const index = new LocalIndex("posts", postsIndex);
    for (const doc of docs) put(index, doc);
    checkMany(index, docs, 11, 400);
  });

  it("written out of order, then edited and deleted (a re-index beside the live indexer), before and after it reorders", () => {
    const r = rng(12);
    const shuffled = [...docs].sort(() => r() - 0.5);
    const index = new LocalIndex("posts", postsIndex);
    const live = new Map<string, PostDoc>();
    const truth = () =>
      [...live.values()].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
    const write = (doc: PostDoc) => {
      put(index, doc);
      live.set(doc.id, doc);
    };
    // Fewer out-of-order writes than the index tolerates before it reorders: searched as written.
    for (const doc of shuffled.slice(0, 800)) write(doc);
    checkMany(index, truth(), 13, 150);

    for (const doc of shuffled.slice(800)) write(doc);
    for (const doc of shuffled.slice(0, 300)) {
      const other = docs[Math.floor(r() * docs.length)]!;
      write({
        ...other,
        id: doc.id,
        authorId: doc.authorId,
        author: doc.author,
        createdAt: doc.createdAt,
        version: doc.version + 1,
      });
    }
    for (const doc of shuffled.slice(300, 600)) {
      index.remove(doc.id, doc.version + 1);
      live.delete(doc.id);
    }
    checkMany(index, truth(), 14, 300);
  });
});
