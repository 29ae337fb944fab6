// Sort keys, and the best hits of a page in their order.
import type { Mapping } from "./mapping";
import { entry, type Json, type Source, values } from "./query";

export type SortValue = string | number;

export type SortField = { field: string; order: "asc" | "desc" };

export function sortSpec(sort: unknown): SortField[] {
  const list = values(sort);
  if (!list.length) return [{ field: "_score", order: "desc" }];
  return list.map((s) => {
    if (typeof s === "string") return { field: s, order: s === "_score" ? "desc" : "asc" };
    const [field, spec] = entry(s);
    const order = typeof spec === "string" ? spec : ((spec as Json).order ?? "asc");
    return { field, order: order === "desc" ? "desc" : "asc" };
  });
}

export function sortValue(field: string, hit: { doc: Source; score: number }, mapping: Mapping): SortValue {
  if (field === "_score") return hit.score;
  const v = hit.doc[mapping.field(field)?.source ?? field];
  return typeof v === "number" ? v : String(v ?? "");
}

function compareValues(x: SortValue, y: SortValue, order: SortField["order"]): number {
  if (x === y) return 0;
  const c = typeof x === "number" && typeof y === "number" ? x - y : String(x) < String(y) ? -1 : 1;
  return order === "desc" ? -c : c;
}

export function compare(a: SortValue[], b: SortValue[], sort: SortField[]): number {
  for (let i = 0; i < sort.length; i++) {
    const c = compareValues(a[i]!, b[i]!, sort[i]!.order);
    if (c !== 0) return c;
  }
  return 0;
}

export type Hit = { ord: number; doc: Source; score: number };

/** The best `k` hits so far, best first (k is a page, so a sorted array beats a heap). */
export class Top {
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
