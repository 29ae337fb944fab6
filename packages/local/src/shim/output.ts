// Pulumi Outputs as tokens inside strings, so apply/interpolate/JSON work and record as {$ref, attribute}.
import { isRef, isTemplate, type Ref, type Value } from "../topology";

const TOKEN = /\{\{ref:([^{}|]+)\|([^{}|]+)\}\}/g;

export function refToken(resource: string, attribute: string): string {
  return `{{ref:${resource}|${attribute}}}`;
}

/** Marks objects recorded as components so serialisation can name them instead of walking them. */
export const COMPONENT = Symbol.for("asyncsns.shim.component");

export interface ComponentLike {
  [COMPONENT]: { name: string; type: string };
}

export function isComponent(v: unknown): v is ComponentLike {
  return typeof v === "object" && v !== null && COMPONENT in v;
}

export class Out<T = unknown> {
  readonly __isOut = true;
  /** Set on a deferred output: what it waits for, so an apply on it waits too instead of seeing the token. */
  pending?: PromiseLike<unknown>;
  constructor(readonly value: T) {}
  apply<U>(fn: (value: T) => U): Out<unknown> {
    if (this.pending) return deferred(this.pending.then((v) => fn(unwrap(v) as T)));
    return output(fn(this.value));
  }
}

// Recording cannot await `$output(promise)` (a resource made later): a token stands in until it settles.
const DEFERRED = "$deferred";
let deferredCount = 0;
const settled = new Map<string, unknown>();

function deferred(promise: PromiseLike<unknown>): Out<unknown> {
  const id = String(deferredCount++);
  promise.then((value) => settled.set(id, value));
  const out = output(refToken(DEFERRED, id));
  out.pending = promise;
  return out;
}

const isThenable = (v: unknown): v is PromiseLike<unknown> =>
  typeof v === "object" && v !== null && typeof (v as { then?: unknown }).then === "function";

/** Pulumi lifts properties (`aws.getRegionOutput().name`); a proxy does the same here. */
export function output<T>(value: T): Out<unknown> {
  if (value instanceof Out) return value;
  if (isThenable(value)) return deferred(value);
  const out = new Out(unwrap(value));
  return new Proxy(out, {
    get(target, prop, receiver) {
      if (prop in target || typeof prop === "symbol") return Reflect.get(target, prop, receiver);
      if (prop === "then") return undefined;
      const inner = target.value as Record<string, unknown> | null | undefined;
      return output(inner?.[prop]);
    },
  });
}

export function isOut(v: unknown): v is Out {
  return v instanceof Out;
}

/** Deep-unwraps Outs (components stay as they are) so user callbacks see plain values. */
// biome-ignore lint/suspicious/noExplicitAny: recorded args are untyped user input
export function unwrap(v: unknown): any {
  if (v instanceof Out) return unwrap(v.value);
  if (v === null || typeof v !== "object" || isComponent(v)) return v;
  if (Array.isArray(v)) return v.map(unwrap);
  if (Object.getPrototypeOf(v) !== Object.prototype) return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrap(x)]));
}

export function interpolate(strings: TemplateStringsArray, ...values: unknown[]): Out<unknown> {
  let text = strings[0] ?? "";
  values.forEach((value, i) => {
    text += String(unwrap(value)) + (strings[i + 1] ?? "");
  });
  return output(text);
}

export function concat(...parts: unknown[]): Out<unknown> {
  return output(parts.map((p) => String(unwrap(p))).join(""));
}

export function jsonStringify(value: unknown, replacer?: never, space?: string | number): Out<unknown> {
  return output(JSON.stringify(toPlainJson(unwrap(value)), replacer, space));
}

export function jsonParse(text: unknown): Out<unknown> {
  return output(JSON.parse(String(unwrap(text))));
}

function toPlainJson(v: unknown): unknown {
  if (isComponent(v)) return refToken(v[COMPONENT].name, "$component");
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(toPlainJson);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toPlainJson(x)]));
}

/** A string that is exactly one token, as a Ref; otherwise undefined. */
export function parseRef(v: unknown): Ref | undefined {
  const s = unwrap(v);
  if (typeof s !== "string") return undefined;
  const m = /^\{\{ref:([^{}|]+)\|([^{}|]+)\}\}$/.exec(s);
  return m ? { $ref: m[1]!, attribute: m[2]! } : undefined;
}

function serializeString(s: string): Value {
  const parts: (string | Ref)[] = [];
  let last = 0;
  for (const m of s.matchAll(TOKEN)) {
    if (m.index > last) parts.push(s.slice(last, m.index));
    parts.push({ $ref: m[1]!, attribute: m[2]! });
    last = m.index + m[0].length;
  }
  if (parts.length === 0) return s;
  if (last < s.length) parts.push(s.slice(last));
  if (parts.length === 1 && typeof parts[0] !== "string") return parts[0]!;
  return { $template: parts };
}

/** Turns recorded args into JSON: tokens become refs, components their names, callbacks a marker. */
export function serialize(v: unknown): Value {
  if (v instanceof Out) return serialize(v.value);
  if (isComponent(v)) return { $ref: v[COMPONENT].name, attribute: "$component" };
  if (v === undefined || v === null) return null;
  if (typeof v === "string") return serializeString(v);
  if (typeof v === "number" || typeof v === "boolean") return v;
  if (typeof v === "function") return "[function]";
  if (Array.isArray(v)) return v.map(serialize);
  if (typeof v === "object") {
    const out: Record<string, Value> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = serialize(x);
    return out;
  }
  return String(v);
}

/** Replaces deferred tokens in recorded values with what their promises resolved to (once they have). */
export function settleDeferred<V extends Value>(v: V): V {
  const settle = (x: Value): Value => {
    if (x === null || typeof x !== "object") return x;
    if (Array.isArray(x)) return x.map(settle);
    if (isRef(x))
      return x.$ref === DEFERRED && settled.has(x.attribute)
        ? settle(serialize(settled.get(x.attribute)))
        : x;
    if (isTemplate(x))
      return {
        $template: x.$template.flatMap((part): (string | Ref)[] => {
          const s = settle(part);
          return isTemplate(s) ? s.$template : isRef(s) ? [s] : [String(s)];
        }),
      };
    return Object.fromEntries(Object.entries(x).map(([k, y]) => [k, settle(y)]));
  };
  return settle(v) as V;
}
