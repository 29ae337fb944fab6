// Postings per gram and keyword value, and the cursors that walk them newest first.

/** Per document: ordinal × 16 + occurrences (15 = "or more"), ascending, as ordinals only grow. */
export type Postings = number[];
export const NONE: Postings = [];
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
export const gramKey = (field: string, g: number) => `${field} ${g}`;

/** Counts one more occurrence of the key in document `ord`; returns the entry's index. */
export function addEntry(list: Postings, ord: number): number {
  const last = list.length - 1;
  if (last >= 0 && list[last]! >> 4 === ord) {
    if ((list[last]! & MANY) < MANY) list[last]!++;
    return last;
  }
  return list.push(ord * 16 + 1) - 1;
}

/** Gram postings of one text field, and the score's length damping per ordinal (bounds read no document). */
export interface Grams {
  lists: Map<number, Postings>;
  blockMax: Map<number, number[]>;
  damps: number[];
}

/** Counts one more occurrence of gram `g` in document `ord`, keeping block maxima once its list is long. */
export function addGram(grams: Grams, g: number, ord: number) {
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

/** Walks candidates from the newest ordinal down: `seek(x)` is the greatest candidate ≤ x (x never grows), or -1. */
export interface Cursor {
  readonly size: number;
  seek(x: number): number;
}

export class ListCursor implements Cursor {
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
export class KeywordCursor extends ListCursor {}

export const everyOrdinal = (n: number): Cursor => ({ size: n, seek: (x) => Math.min(x, n - 1) });

/** Intersection, rarest first: each seek leapfrogs the lists until they agree. */
export function intersection(cursors: Cursor[]): Cursor {
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
export function union(cursors: Cursor[]): Cursor {
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
