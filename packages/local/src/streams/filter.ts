// Lambda event-filtering patterns (the EventBridge pattern syntax Lambda applies to each record).
import { inNumericRange } from "../filters/numeric";

type Pattern = Record<string, unknown>;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function matchNumeric(value: unknown, spec: unknown[]): boolean {
  const n =
    typeof value === "number"
      ? value
      : typeof value === "string" && value.trim() !== ""
        ? Number(value)
        : Number.NaN;
  return !Number.isNaN(n) && inNumericRange(n, spec);
}

function wildcard(value: string, pattern: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split("*")
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
  );
  return re.test(value);
}

/** One matcher from a pattern's array against one (non-array) value. */
function matchOne(value: unknown, present: boolean, m: unknown): boolean {
  if (!isPlainObject(m)) return present && value === m;
  if ("exists" in m) return m.exists ? present : !present;
  if (!present) return false;
  if ("prefix" in m) {
    const p = m.prefix;
    if (isPlainObject(p) && "equals-ignore-case" in p) {
      return (
        typeof value === "string" &&
        value.toLowerCase().startsWith(String(p["equals-ignore-case"]).toLowerCase())
      );
    }
    return typeof value === "string" && value.startsWith(String(p));
  }
  if ("suffix" in m) return typeof value === "string" && value.endsWith(String(m.suffix));
  if ("equals-ignore-case" in m) {
    return typeof value === "string" && value.toLowerCase() === String(m["equals-ignore-case"]).toLowerCase();
  }
  if ("wildcard" in m) return typeof value === "string" && wildcard(value, String(m.wildcard));
  if ("numeric" in m) return matchNumeric(value, m.numeric as unknown[]);
  if ("anything-but" in m) {
    const ab = m["anything-but"];
    if (isPlainObject(ab) && "prefix" in ab)
      return !(typeof value === "string" && value.startsWith(String(ab.prefix)));
    if (isPlainObject(ab) && "suffix" in ab)
      return !(typeof value === "string" && value.endsWith(String(ab.suffix)));
    const list = Array.isArray(ab) ? ab : [ab];
    return !list.includes(value as never);
  }
  return false;
}

function matchField(value: unknown, present: boolean, matchers: unknown[]): boolean {
  // An array in the record matches when any element matches.
  if (Array.isArray(value)) {
    if (matchers.some((m) => isPlainObject(m) && "exists" in m))
      return matchers.some((m) => matchOne(value, true, m));
    return value.some((v) => matchers.some((m) => matchOne(v, true, m)));
  }
  return matchers.some((m) => matchOne(value, present, m));
}

export function matchesPattern(record: unknown, pattern: Pattern): boolean {
  for (const [key, spec] of Object.entries(pattern)) {
    const obj = isPlainObject(record) ? record : undefined;
    const present = obj !== undefined && key in obj && obj[key] !== undefined;
    const value = obj?.[key];
    if (Array.isArray(spec)) {
      if (!matchField(value, present, spec)) return false;
    } else if (isPlainObject(spec)) {
      if (!present || !matchesPattern(value, spec)) {
        // {exists: false} nested under a missing object still matches.
        if (present || !allExistsFalse(spec)) return false;
      }
    } else return false;
  }
  return true;
}

function allExistsFalse(spec: Pattern): boolean {
  return Object.values(spec).every((v) =>
    Array.isArray(v)
      ? v.every((m) => isPlainObject(m) && m.exists === false)
      : isPlainObject(v) && allExistsFalse(v),
  );
}

/** Filters are ORed; no filters lets everything through. */
export function passesFilters(record: unknown, filters: unknown[]): boolean {
  if (filters.length === 0) return true;
  return filters.some((f) => matchesPattern(record, (typeof f === "string" ? JSON.parse(f) : f) as Pattern));
}
