// An index's mappings as OpenSearch reads them: which fields are exact values, which are text, which are numbers.
import { EngineError } from "./errors";

/** A field's mapping as sent: its `type`, object `properties`, multi-field `fields`. */
interface Spec {
  type?: unknown;
  properties?: Record<string, Spec>;
  fields?: Record<string, Spec>;
}

/** How a field matches: keyword and boolean values whole, text by substrings and words, numbers by range. */
export type FieldKind = "keyword" | "text" | "number" | "date" | "boolean" | "other";

export interface Field {
  kind: FieldKind;
  /** The document property that holds the value (a multi-field like `title.raw` reads `title`). */
  source: string;
}

const NUMBER_TYPES = new Set([
  "long",
  "integer",
  "short",
  "byte",
  "double",
  "float",
  "half_float",
  "scaled_float",
  "unsigned_long",
]);

function kindOf(type: unknown): FieldKind {
  if (type === "keyword" || type === "constant_keyword" || type === "wildcard") return "keyword";
  if (type === "text" || type === "match_only_text") return "text";
  if (type === "boolean") return "boolean";
  if (type === "date" || type === "date_nanos") return "date";
  if (typeof type === "string" && NUMBER_TYPES.has(type)) return "number";
  return "other";
}

export class Mapping {
  private readonly fields = new Map<string, Field>();
  private readonly dynamic: "strict" | boolean;
  /** First date, else numeric field: ordinals keep its order so newest-first pages stop early. */
  readonly order: string | undefined;

  constructor(definition: { mappings?: { dynamic?: unknown; properties?: Record<string, Spec> } }) {
    const mappings = definition.mappings ?? {};
    const d = mappings.dynamic;
    this.dynamic = d === "strict" ? "strict" : !(d === false || d === "false");
    for (const [name, spec] of Object.entries(mappings.properties ?? {})) this.declare(name, spec);
    const declared = [...this.fields].filter(([path, f]) => path === f.source);
    this.order =
      declared.find(([, f]) => f.kind === "date")?.[0] ?? declared.find(([, f]) => f.kind === "number")?.[0];
  }

  private declare(name: string, spec: Spec) {
    this.fields.set(name, {
      kind: kindOf(spec.type ?? (spec.properties ? "object" : undefined)),
      source: name,
    });
    for (const [sub, subSpec] of Object.entries(spec.fields ?? {}))
      this.fields.set(`${name}.${sub}`, { kind: kindOf(subSpec.type), source: name });
  }

  field(path: string): Field | undefined {
    return this.fields.get(path);
  }

  /** Every mapped field of a kind, multi-fields included. */
  paths(kind: FieldKind): string[] {
    return [...this.fields].filter(([, f]) => f.kind === kind).map(([path]) => path);
  }

  /** Text properties: the values grams are kept for. */
  textSources(): string[] {
    return [...new Set(this.paths("text").map((p) => this.fields.get(p)!.source))];
  }

  /** Maps a document's new fields as dynamic mapping would (strict refuses them); true if any was added. */
  admit(source: Record<string, unknown>): boolean {
    let added = false;
    for (const [name, value] of Object.entries(source)) {
      if (this.fields.has(name) || value === null || value === undefined) continue;
      if (this.dynamic === "strict")
        throw new EngineError(
          400,
          "strict_dynamic_mapping_exception",
          `mapping set to strict, dynamic introduction of [${name}] within [_doc] is not allowed`,
        );
      if (!this.dynamic) continue;
      const sample = Array.isArray(value) ? value.find((v) => v !== null && v !== undefined) : value;
      if (sample === undefined) continue;
      if (typeof sample === "string")
        this.declare(name, { type: "text", fields: { keyword: { type: "keyword" } } });
      else if (typeof sample === "number")
        this.declare(name, { type: Number.isInteger(sample) ? "long" : "float" });
      else if (typeof sample === "boolean") this.declare(name, { type: "boolean" });
      else this.declare(name, { type: "object" });
      added = true;
    }
    return added;
  }
}
