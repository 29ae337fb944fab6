// Candidates from postings: a superset of the matches, each then checked exactly (see compile).
import { needleGrams } from "./analysis";
import type { Mapping } from "./mapping";
import {
  type Cursor,
  type Grams,
  gramKey,
  intersection,
  KeywordCursor,
  ListCursor,
  NONE,
  type Postings,
  union,
} from "./postings";
import { entry, type Json, minimumShould, unwrap, values } from "./query";

/** What planning reads of an index: its mapping, gram postings per text field, postings per keyword value. */
export interface Indexed {
  readonly mapping: Mapping;
  gramsOf(field: string): Grams;
  readonly keywords: Map<string, Map<string, Postings>>;
}

/** Candidates every match is among (undefined: no clause narrows); `required` collects gram cursors. */
export function plan(q: Json, index: Indexed, required?: Map<string, ListCursor>): Cursor | undefined {
  if (q.bool) {
    const b = q.bool;
    const parts = [...values(b.filter), ...values(b.must)]
      .map((c) => plan(c as Json, index, required))
      .filter((c) => c !== undefined);
    const should = values(b.should).map((c) => plan(c as Json, index));
    if (minimumShould(b) >= 1 && should.length && should.every((c) => c !== undefined))
      parts.push(union(should as Cursor[]));
    // A common keyword narrows little and costs a seek per candidate: the exact check tests it instead.
    const smallest = Math.min(...parts.map((c) => c.size));
    const narrowing = parts.filter((c) => !(c instanceof KeywordCursor) || c.size <= smallest * 8);
    return narrowing.length ? intersection(narrowing) : undefined;
  }
  if (q.match_phrase) {
    const [field, spec] = entry(q.match_phrase);
    const f = index.mapping.field(field);
    if (f?.kind !== "text") return undefined;
    const grams = index.gramsOf(f.source);
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
    const kind = index.mapping.field(field)?.kind;
    return kind === "keyword" || kind === "boolean"
      ? (index.keywords.get(field) ?? new Map<string, Postings>())
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
