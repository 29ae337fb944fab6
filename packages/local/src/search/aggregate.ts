// Terms aggregations over every match.
import { EngineError } from "./errors";
import type { Mapping } from "./mapping";
import { type Json, type Source, values } from "./query";

export function aggregate(aggs: Json, matched: Source[], mapping: Mapping): Json {
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
