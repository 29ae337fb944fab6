// Terms aggregations over every match, with cardinality sub-aggregations and ordering by them (trending tags).
import { EngineError } from "./errors";
import type { Mapping } from "./mapping";
import { type Json, type Source, values } from "./query";

const unknown = (name: string) =>
  new EngineError(400, "parsing_exception", `the local engine does not know aggregation ${name}`);

/** Single-value metrics under a bucket: only `cardinality` (exact here, approximate in OpenSearch). */
function metrics(
  aggs: Json | undefined,
  docs: Source[],
  mapping: Mapping,
): Record<string, { value: number }> {
  const out: Record<string, { value: number }> = {};
  for (const [name, spec] of Object.entries(aggs ?? {}) as [string, Json][]) {
    if (!spec.cardinality?.field) throw unknown(name);
    const source = mapping.field(spec.cardinality.field)?.source ?? spec.cardinality.field;
    out[name] = { value: new Set(docs.flatMap((doc) => values(doc[source]).map(String))).size };
  }
  return out;
}

export function aggregate(aggs: Json, matched: Source[], mapping: Mapping): Json {
  const out: Json = {};
  for (const [name, spec] of Object.entries(aggs) as [string, Json][]) {
    if (!spec.terms) throw unknown(name);
    const { field, include, size = 10, order } = spec.terms;
    const re = include ? new RegExp(`^(?:${include})$`) : undefined;
    const docsOf = new Map<string, Source[]>();
    const source = mapping.field(field)?.source ?? field;
    for (const doc of matched)
      for (const v of new Set(values(doc[source]).map(String)))
        if (!re || re.test(v)) docsOf.set(v, [...(docsOf.get(v) ?? []), doc]);
    const all = [...docsOf].map(([key, docs]) => ({
      key,
      doc_count: docs.length,
      ...metrics(spec.aggs ?? spec.aggregations, docs, mapping),
    }));
    const [by, direction] = order ? (Object.entries(order)[0] as [string, string]) : ["_count", "desc"];
    const sign = direction === "asc" ? 1 : -1;
    const rankOf = (b: (typeof all)[number]): number | string => {
      if (by === "_count") return b.doc_count;
      if (by === "_key") return b.key;
      const metric = (b as unknown as Record<string, { value: number } | undefined>)[by];
      if (!metric)
        throw new EngineError(400, "aggregation_execution_exception", `no metric ${by} to order by`);
      return metric.value;
    };
    // Ties as OpenSearch breaks them: by count, then by key ascending.
    const buckets = all
      .sort((a, b) => {
        const [x, y] = [rankOf(a), rankOf(b)];
        if (x !== y) return (x < y ? -1 : 1) * sign;
        return b.doc_count - a.doc_count || (a.key < b.key ? -1 : 1);
      })
      .slice(0, size);
    out[name] = { doc_count_error_upper_bound: 0, sum_other_doc_count: 0, buckets };
  }
  return out;
}
