// Postings only pick candidates, each checked exactly after, so answers equal a scan's (search-engine.test).
import { aggregate } from "./aggregate";
import { damping, eachGram, textOf } from "./analysis";
import { Bound } from "./bound";
import { compile } from "./compile";
import { EngineError } from "./errors";
import { Mapping } from "./mapping";
import { plan } from "./plan";
import { addEntry, addGram, everyOrdinal, type Grams, type ListCursor, type Postings } from "./postings";
import { constantScore, type Json, type Source, timeBounds } from "./query";
import { compare, type Hit, type SortValue, sortSpec, sortValue, Top } from "./sort";

export { EngineError } from "./errors";
export type { Source } from "./query";

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
        if (typeof v === "string") eachGram(v, (g) => addGram(grams, g, ord));
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
    const index = { mapping, gramsOf: (f: string) => this.gramsOf(f), keywords: this.keywords };
    const cursor = plan(query, index, required) ?? everyOrdinal(this.sources.length);
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
}
