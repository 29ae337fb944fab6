import type { Rule } from "./rules";

// Fixed windows aligned to the epoch: every counter of a window expires together, and keys need no clock sync.

/** Which window `now` (ms) falls in. */
export const windowOf = (now: number, seconds: number) => Math.floor(now / (seconds * 1000));

/** When that window ends, in ms. */
export const windowEnd = (window: number, seconds: number) => (window + 1) * seconds * 1000;

/** Whole seconds until the window holding `now` ends; at least 1, as a Retry-After header wants. */
export const retryAfter = (now: number, seconds: number) =>
  Math.max(1, Math.ceil((windowEnd(windowOf(now, seconds), seconds) - now) / 1000));

/** DynamoDB TTL (epoch seconds): a little after the window ends, so a late read still sees the count. */
export const expireAt = (now: number, seconds: number) =>
  Math.ceil(windowEnd(windowOf(now, seconds), seconds) / 1000) + 60;

/** What one request costs against a rule. */
export const costOf = (rule: Rule, bytes: number) => (rule.unit === "bytes" ? bytes : 1);

/** A rule's stable name within its action, part of the counter's key. */
export const ruleName = (rule: Rule) => `${rule.unit ?? "count"}-${rule.seconds}s`;

/** A human duration for "try again in …": seconds under a minute, minutes under two hours, else hours. */
export function humanWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 120) return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  const hours = Math.ceil(seconds / 3600);
  return `${hours} hours`;
}
