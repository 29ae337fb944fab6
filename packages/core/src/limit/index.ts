export * as Limit from "./index";

import { useUserId } from "../actor";
import { conditionally } from "../dynamo";
import { transact } from "../dynamo/service";
import { RateLimited, VisibleError } from "../error";
import { isSuspended } from "../user/read";
import { table } from "./config";
import { LimitEntity } from "./limit.entity";
import type { Action, Rule } from "./rules";
import { costOf, expireAt, humanWait, retryAfter, ruleName, windowOf } from "./window";

export { configure, table } from "./config";
export { LimitEntity } from "./limit.entity";
export { ACTIONS, type Action, DEFAULT_LIMITS, type Rule, scaled, type Table } from "./rules";
export { humanWait, retryAfter, windowOf } from "./window";

const DOING: Record<Action, string> = {
  post: "posting",
  message: "sending messages",
  upload: "uploading",
  follow: "following and unfollowing",
  room: "creating rooms",
  callInvite: "calling",
  notification: "changing notification settings",
  report: "reporting",
};

function limited(action: Action, seconds: number) {
  return new RateLimited(
    action,
    seconds,
    `You're ${DOING[action]} too fast — try again in ${humanWait(seconds)}.`,
  );
}

function update(userId: string, action: Action, rule: Rule, now: number, cost: number) {
  return {
    key: { userId, action, rule: ruleName(rule), window: windowOf(now, rule.seconds) },
    cost,
    ceiling: rule.max - cost,
    expireAt: expireAt(now, rule.seconds),
  };
}

/**
 * Counts one `action` of the caller against every rule of it, or throws RateLimited (429) and counts nothing.
 * Check and count are one conditional write (a transaction when the action has several rules), so
 * concurrent requests can never pass the limit together. `bytes` is what a bytes rule counts (uploads).
 */
export async function consume(action: Action, options: { bytes?: number; now?: number } = {}) {
  const userId = useUserId();
  // Every counted write passes here: a suspended user's access token, valid until it expires (up to an hour), writes
  // nothing more. Read alongside the count, so it adds no wait.
  const [suspended, counted] = await Promise.allSettled([
    isSuspended(userId),
    count(userId, action, options),
  ]);
  if (suspended.status === "rejected") throw suspended.reason;
  if (suspended.value)
    throw new VisibleError(
      "forbidden",
      "user.suspended",
      "Your account is suspended: you cannot post, message, follow or call.",
    );
  if (counted.status === "rejected") throw counted.reason;
}

async function count(userId: string, action: Action, options: { bytes?: number; now?: number }) {
  const now = options.now ?? Date.now();
  const rules = table()[action] ?? [];
  const writes = rules.map((rule) => ({
    rule,
    ...update(userId, action, rule, now, costOf(rule, options.bytes ?? 0)),
  }));
  const wait = (failed: typeof writes) => Math.max(...failed.map((w) => retryAfter(now, w.rule.seconds)));
  if (writes.length === 0) return;
  // More than a whole window holds (e.g. one file over the daily bytes) can never pass: say so without writing.
  if (writes.some((w) => w.ceiling < 0)) throw limited(action, wait(writes.filter((w) => w.ceiling < 0)));
  if (writes.length === 1) {
    const [w] = writes as [(typeof writes)[number]];
    const ok = await conditionally(
      LimitEntity.update(w.key)
        .add({ used: w.cost })
        .set({ expireAt: w.expireAt })
        .where((a, op) => `${op.notExists(a.used)} OR ${op.lte(a.used, w.ceiling)}`)
        .go(),
    );
    if (!ok) throw limited(action, wait(writes));
    return;
  }
  const outcome = await transact(({ limit }) =>
    Object.fromEntries(
      writes.map((w, i) => [
        `rule${i}`,
        limit
          .update(w.key)
          .add({ used: w.cost })
          .set({ expireAt: w.expireAt })
          .where((a, op) => `${op.notExists(a.used)} OR ${op.lte(a.used, w.ceiling)}`)
          .commit(),
      ]),
    ),
  );
  if (outcome.ok) return;
  // No named failure means the caller's own requests kept colliding: that is going too fast as well.
  const failed = writes.filter((_, i) => (outcome.failed as string[]).includes(`rule${i}`));
  throw limited(action, wait(failed.length ? failed : writes));
}
