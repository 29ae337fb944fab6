// SNS subscription filter policies, on message attributes (the default scope) or on a JSON message body.
import { inNumericRange } from "../filters/numeric";
import type { MessageAttributeValue } from "./queue-store";

type Policy = Record<string, unknown>;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** One value against one condition of a policy's array (a literal or an operator object). */
function conditionMatches(value: string | number | boolean | null, condition: unknown): boolean {
  if (!isObject(condition)) {
    if (typeof condition === "number")
      return typeof value === "number" ? value === condition : Number(value) === condition;
    return value === condition;
  }
  if ("prefix" in condition) return typeof value === "string" && value.startsWith(String(condition.prefix));
  if ("suffix" in condition) return typeof value === "string" && value.endsWith(String(condition.suffix));
  if ("equals-ignore-case" in condition)
    return (
      typeof value === "string" &&
      value.toLowerCase() === String(condition["equals-ignore-case"]).toLowerCase()
    );
  if ("numeric" in condition) {
    const n = typeof value === "number" ? value : Number(value);
    return (
      value !== null && value !== "" && !Number.isNaN(n) && inNumericRange(n, condition.numeric as unknown[])
    );
  }
  if ("anything-but" in condition) {
    const but = condition["anything-but"];
    if (isObject(but)) return !conditionMatches(value, but);
    const list = Array.isArray(but) ? but : [but];
    return !list.some((c) => conditionMatches(value, c));
  }
  return false;
}

/** A key's conditions against the values found for it (undefined: the key is absent). */
function keyMatches(values: (string | number | boolean | null)[] | undefined, conditions: unknown): boolean {
  const list = Array.isArray(conditions) ? conditions : [conditions];
  return list.some((c) => {
    if (isObject(c) && "exists" in c) return c.exists ? values !== undefined : values === undefined;
    if (values === undefined) return false;
    return values.some((v) => conditionMatches(v, c));
  });
}

/** Values of a message attribute as SNS compares them: String.Array elements, numbers for Number types. */
function attributeValues(
  a: MessageAttributeValue | undefined,
): (string | number | boolean | null)[] | undefined {
  if (!a) return undefined;
  if (a.DataType.startsWith("Binary")) return undefined;
  const raw = a.StringValue ?? "";
  if (a.DataType.startsWith("String.Array")) {
    try {
      const parsed = JSON.parse(raw);
      if (Array.isArray(parsed)) return parsed;
    } catch {}
    return undefined;
  }
  if (a.DataType.startsWith("Number")) return [Number(raw)];
  return [raw];
}

function matchAttributes(policy: Policy, attrs: Record<string, MessageAttributeValue>): boolean {
  return Object.entries(policy).every(([key, conditions]) => {
    if (key === "$or") return (conditions as Policy[]).some((p) => matchAttributes(p, attrs));
    return keyMatches(attributeValues(attrs[key]), conditions);
  });
}

function matchBody(policy: Policy, body: unknown): boolean {
  return Object.entries(policy).every(([key, conditions]) => {
    if (key === "$or") return (conditions as Policy[]).some((p) => matchBody(p, body));
    const value = isObject(body) ? body[key] : undefined;
    if (isObject(conditions)) return matchBody(conditions as Policy, value);
    if (value === undefined) return keyMatches(undefined, conditions);
    const values = Array.isArray(value) ? value : [value];
    if (values.some((v) => isObject(v) || Array.isArray(v))) return false;
    return keyMatches(values as (string | number | boolean | null)[], conditions);
  });
}

export function passesFilterPolicy(
  policy: unknown,
  scope: "MessageAttributes" | "MessageBody" | undefined,
  message: { body: string; attributes: Record<string, MessageAttributeValue> },
): boolean {
  if (!isObject(policy) || Object.keys(policy).length === 0) return true;
  if (scope === "MessageBody") {
    let body: unknown;
    try {
      body = JSON.parse(message.body);
    } catch {
      return false;
    }
    return matchBody(policy, body);
  }
  return matchAttributes(policy, message.attributes);
}
