// Postings only pick candidates, each checked exactly after, so answers equal a scan's (search-engine.test).
import { EngineError } from "./errors";
import { type Field, Mapping } from "./mapping";

export { EngineError } from "./errors";

type Json = Record<string, any>;
type SortValue = string | number;
export type Source = Record<string, unknown>;

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
function eachGram(text: string, emit: (gram: number) => void) {
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
function needleGrams(needle: string): number[] {
  const u = (i: number) => needle.charCodeAt(i);
  if (needle.length >= 3)
    return [
      ...new Set(Array.from({ length: needle.length - 2 }, (_, i) => triple(u(i), u(i + 1), u(i + 2)))),
    ];
  if (needle.length === 2) return needle.includes(" ") ? [] : [pair(u(0), u(1))];
  return needle.length === 1 && isCjk(u(0)) ? [u(0)] : [];
}

/** Per document: ordinal × 16 + occurrences (15 = "or more"), ascending, as ordinals only grow. */
type Postings = number[];
const NONE: Postings = [];
const MANY = 15;
/** Blocks of 16 entries, in lists of at least 64. */
const BLOCK = 4;
const LONG = 64;

/** The most a word with this entry's gram can score in its document, per `match` clause. */
function impact(entry: number, damps: number[]): number {
  const count = entry & MANY;
  return count === MANY ? Number.POSITIVE_INFINITY : count / damps[entry >> 4]!;
}

/** Gram cursors a search shares, by text field and gram. */
const gramKey = (field: string, g: number) => `${field} ${g}`;

/** The score's length damping (see `occurrences`). */
const damping = (text: string) => 1 + text.length / 200;

/** Counts one more occurrence of the key in document `ord`; returns the entry's index. */
function addEntry(list: Postings, ord: number): number {
  const last = list.length - 1;
  if (last >= 0 && list[last]! >> 4 === ord) {
    if ((list[last]! & MANY) < MANY) list[last]!++;
    return last;
  }
  return list.push(ord * 16 + 1) - 1;
}

/** Gram postings of one text field, and the score's length damping per ordinal (bounds read no document). */
interface Grams {
  lists: Map<number, Postings>;
  blockMax: Map<number, number[]>;
  damps: number[];
}

const textOf = (doc: Source, field: string) => String(doc[field] ?? "");

/** Writes append (ordinals in write order); once disorder and dead entries pass a share, it is rebuilt. */
export class LocalIndex {
  private readonly versions = new Map<string, number>();
  private readonly ordinals = new Map<string, number>();
  private sources: (Source | undefined)[] = [];
  private ids: string[] = [];
  /** The order field per ordinal, and its greatest value up to each: a newest-first walk stops once nothing left can make the page. */
  private times: number[] = [];
  private newest: number[] = [];
  private texts = new Map<string, Grams>();
  private keywords = new Map<string, Map<string, Postings>>();
  private disorder = 0;
  private dead = 0;
  private readonly mapping: Mapping;
  private textFields: string[] = [];
  private exactFields: { path: string; source: string }[] = [];

  constructor(
    readonly name: string,
    readonly definition: Json,
  ) {
    this.mapping = new Mapping(definition);
    this.mapped();
  }

  /** The fields postings are kept for, again whenever dynamic mapping adds one. */
  private mapped() {
    const m = this.mapping;
    this.textFields = m.textSources();
    this.exactFields = [...m.paths("keyword"), ...m.paths("boolean")].map((path) => ({
      path,
      source: m.field(path)!.source,
    }));
  }

  private gramsOf(field: string): Grams {
    let g = this.texts.get(field);
    if (!g) {
      g = { lists: new Map(), blockMax: new Map(), damps: [] };
      this.texts.set(field, g);
    }
    return g;
  }

  get size(): number {
    return this.ordinals.size;
  }

  get(id: string): Source | undefined {
    const ord = this.ordinals.get(id);
    return ord === undefined ? undefined : this.sources[ord];
  }

  /** Throws 409 like OpenSearch for a stale external version. */
  put(id: string, source: Source, version?: number): void {
    this.checkVersion(id, version);
    if (this.mapping.admit(source)) this.mapped();
    if (version !== undefined) this.versions.set(id, version);
    this.kill(id);
    this.append(id, source);
  }

  remove(id: string, version?: number): boolean {
    this.checkVersion(id, version);
    if (version !== undefined) this.versions.set(id, version);
    return this.kill(id);
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

  private kill(id: string): boolean {
    const ord = this.ordinals.get(id);
    if (ord === undefined) return false;
    this.sources[ord] = undefined;
    this.ordinals.delete(id);
    this.dead++;
    return true;
  }

  private append(id: string, source: Source) {
    const ord = this.sources.length;
    this.sources.push(source);
    this.ids.push(id);
    this.ordinals.set(id, ord);
    // A document without an order value bounds nothing: walks past it never stop early.
    const order = this.mapping.order;
    const value = order === undefined ? undefined : source[order];
    const t = typeof value === "number" ? value : Number.POSITIVE_INFINITY;
    const last = ord > 0 ? this.newest[ord - 1]! : Number.NEGATIVE_INFINITY;
    if (t < last) this.disorder++;
    this.times.push(t);
    this.newest.push(Math.max(t, last));
    for (const field of this.textFields) {
      const grams = this.gramsOf(field);
      grams.damps[ord] = damping(textOf(source, field));
      const value = source[field];
      for (const v of Array.isArray(value) ? value : [value])
        if (typeof v === "string") eachGram(v, (g) => this.addGram(grams, g, ord));
    }
    for (const { path, source: from } of this.exactFields) {
      const value = source[from];
      if (value === undefined || value === null) continue;
      const byValue = this.keywords.get(path) ?? new Map<string, Postings>();
      this.keywords.set(path, byValue);
      for (const v of Array.isArray(value) ? value : [value]) {
        const key = String(v);
        const list = byValue.get(key);
        if (list) addEntry(list, ord);
        else byValue.set(key, [ord * 16 + 1]);
      }
    }
  }

  private addGram(grams: Grams, g: number, ord: number) {
    const list = grams.lists.get(g);
    if (!list) {
      grams.lists.set(g, [ord * 16 + 1]);
      return;
    }
    const at = addEntry(list, ord);
    // A short list has nothing worth skipping: its blocks are kept from LONG entries on.
    if (at < LONG) return;
    let most = grams.blockMax.get(g);
    if (!most) {
      most = [];
      for (let i = 0; i < at; i++)
        most[i >> BLOCK] = Math.max(most[i >> BLOCK] ?? 0, impact(list[i]!, grams.damps));
      grams.blockMax.set(g, most);
    }
    const block = at >> BLOCK;
    const entryImpact = impact(list[at]!, grams.damps);
    if (!(most[block]! >= entryImpact)) most[block] = entryImpact;
  }

  /** Re-appends the live documents oldest first, once out-of-order and dead ordinals are a quarter of the index. */
  private maintain() {
    if (this.disorder + this.dead <= Math.max(1024, this.ordinals.size / 4)) return;
    const { sources, ids, times } = this;
    const live = [...this.ordinals.values()].sort(
      (a, b) => times[a]! - times[b]! || (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0),
    );
    this.ordinals.clear();
    this.sources = [];
    this.ids = [];
    this.times = [];
    this.newest = [];
    this.texts = new Map();
    this.keywords = new Map();
    this.disorder = 0;
    this.dead = 0;
    for (const ord of live) this.append(ids[ord]!, sources[ord]!);
  }

  search(body: Json): Json {
    const started = performance.now();
    this.maintain();
    const query: Json = body.query ?? { match_all: {} };
    const sort = sortSpec(body.sort);
    const size = Number(body.size ?? 10);
    const from = Number(body.from ?? 0);
    const after: SortValue[] | undefined = body.search_after;
    const aggs: Json | undefined = body.aggs ?? body.aggregations;
    const { mapping } = this;
    const order = mapping.order;
    const test = compile(query, true, new Map(), mapping);
    const required = new Map<string, ListCursor>();
    const cursor = this.plan(query, required) ?? everyOrdinal(this.sources.length);
    const top = new Top(from + size, sort, mapping);
    const matched: Source[] = [];

    // Newest first needs only a page when time is the first order that differs between matches.
    const keys = constantScore(query) ? sort.filter((s) => s.field !== "_score") : sort;
    const byTime = !aggs && order !== undefined && keys[0]?.field === order && keys[0].order === "desc";
    // Best first by score: documents that cannot beat the page's last score are skipped unread.
    const bound =
      !aggs && sort[0]?.field === "_score" && sort[0].order === "desc" && Bound.of(query, required, mapping);
    const damps = bound ? this.gramsOf(bound.field).damps : [];
    const { floor, ceiling } = timeBounds(query, order);
    const key = (hit: Hit) => sort.map((s) => sortValue(s.field, hit, mapping));
    const beyond = (hit: Hit) => !after || compare(key(hit), after, sort) > 0;
    let x = this.sources.length - 1;
    let block: { most: number; start: number } | undefined;
    // Written in time order, ordinals are sorted by time: skip straight past what is too new.
    if (this.disorder === 0) {
      if (ceiling) x = Math.min(x, this.lastBefore(ceiling.t, ceiling.inclusive));
      if (byTime && sort[0] === keys[0] && typeof after?.[0] === "number")
        x = Math.min(x, this.lastBefore(after[0], true));
    }
    // A page of none needs no walk, unless aggregations count every match.
    while (aggs || top.k > 0) {
      const ord = cursor.seek(x);
      if (ord < 0) break;
      x = ord - 1;
      if (floor && (this.newest[ord]! < floor.t || (!floor.inclusive && this.newest[ord] === floor.t))) break;
      if (bound && top.full()) {
        const least = top.last().score;
        // A block's bound holds down to its start: computed again only past it.
        if (!block || ord < block.start) block = bound.block();
        if (block.most < least) {
          x = block.start - 1;
          block = undefined;
          continue;
        }
        if (bound.doc(damps[ord]!) < least) continue;
      }
      const doc = this.sources[ord];
      if (!doc) continue;
      const score = test(doc);
      if (score === false) continue;
      if (aggs) matched.push(doc);
      const hit: Hit = { ord, doc, score };
      if (!beyond(hit)) continue;
      top.add(hit);
      if (byTime && top.full() && x >= 0 && this.times[top.last().ord]! > this.newest[x]!) break;
    }

    const response: Json = { took: Math.round(performance.now() - started), timed_out: false };
    if (aggs) response.aggregations = aggregate(aggs, matched, mapping);
    response.hits = {
      max_score: null,
      hits: top.hits.slice(from).map((h) => ({
        _index: this.name,
        _id: this.ids[h.ord],
        _score: h.score,
        ...(body._source === false ? {} : { _source: h.doc }),
        ...(body.sort ? { sort: key(h) } : {}),
      })),
    };
    return response;
  }

  /** The greatest ordinal written at or before (or strictly before) `t`, when ordinals are in time order. */
  private lastBefore(t: number, inclusive: boolean): number {
    let lo = -1;
    let hi = this.times.length;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      const v = this.times[mid]!;
      if (v < t || (inclusive && v === t)) lo = mid;
      else hi = mid;
    }
    return lo;
  }

  /** Candidates every match is among (undefined: no clause narrows); `required` collects gram cursors. */
  private plan(q: Json, required?: Map<string, ListCursor>): Cursor | undefined {
    if (q.bool) {
      const b = q.bool;
      const parts = [...values(b.filter), ...values(b.must)]
        .map((c) => this.plan(c as Json, required))
        .filter((c) => c !== undefined);
      const should = values(b.should).map((c) => this.plan(c as Json));
      if (minimumShould(b) >= 1 && should.length && should.every((c) => c !== undefined))
        parts.push(union(should as Cursor[]));
      // A common keyword narrows little and costs a seek per candidate: the exact check tests it instead.
      const smallest = Math.min(...parts.map((c) => c.size));
      const narrowing = parts.filter((c) => !(c instanceof KeywordCursor) || c.size <= smallest * 8);
      return narrowing.length ? intersection(narrowing) : undefined;
    }
    if (q.match_phrase) {
      const [field, spec] = entry(q.match_phrase);
      const f = this.mapping.field(field);
      if (f?.kind !== "text") return undefined;
      const grams = this.gramsOf(f.source);
      const cursorOf = (g: number) => {
        const cursor =
          required?.get(gramKey(f.source, g)) ??
          new ListCursor(grams.lists.get(g) ?? NONE, grams.blockMax.get(g));
        required?.set(gramKey(f.source, g), cursor);
        return cursor;
      };
      // Four rarest grams narrow enough, plus one per phrase word so `Bound` can bound scored words.
      const size = (g: number) => grams.lists.get(g)?.length ?? 0;
      const rarest = (gs: number[]) => gs.sort((a, b) => size(a) - size(b));
      const text = String(unwrap(spec, "query"));
      const gs = new Set(rarest(needleGrams(text)).slice(0, 4));
      if (text.includes(" "))
        for (const word of text.split(" ")) {
          const own = rarest(needleGrams(word));
          if (own.length && !own.some((g) => gs.has(g))) gs.add(own[0]!);
        }
      return gs.size ? intersection([...gs].map(cursorOf)) : undefined;
    }
    const keyword = (field: string) => {
      const kind = this.mapping.field(field)?.kind;
      return kind === "keyword" || kind === "boolean"
        ? (this.keywords.get(field) ?? new Map<string, Postings>())
        : undefined;
    };
    if (q.term) {
      const [field, spec] = entry(q.term);
      const byValue = keyword(field);
      return byValue && new KeywordCursor(byValue.get(String(unwrap(spec, "value"))) ?? NONE);
    }
    if (q.terms) {
      const [field, list] = entry(q.terms);
      const byValue = keyword(field);
      return byValue && union(values(list).map((v) => new ListCursor(byValue.get(String(v)) ?? NONE)));
    }
    if (q.prefix) {
      const [field, spec] = entry(q.prefix);
      const byValue = keyword(field);
      if (!byValue) return undefined;
      const want = String(unwrap(spec, "value"));
      const lists = [...byValue].filter(([v]) => v.startsWith(want)).map(([, ids]) => new ListCursor(ids));
      return union(lists);
    }
    return undefined;
  }
}

type Hit = { ord: number; doc: Source; score: number };

/** The best `k` hits so far, best first (k is a page, so a sorted array beats a heap). */
class Top {
  readonly hits: Hit[] = [];
  constructor(
    readonly k: number,
    readonly sort: SortField[],
    readonly mapping: Mapping,
  ) {}
  full = () => this.hits.length >= this.k;
  last = () => this.hits[this.hits.length - 1]!;
  add(hit: Hit) {
    if (this.k <= 0 || (this.full() && this.compare(hit, this.last()) >= 0)) return;
    let lo = 0;
    let hi = this.hits.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.compare(this.hits[mid]!, hit) <= 0) lo = mid + 1;
      else hi = mid;
    }
    this.hits.splice(lo, 0, hit);
    if (this.hits.length > this.k) this.hits.pop();
  }
  private compare(a: Hit, b: Hit): number {
    for (const s of this.sort) {
      const c = compareValues(
        sortValue(s.field, a, this.mapping),
        sortValue(s.field, b, this.mapping),
        s.order,
      );
      if (c !== 0) return c;
    }
    return 0;
  }
}

/** Walks candidates from the newest ordinal down: `seek(x)` is the greatest candidate ≤ x (x never grows), or -1. */
interface Cursor {
  readonly size: number;
  seek(x: number): number;
}

class ListCursor implements Cursor {
  private at: number;
  constructor(
    private readonly list: Postings,
    private readonly blockMax?: number[],
  ) {
    this.at = list.length - 1;
  }
  get size() {
    return this.list.length;
  }
  seek(x: number): number {
    const l = this.list;
    const at = this.at;
    const most = x * 16 + MANY;
    if (at < 0 || l[at]! <= most) return at < 0 ? -1 : l[at]! >> 4;
    // Gallop down, then bisect: cheap both for the next element and for a long jump.
    let hi = at;
    let step = 1;
    let lo = at - 1;
    while (lo >= 0 && l[lo]! > most) {
      hi = lo;
      step *= 2;
      lo = hi - step;
    }
    if (lo < -1) lo = -1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (l[mid]! <= most) lo = mid;
      else hi = mid;
    }
    this.at = lo;
    return lo < 0 ? -1 : l[lo]! >> 4;
  }
  /** How often the key occurs in the current document (Infinity for "many"). */
  count(): number {
    const n = this.list[this.at]! & MANY;
    return n === MANY ? Number.POSITIVE_INFINITY : n;
  }
  /** The current block: the most a word with this gram scores there, and the block's first ordinal. */
  most(): number {
    return this.blockMax?.[this.at >> BLOCK] ?? Number.POSITIVE_INFINITY;
  }
  blockStart(): number {
    return this.list[(this.at >> BLOCK) << BLOCK]! >> 4;
  }
}

/** Postings of one keyword value: exact, so they may be left out of an intersection (not so gram cursors, see `Bound`). */
class KeywordCursor extends ListCursor {}

/** A score bound from gram counts alone: a word occurs at most as often as its rarest gram does. */
class Bound {
  private constructor(
    /** The text field every clause scores. */
    readonly field: string,
    /** Per distinct match clause (and how many there are of it), per word, the cursors of its grams. */
    private readonly clauses: { words: ListCursor[][]; times: number }[],
  ) {}

  static of(query: Json, required: Map<string, ListCursor>, mapping: Mapping): Bound | undefined {
    const b = query.bool;
    if (!b || values(b.must).length) return undefined;
    // Multi-fields of one text field score the same words alike.
    const clauses = new Map<string, { words: ListCursor[][]; times: number }>();
    let source: string | undefined;
    for (const c of values(b.should) as Json[]) {
      if (!c.match) return undefined;
      const [field, spec] = entry(c.match);
      const f = mapping.field(field);
      if (f?.kind !== "text" || (source !== undefined && f.source !== source)) return undefined;
      source = f.source;
      const text = String(unwrap(spec, "query"));
      const known = clauses.get(text);
      if (known) {
        known.times++;
        continue;
      }
      // Any of a word's grams bounds it; those the plan intersected sit on the candidate.
      const words = text.split(" ").filter((w) => w);
      const from = f.source;
      const grams = words.map((w) => needleGrams(w).flatMap((g) => required.get(gramKey(from, g)) ?? []));
      if (grams.some((gs) => !gs.length)) return undefined;
      clauses.set(text, { words: grams, times: 1 });
    }
    return source !== undefined && clauses.size ? new Bound(source, [...clauses.values()]) : undefined;
  }

  /** Rounding differs from the score's own arithmetic (a sum per clause) by far less than this margin. */
  private static margin = (n: number) => n * (1 + 1e-9);

  doc(damp: number): number {
    let score = 0;
    for (const { words, times } of this.clauses) {
      let n = 0;
      for (const grams of words) n += least(grams, (g) => g.count());
      score += (times * n) / damp;
    }
    return Bound.margin(score);
  }

  /** Per word, the gram whose block bounds it lowest: valid until that gram's cursor leaves its block. */
  block(): { most: number; start: number } {
    let most = 0;
    let start = 0;
    for (const { words, times } of this.clauses)
      for (const grams of words) {
        let best = grams[0]!;
        for (const g of grams) if (g.most() < best.most()) best = g;
        most += times * best.most();
        start = Math.max(start, best.blockStart());
      }
    return { most: Bound.margin(most), start };
  }
}

function least(cursors: ListCursor[], f: (c: ListCursor) => number): number {
  let n = Number.POSITIVE_INFINITY;
  for (const c of cursors) n = Math.min(n, f(c));
  return n;
}

const everyOrdinal = (n: number): Cursor => ({ size: n, seek: (x) => Math.min(x, n - 1) });

/** Intersection, rarest first: each seek leapfrogs the lists until they agree. */
function intersection(cursors: Cursor[]): Cursor {
  const cs = [...new Set(cursors)].sort((a, b) => a.size - b.size);
  if (cs.length === 1) return cs[0]!;
  return {
    size: cs[0]!.size,
    seek(x) {
      let agreed = 0;
      for (let i = 0; ; i = (i + 1) % cs.length) {
        const v = cs[i]!.seek(x);
        if (v < 0) return -1;
        if (v === x) agreed++;
        else {
          x = v;
          agreed = 1;
        }
        if (agreed === cs.length) return x;
      }
    },
  };
}

/** Union; many lists (a short prefix) are merged once instead of being sought one by one. */
function union(cursors: Cursor[]): Cursor {
  if (cursors.length === 1) return cursors[0]!;
  if (cursors.length > 8 && cursors.every((c) => c instanceof ListCursor)) {
    const merged: number[] = [];
    for (const c of cursors)
      for (let v = c.seek(Infinity); v >= 0; v = c.seek(v - 1)) merged.push(v * 16 + 1);
    merged.sort((a, b) => a - b);
    return new ListCursor(merged.filter((v, i) => i === 0 || merged[i - 1] !== v));
  }
  return {
    size: cursors.reduce((n, c) => n + c.size, 0),
    seek(x) {
      let best = -1;
      for (const c of cursors) {
        const v = c.seek(x);
        if (v > best) best = v;
      }
      return best;
    },
  };
}

function values(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

const entry = (clause: unknown) => Object.entries(clause as Json)[0] as [string, Json[string]];
const unwrap = (spec: unknown, key: string) =>
  typeof spec === "object" && spec !== null ? (spec as Json)[key] : spec;

/** Without explicit minimum_should_match, a bool of only should clauses needs one of them. */
const minimumShould = (b: Json) =>
  Number(b.minimum_should_match ?? (values(b.should).length && !b.filter && !b.must ? 1 : 0));

/** Bounds on the order field every match is within, from the query's required range clauses. */
function timeBounds(query: Json, order: string | undefined) {
  let floor: { t: number; inclusive: boolean } | undefined;
  let ceiling: { t: number; inclusive: boolean } | undefined;
  const required = query.bool ? [...values(query.bool.filter), ...values(query.bool.must)] : [query];
  for (const c of required as Json[]) {
    if (order === undefined || !c.range?.[order]) continue;
    const r = c.range[order] as Json;
    if (typeof r.gte === "number" && (!floor || r.gte > floor.t)) floor = { t: r.gte, inclusive: true };
    if (typeof r.gt === "number" && (!floor || r.gt >= floor.t)) floor = { t: r.gt, inclusive: false };
    if (typeof r.lte === "number" && (!ceiling || r.lte < ceiling.t)) ceiling = { t: r.lte, inclusive: true };
    if (typeof r.lt === "number" && (!ceiling || r.lt <= ceiling.t)) ceiling = { t: r.lt, inclusive: false };
  }
  return { floor, ceiling };
}

/** Whether every match scores the same (no clause that scores by text), so _score orders nothing. */
function constantScore(q: Json): boolean {
  if (q.match_phrase || q.match) return false;
  if (!q.bool) return true;
  return values(q.bool.should).length === 0 && (values(q.bool.must) as Json[]).every(constantScore);
}

type Test = (doc: Source) => number | false;

/** Whether any value of the field (multi-fields like title.raw hold their parent's value) passes. */
function anyValue(f: Field | undefined, ok: (v: unknown) => boolean): (doc: Source) => boolean {
  // An unmapped field matches nothing, as in OpenSearch.
  if (!f) return () => false;
  return (doc) => {
    const v = doc[f.source];
    if (v === undefined || v === null) return false;
    return Array.isArray(v) ? v.some(ok) : ok(v);
  };
}

/** A text value's terms: the engine runs no analysis chain (the client sends folded text), so words as sent. */
const termsOf = (v: unknown) => String(v).split(/\s+/u);

/** Counts remembered for the last document: several clauses may count the same words. */
type Counts = Map<string, (doc: Source) => number>;

/** The query as a function: false or a score; `scored` is false where the score is dropped (filter). */
function compile(q: Json, scored: boolean, counts: Counts, mapping: Mapping): Test {
  if (q.match_all) return () => 1;
  if (q.bool) return compileBool(q.bool, scored, counts, mapping);
  if (q.term) {
    const [field, spec] = entry(q.term);
    const want = unwrap(spec, "value");
    const text = String(want);
    const f = mapping.field(field);
    const has = anyValue(
      f,
      f?.kind === "text" ? (v) => termsOf(v).includes(text) : (v) => v === want || String(v) === text,
    );
    return (doc) => (has(doc) ? 0 : false);
  }
  if (q.terms) {
    const [field, list] = entry(q.terms);
    const wanted = new Set(values(list).map(String));
    const f = mapping.field(field);
    const has = anyValue(
      f,
      f?.kind === "text" ? (v) => termsOf(v).some((t) => wanted.has(t)) : (v) => wanted.has(String(v)),
    );
    return (doc) => (has(doc) ? 0 : false);
  }
  if (q.range) {
    const [field, r] = entry(q.range);
    const has = anyValue(mapping.field(field), (raw) => {
      const v = Number(raw);
      return (
        (r.gte === undefined || v >= r.gte) &&
        (r.gt === undefined || v > r.gt) &&
        (r.lte === undefined || v <= r.lte) &&
        (r.lt === undefined || v < r.lt)
      );
    });
    return (doc) => (has(doc) ? 0 : false);
  }
  if (q.prefix) {
    const [field, spec] = entry(q.prefix);
    const want = String(unwrap(spec, "value"));
    const f = mapping.field(field);
    const has = anyValue(
      f,
      f?.kind === "text"
        ? (v) => termsOf(v).some((t) => t.startsWith(want))
        : (v) => String(v).startsWith(want),
    );
    return (doc) => (has(doc) ? 1 : false);
  }
  if (q.match_phrase) {
    const [field, spec] = entry(q.match_phrase);
    const want = String(unwrap(spec, "query"));
    const f = mapping.field(field);
    if (f?.kind !== "text") {
      const has = anyValue(f, (v) => String(v) === want);
      return (doc) => (has(doc) ? 1 : false);
    }
    const has = anyValue(f, (v) => String(v).includes(want));
    return (doc) => (has(doc) ? (scored ? occurrences(doc, f.source, [want]) : 0) : false);
  }
  if (q.match) {
    const [field, spec] = entry(q.match);
    const query = String(unwrap(spec, "query"));
    const f = mapping.field(field);
    if (f?.kind !== "text") {
      const has = anyValue(f, (v) => String(v) === query);
      return (doc) => (has(doc) ? 1 : false);
    }
    // Every word found adds to the score; none found is no match.
    const words = query.split(" ");
    const has = anyValue(f, () => true);
    const key = `${f.source} ${words.join(" ")}`;
    const count = counts.get(key) ?? lastOf((doc) => occurrences(doc, f.source, words));
    counts.set(key, count);
    return (doc) => {
      const score = has(doc) ? count(doc) : 0;
      return score > 0 ? score : false;
    };
  }
  throw new EngineError(
    400,
    "parsing_exception",
    `the local engine does not know the query ${JSON.stringify(q)}`,
  );
}

function lastOf(f: (doc: Source) => number): (doc: Source) => number {
  let last: Source | undefined;
  let value = 0;
  return (doc) => {
    if (doc !== last) {
      last = doc;
      value = f(doc);
    }
    return value;
  };
}

function compileBool(b: Json, scored: boolean, counts: Counts, mapping: Mapping): Test {
  const filter = values(b.filter).map((c) => compile(c as Json, false, counts, mapping));
  const must = values(b.must).map((c) => compile(c as Json, scored, counts, mapping));
  const mustNot = values(b.must_not).map((c) => compile(c as Json, false, counts, mapping));
  const should = values(b.should).map((c) => compile(c as Json, scored, counts, mapping));
  const minimum = minimumShould(b);
  // Unscored and optional, should clauses change nothing.
  const weigh = scored || minimum > 0;
  return (doc) => {
    let score = 0;
    for (const t of filter) if (t(doc) === false) return false;
    for (const t of must) {
      const s = t(doc);
      if (s === false) return false;
      score += s;
    }
    for (const t of mustNot) if (t(doc) !== false) return false;
    if (!weigh) return score;
    let matched = 0;
    for (const t of should) {
      const s = t(doc);
      if (s !== false) {
        matched++;
        score += s;
      }
    }
    return matched >= minimum ? score : false;
  };
}

/** A small BM25-like score: occurrences of each word, damped by the document's length. */
function occurrences(doc: Source, field: string, words: string[]): number {
  const text = textOf(doc, field);
  let n = 0;
  for (const w of words) {
    if (!w) continue;
    for (let at = text.indexOf(w); at !== -1; at = text.indexOf(w, at + w.length)) n++;
  }
  return n / damping(text);
}

type SortField = { field: string; order: "asc" | "desc" };

function sortSpec(sort: unknown): SortField[] {
  const list = values(sort);
  if (!list.length) return [{ field: "_score", order: "desc" }];
  return list.map((s) => {
    if (typeof s === "string") return { field: s, order: s === "_score" ? "desc" : "asc" };
    const [field, spec] = entry(s);
    const order = typeof spec === "string" ? spec : ((spec as Json).order ?? "asc");
    return { field, order: order === "desc" ? "desc" : "asc" };
  });
}

function sortValue(field: string, hit: { doc: Source; score: number }, mapping: Mapping): SortValue {
  if (field === "_score") return hit.score;
  const v = hit.doc[mapping.field(field)?.source ?? field];
  return typeof v === "number" ? v : String(v ?? "");
}

function compareValues(x: SortValue, y: SortValue, order: SortField["order"]): number {
  if (x === y) return 0;
  const c = typeof x === "number" && typeof y === "number" ? x - y : String(x) < String(y) ? -1 : 1;
  return order === "desc" ? -c : c;
}

function compare(a: SortValue[], b: SortValue[], sort: SortField[]): number {
  for (let i = 0; i < sort.length; i++) {
    const c = compareValues(a[i]!, b[i]!, sort[i]!.order);
    if (c !== 0) return c;
  }
  return 0;
}

function aggregate(aggs: Json, matched: Source[], mapping: Mapping): Json {
  const out: Json = {};
  for (const [name, spec] of Object.entries(aggs) as [string, Json][]) {
    if (!spec.terms)
      throw new EngineError(400, "parsing_exception", `the local engine does not know aggregation ${name}`);
    const { field, include, size = 10 } = spec.terms;
    const re = include ? new RegExp(`^(?:${include})$`) : undefined;
    const counts = new Map<string, number>();
    const source = mapping.field(field)?.source ?? field;
    for (const doc of matched)
      for (const v of new Set(values(doc[source]).map(String)))
        if (!re || re.test(v)) counts.set(v, (counts.get(v) ?? 0) + 1);
    const buckets = [...counts]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, size)
      .map(([key, doc_count]) => ({ key, doc_count }));
    out[name] = { doc_count_error_upper_bound: 0, sum_other_doc_count: 0, buckets };
  }
  return out;
}
