import { streamKeys } from "../../../core/src/timeline/stream-keys";

// Dependency-free so infra builds the event source mapping's filters from the same data the dispatcher routes by.

/** A Lambda event filter pattern (the subset the routes use: exact strings, `prefix`, nested objects). */
export type StreamFilter = { [field: string]: StreamFilter | (string | { prefix: string })[] };

export type StreamRouteName = "fanout" | "cards" | "search" | "notify";

/** What each route wants of the table stream; infra/timeline.ts ORs them into the one mapping's filters. */
export const streamFilters: Record<StreamRouteName, StreamFilter[]> = {
  fanout: [
    { dynamodb: { Keys: { pk: { S: [{ prefix: streamKeys.profileEntryPk }] } } } },
    { dynamodb: { Keys: { sk: { S: [{ prefix: streamKeys.followSk }] } } } },
  ],
  cards: [{ eventName: ["MODIFY"], dynamodb: { Keys: { sk: { S: [streamKeys.userSk] } } } }],
  search: [{ dynamodb: { Keys: { sk: { S: [streamKeys.postSk, streamKeys.userSk] } } } }],
  // One pattern, its values ORed: Lambda allows 5 filters per event source mapping and the others use 4.
  notify: [
    {
      dynamodb: {
        Keys: {
          sk: {
            S: [
              { prefix: streamKeys.followSk },
              { prefix: streamKeys.likeSk },
              { prefix: streamKeys.repostSk },
              { prefix: streamKeys.messageSk },
              streamKeys.postSk,
              streamKeys.callSk,
              { prefix: streamKeys.modAuditSk },
            ],
          },
        },
      },
    },
  ],
};

/** The mapping's filters: every route's patterns, each once (Lambda keeps a record that matches any). */
export function unionOf(filters: StreamFilter[][]): StreamFilter[] {
  const seen = new Map<string, StreamFilter>();
  for (const f of filters.flat()) seen.set(JSON.stringify(f), f);
  return [...seen.values()];
}

function matchesPattern(value: unknown, pattern: StreamFilter): boolean {
  if (typeof value !== "object" || value === null) return false;
  const fields = value as Record<string, unknown>;
  return Object.entries(pattern).every(([field, want]) => {
    const got = fields[field];
    if (!Array.isArray(want)) return matchesPattern(got, want);
    return want.some((w) =>
      typeof w === "string" ? got === w : typeof got === "string" && got.startsWith(w.prefix),
    );
  });
}

/** Lambda's filter semantics for these patterns: a record is kept if any one pattern matches it. */
export function matchesAny(record: unknown, filters: readonly StreamFilter[]): boolean {
  return filters.some((f) => matchesPattern(record, f));
}
