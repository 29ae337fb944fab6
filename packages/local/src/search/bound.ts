// Skips documents that cannot beat a page's last score, from gram counts alone.
import { needleGrams } from "./analysis";
import type { Mapping } from "./mapping";
import { gramKey, type ListCursor } from "./postings";
import { entry, type Json, unwrap, values } from "./query";

/** A score bound from gram counts alone: a word occurs at most as often as its rarest gram does. */
export class Bound {
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
