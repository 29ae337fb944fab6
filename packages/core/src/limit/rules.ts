// The one table of per-user limits: generous for a heavy human, tight for a script. Dependency-free for infra.

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const GB = 1024 * 1024 * 1024;

/** One fixed window: at most `max` units (requests, or bytes when `unit` is "bytes") per `seconds`. */
export interface Rule {
  seconds: number;
  max: number;
  unit?: "bytes";
}

export const ACTIONS = [
  "post",
  "message",
  "upload",
  "follow",
  "room",
  "callInvite",
  "notification",
  "report",
] as const;
export type Action = (typeof ACTIONS)[number];

export type Table = Record<Action, Rule[]>;

export const DEFAULT_LIMITS: Table = {
  // Replies count as posts.
  post: [
    { seconds: 10 * MINUTE, max: 30 },
    { seconds: DAY, max: 300 },
  ],
  message: [{ seconds: MINUTE, max: 60 }],
  upload: [
    { seconds: DAY, max: 100 },
    { seconds: DAY, max: GB, unit: "bytes" },
  ],
  // Follows and unfollows share one budget, so toggling is limited too.
  follow: [{ seconds: 10 * MINUTE, max: 60 }],
  room: [{ seconds: HOUR, max: 30 }],
  callInvite: [{ seconds: 10 * MINUTE, max: 20 }],
  // Read marks, preference changes and push (un)registrations: a person clicking through their list stays far below.
  notification: [{ seconds: MINUTE, max: 120 }],
  // Reports reach people (moderators): a script cannot bury the queue.
  report: [
    { seconds: HOUR, max: 20 },
    { seconds: DAY, max: 100 },
  ],
};

/** The table with every `max` multiplied (suites that post a lot raise it; never below 1). */
export function scaled(table: Table, factor: number): Table {
  return Object.fromEntries(
    Object.entries(table).map(([action, rules]) => [
      action,
      rules.map((rule) => ({ ...rule, max: Math.max(1, Math.round(rule.max * factor)) })),
    ]),
  ) as Table;
}
