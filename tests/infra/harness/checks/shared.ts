// What every check reports, and reading the IAM policy documents several of them inspect.
import type { Statement } from "../graph";

export interface Problem {
  check: string;
  subject: string;
  message: string;
}

export const problem = (check: string, subject: string, message: string): Problem => ({
  check,
  subject,
  message,
});
export const s = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

export function parsePolicy(doc: unknown): Statement[] {
  if (!doc) return [];
  const parsed = (typeof doc === "string" ? JSON.parse(doc) : doc) as { Statement?: Statement | Statement[] };
  const list = parsed.Statement ?? [];
  return Array.isArray(list) ? list : [list];
}
