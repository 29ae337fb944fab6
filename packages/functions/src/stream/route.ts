import type { DynamoDBRecord } from "aws-lambda";
import { matchesAny, type StreamRouteName, streamFilters } from "./filters";

/** One domain's share of the table stream: the records it wants and what it does with one. */
export interface StreamRoute {
  name: StreamRouteName;
  wants(record: DynamoDBRecord): boolean;
  /** Must be idempotent: a record is retried whole when any route fails it, so a done route sees it again. */
  handle(record: DynamoDBRecord): Promise<void>;
}

/** A route wants exactly what its filters let through, so code and the mapping's filters cannot drift. */
export function streamRoute(name: StreamRouteName, handle: StreamRoute["handle"]): StreamRoute {
  return { name, wants: (record) => matchesAny(record, streamFilters[name]), handle };
}
