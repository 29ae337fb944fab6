// The query checked exactly against one document: match or not, and its score.
import { occurrences, termsOf } from "./analysis";
import { EngineError } from "./errors";
import type { Field, Mapping } from "./mapping";
import { entry, type Json, minimumShould, type Source, unwrap, values } from "./query";

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

/** Counts remembered for the last document: several clauses may count the same words. */
type Counts = Map<string, (doc: Source) => number>;

/** The query as a function: false or a score; `scored` is false where the score is dropped (filter). */
export function compile(q: Json, scored: boolean, counts: Counts, mapping: Mapping): Test {
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
