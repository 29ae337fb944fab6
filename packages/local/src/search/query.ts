// Reading the query DSL: clause shapes, and what a query's required clauses say about every match.

export type Json = Record<string, any>;
export type Source = Record<string, unknown>;

export function values(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

export const entry = (clause: unknown) => Object.entries(clause as Json)[0] as [string, Json[string]];
export const unwrap = (spec: unknown, key: string) =>
  typeof spec === "object" && spec !== null ? (spec as Json)[key] : spec;

/** Without explicit minimum_should_match, a bool of only should clauses needs one of them. */
export const minimumShould = (b: Json) =>
  Number(b.minimum_should_match ?? (values(b.should).length && !b.filter && !b.must ? 1 : 0));

/** Bounds on the order field every match is within, from the query's required range clauses. */
export function timeBounds(query: Json, order: string | undefined) {
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
export function constantScore(q: Json): boolean {
  if (q.match_phrase || q.match) return false;
  if (!q.bool) return true;
  return values(q.bool.should).length === 0 && (values(q.bool.must) as Json[]).every(constantScore);
}
