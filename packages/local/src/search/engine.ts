// The local search engine: FlexSearch (character 1–2-grams, like the n-gram field in AWS) finds candidates,
// and the subset of the OpenSearch query DSL the app sends is evaluated exactly on each candidate's source.
import FlexSearch from "flexsearch";

type Json = Record<string, any>;
type SortValue = string | number;
export type Source = Record<string, unknown>;

export class EngineError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    reason: string,
  ) {
    super(reason);
  }
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー々〆]/u;

/** Grams of already-folded text: every adjacent pair, and single CJK characters (one kanji is a word). */
export function grams(text: string): string[] {
  const chars = [...text];
  const out = new Set<string>();
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === " ") continue;
    if (CJK.test(c)) out.add(c);
    const d = chars[i + 1];
    if (d !== undefined && d !== " ") out.add(c + d);
  }
  return [...out];
}

/** A clause narrows the search when it keeps at most 1/SELECTIVE of the documents. */
const SELECTIVE = 30;

const KEYWORD_FIELDS = ["id", "authorId", "author", "tags", "mentions", "media", "lang", "handle", "reply"];

/** One index: sources by id, versions (external versioning, tombstones included), text and keyword postings. */
export class LocalIndex {
  readonly docs = new Map<string, Source>();
  private readonly versions = new Map<string, number>();
  private readonly text = new FlexSearch.Index({ tokenize: "strict", encode: grams, resolution: 1 });
  private readonly keywords = new Map<string, Map<string, Set<string>>>();
  /** How many documents hold each gram: the planner's selectivity estimate. */
  private readonly gramCounts = new Map<string, number>();
  /** Ids by createdAt, oldest first (removed ids are skipped lazily), for newest-first walks. */
  private readonly timeline: { id: string; t: number }[] = [];
  private readonly inTimeline = new Set<string>();

  constructor(
    readonly name: string,
    readonly definition: Json,
  ) {}

  /** Returns the op to journal, or throws 409 like OpenSearch for a stale external version. */
  put(id: string, source: Source, version?: number): void {
    this.checkVersion(id, version);
    if (this.docs.has(id)) this.unindex(id);
    this.docs.set(id, source);
    if (version !== undefined) this.versions.set(id, version);
    if (typeof source.body === "string") {
      this.text.add(id, source.body);
      for (const g of grams(source.body)) this.gramCounts.set(g, (this.gramCounts.get(g) ?? 0) + 1);
    }
    if (typeof source.createdAt === "number" && !this.inTimeline.has(id)) this.enlist(id, source.createdAt);
    for (const field of KEYWORD_FIELDS) {
      for (const value of values(source[field])) {
        const byValue = this.keywords.get(field) ?? new Map<string, Set<string>>();
        this.keywords.set(field, byValue);
        const ids = byValue.get(String(value)) ?? new Set<string>();
        byValue.set(String(value), ids);
        ids.add(id);
      }
    }
  }

  remove(id: string, version?: number): boolean {
    this.checkVersion(id, version);
    if (version !== undefined) this.versions.set(id, version);
    if (!this.docs.has(id)) return false;
    this.unindex(id);
    this.docs.delete(id);
    return true;
  }

  private checkVersion(id: string, version?: number) {
    const current = this.versions.get(id);
    if (version !== undefined && current !== undefined && version < current)
      throw new EngineError(
        409,
        "version_conflict_engine_exception",
        `[${id}]: version conflict, current version [${current}] is higher than the version [${version}]`,
      );
  }

  private unindex(id: string) {
    const old = this.docs.get(id);
    if (!old) return;
    if (typeof old.body === "string") {
      this.text.remove(id);
      for (const g of grams(old.body)) this.gramCounts.set(g, (this.gramCounts.get(g) ?? 1) - 1);
    }
    for (const field of KEYWORD_FIELDS)
      for (const value of values(old[field])) this.keywords.get(field)?.get(String(value))?.delete(id);
  }

  private enlist(id: string, t: number) {
    this.inTimeline.add(id);
    const last = this.timeline.at(-1);
    if (!last || last.t <= t) {
      this.timeline.push({ id, t });
      return;
    }
    let lo = 0;
    let hi = this.timeline.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.timeline[mid]!.t <= t) lo = mid + 1;
      else hi = mid;
    }
    this.timeline.splice(lo, 0, { id, t });
  }

  search(body: Json): Json {
    const started = performance.now();
    const query: Json = body.query ?? { match_all: {} };
    const matched: { id: string; doc: Source; score: number }[] = [];
    const sort = sortSpec(body.sort);
    const size = Number(body.size ?? 10);
    const candidates = this.candidates(query);
    const newestFirst =
      sort[0]?.field === "createdAt" && sort[0].order === "desc" && !body.aggs && !body.from;
    if (!candidates && newestFirst) {
      // No selective clause: walk newest first and stop at a page (every match is still evaluated exactly).
      const after: SortValue[] | undefined = body.search_after;
      for (let i = this.timeline.length - 1; i >= 0 && matched.length <= size; i--) {
        const { id, t } = this.timeline[i]!;
        const doc = this.docs.get(id);
        if (!doc || doc.createdAt !== t) continue;
        const score = evaluate(query, doc);
        if (score === false) continue;
        const m = { id, doc, score };
        if (
          after &&
          compare(
            sort.map((s) => sortValue(s.field, m)),
            after,
            sort,
          ) <= 0
        )
          continue;
        matched.push(m);
      }
    } else {
      for (const id of candidates ?? this.docs.keys()) {
        const doc = this.docs.get(id);
        if (!doc) continue;
        const score = evaluate(query, doc);
        if (score !== false) matched.push({ id, doc, score });
      }
    }
    const response: Json = { took: Math.round(performance.now() - started), timed_out: false };
    if (body.aggs || body.aggregations)
      response.aggregations = aggregate(body.aggs ?? body.aggregations, matched);
    const keyed = matched.map((m) => ({ ...m, key: sort.map((s) => sortValue(s.field, m)) }));
    keyed.sort((a, b) => compare(a.key, b.key, sort));
    const after: SortValue[] | undefined = body.search_after;
    const from = after ? keyed.filter((k) => compare(k.key, after, sort) > 0) : keyed;
    const page = from.slice(Number(body.from ?? 0), Number(body.from ?? 0) + size);
    response.hits = {
      max_score: null,
      hits: page.map((k) => ({
        _index: this.name,
        _id: k.id,
        _score: k.score,
        ...(body._source === false ? {} : { _source: k.doc }),
        ...(body.sort ? { sort: k.key } : {}),
      })),
    };
    return response;
  }

  /** The smallest id set every match must be in, from the query's selective required clauses; none if none is. */
  private candidates(query: Json): Set<string> | undefined {
    let best: Set<string> | undefined;
    for (const clause of required(query)) {
      const set = this.lookup(clause);
      if (set && (!best || set.size < best.size)) best = set;
      if (best?.size === 0) break;
    }
    // A set holding a large share of the index is slower to use than a newest-first walk.
    return best && best.size * SELECTIVE <= this.docs.size
      ? best
      : best && this.docs.size < 1000
        ? best
        : undefined;
  }

  private lookup(clause: Json): Set<string> | undefined {
    if (clause.match_phrase) {
      const [field, value] = Object.entries(clause.match_phrase)[0] as [string, unknown];
      if (!field.startsWith("body")) return undefined;
      const text = typeof value === "string" ? value : String((value as Json).query ?? "");
      const gs = grams(text);
      if (gs.length === 0) return undefined;
      // Estimate first: the rarest gram bounds the result; a common phrase is left to the walk.
      const rarest = Math.min(...gs.map((g) => this.gramCounts.get(g) ?? 0));
      if (rarest * SELECTIVE > this.docs.size && this.docs.size >= 1000) return undefined;
      return new Set(this.text.search(text, { limit: this.docs.size + 1 }).map(String));
    }
    if (clause.term) {
      const [field, value] = Object.entries(clause.term)[0] as [string, unknown];
      const v = typeof value === "object" && value !== null ? (value as Json).value : value;
      return (
        this.keywords.get(field)?.get(String(v)) ?? (KEYWORD_FIELDS.includes(field) ? new Set() : undefined)
      );
    }
    return undefined;
  }

  stats() {
    return { docs: this.docs.size };
  }
}

function values(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

/** Clauses that every match must satisfy (filter/must of the top bool), for narrowing. */
function required(query: Json): Json[] {
  if (!query.bool) return [query];
  return [...values(query.bool.filter), ...values(query.bool.must)] as Json[];
}

function fieldValues(doc: Source, field: string): unknown[] {
  // Sub-fields (body.ngram, body.en) hold the same source text as their parent.
  return values(doc[field.split(".")[0]!]);
}

/** false when the doc does not match; otherwise its score. */
export function evaluate(q: Json, doc: Source): number | false {
  if (q.match_all) return 1;
  if (q.bool) return evaluateBool(q.bool, doc);
  if (q.term) {
    const [field, spec] = Object.entries(q.term)[0] as [string, unknown];
    const want = typeof spec === "object" && spec !== null ? (spec as Json).value : spec;
    return fieldValues(doc, field).some((v) => v === want || String(v) === String(want)) ? 0 : false;
  }
  if (q.terms) {
    const [field, list] = Object.entries(q.terms)[0] as [string, unknown[]];
    return fieldValues(doc, field).some((v) => list.some((w) => String(v) === String(w))) ? 0 : false;
  }
  if (q.range) {
    const [field, r] = Object.entries(q.range)[0] as [string, Json];
    const ok = fieldValues(doc, field).some((raw) => {
      const v = Number(raw);
      return (
        (r.gte === undefined || v >= r.gte) &&
        (r.gt === undefined || v > r.gt) &&
        (r.lte === undefined || v <= r.lte) &&
        (r.lt === undefined || v < r.lt)
      );
    });
    return ok ? 0 : false;
  }
  if (q.prefix) {
    const [field, spec] = Object.entries(q.prefix)[0] as [string, unknown];
    const want = String(typeof spec === "object" && spec !== null ? (spec as Json).value : spec);
    return fieldValues(doc, field).some((v) => String(v).startsWith(want)) ? 1 : false;
  }
  if (q.match_phrase) {
    const [field, spec] = Object.entries(q.match_phrase)[0] as [string, unknown];
    const want = String(typeof spec === "object" && spec !== null ? (spec as Json).query : spec);
    return fieldValues(doc, field).some((v) => String(v).includes(want)) ? occurrences(doc, [want]) : false;
  }
  if (q.match) {
    // Only used to score: every word found adds to the score; none found is no match.
    const [field, spec] = Object.entries(q.match)[0] as [string, unknown];
    const words = String(typeof spec === "object" && spec !== null ? (spec as Json).query : spec).split(" ");
    const score = fieldValues(doc, field).length ? occurrences(doc, words) : 0;
    return score > 0 ? score : false;
  }
  throw new EngineError(
    400,
    "parsing_exception",
    `the local engine does not know the query ${JSON.stringify(q)}`,
  );
}

/** A small BM25-like score: occurrences of each word, damped by the document's length. */
function occurrences(doc: Source, words: string[]): number {
  const body = String(doc.body ?? "");
  let n = 0;
  for (const w of words) {
    if (!w) continue;
    for (let at = body.indexOf(w); at !== -1; at = body.indexOf(w, at + w.length)) n++;
  }
  return n / (1 + body.length / 200);
}

function evaluateBool(b: Json, doc: Source): number | false {
  let score = 0;
  for (const c of values(b.filter) as Json[]) if (evaluate(c, doc) === false) return false;
  for (const c of values(b.must) as Json[]) {
    const s = evaluate(c, doc);
    if (s === false) return false;
    score += s;
  }
  for (const c of values(b.must_not) as Json[]) if (evaluate(c, doc) !== false) return false;
  const should = values(b.should) as Json[];
  let matched = 0;
  for (const c of should) {
    const s = evaluate(c, doc);
    if (s !== false) {
      matched++;
      score += s;
    }
  }
  const onlyShould = !b.filter && !b.must;
  const minimum = b.minimum_should_match ?? (should.length && onlyShould ? 1 : 0);
  return matched >= Number(minimum) ? score : false;
}

type SortField = { field: string; order: "asc" | "desc" };

function sortSpec(sort: unknown): SortField[] {
  const list = values(sort);
  if (!list.length) return [{ field: "_score", order: "desc" }];
  return list.map((s) => {
    if (typeof s === "string") return { field: s, order: s === "_score" ? "desc" : "asc" };
    const [field, spec] = Object.entries(s as Json)[0] as [string, unknown];
    const order = typeof spec === "string" ? spec : ((spec as Json).order ?? "asc");
    return { field, order: order === "desc" ? "desc" : "asc" };
  });
}

function sortValue(field: string, m: { doc: Source; score: number }): SortValue {
  if (field === "_score") return m.score;
  const v = m.doc[field];
  return typeof v === "number" ? v : String(v ?? "");
}

function compare(a: SortValue[], b: SortValue[], sort: SortField[]): number {
  for (let i = 0; i < sort.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    const c = typeof x === "number" && typeof y === "number" ? x - y : String(x) < String(y) ? -1 : 1;
    if (c !== 0) return sort[i]!.order === "desc" ? -c : c;
  }
  return 0;
}

function aggregate(aggs: Json, matched: { doc: Source }[]): Json {
  const out: Json = {};
  for (const [name, spec] of Object.entries(aggs) as [string, Json][]) {
    if (!spec.terms)
      throw new EngineError(400, "parsing_exception", `the local engine does not know aggregation ${name}`);
    const { field, include, size = 10 } = spec.terms;
    const re = include ? new RegExp(`^(?:${include})$`) : undefined;
    const counts = new Map<string, number>();
    for (const { doc } of matched)
      for (const v of new Set(values(doc[field]).map(String)))
        if (!re || re.test(v)) counts.set(v, (counts.get(v) ?? 0) + 1);
    const buckets = [...counts]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, size)
      .map(([key, doc_count]) => ({ key, doc_count }));
    out[name] = { doc_count_error_upper_bound: 0, sum_other_doc_count: 0, buckets };
  }
  return out;
}
