import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { Logger } from "@aws-lambda-powertools/logger";
import type { DynamoDBRecord, DynamoDBStreamHandler } from "aws-lambda";
import { notify } from "../notification/route";
import { cards } from "../profile/cards";
import { indexer } from "../search/indexer";
import { fanout } from "../timeline/fanout";
import type { StreamRoute } from "./route";

/** Every reader of the table stream; a new domain adds its route here. */
export const routes: StreamRoute[] = [fanout, cards, indexer, notify];

const logger = new Logger();

/** Runs every route that wants the record; the record fails if any of them fails. */
export async function dispatch(record: DynamoDBRecord, to: readonly StreamRoute[] = routes): Promise<void> {
  const wanted = to.filter((route) => route.wants(record));
  // The record's id is the correlation id of everything derived from it (notification event ids start with it);
  // the item's key leads back to the request that wrote it.
  logger.debug("stream record", {
    correlationId: record.eventID,
    eventName: record.eventName,
    keys: { pk: record.dynamodb?.Keys?.pk?.S, sk: record.dynamodb?.Keys?.sk?.S },
    routes: wanted.map((route) => route.name),
  });
  const results = await Promise.allSettled(wanted.map((route) => route.handle(record)));
  const failed = results.flatMap((r, i) => (r.status === "rejected" ? [{ route: wanted[i]!, r }] : []));
  if (failed.length === 0) return;
  const reasons = failed.map(({ route, r }) => `${route.name}: ${(r.reason as Error)?.message ?? r.reason}`);
  throw new AggregateError(
    failed.map(({ r }) => r.reason),
    `stream record ${record.dynamodb?.SequenceNumber} failed in ${reasons.join("; ")}`,
  );
}

const processor = new BatchProcessor(EventType.DynamoDBStreams);

// The one subscriber of the table stream (DynamoDB Streams allows two readers per shard); in order, so a follow then unfollow apply in that order.
export const handler: DynamoDBStreamHandler = (event, context) =>
  processPartialResponse(event, (record: DynamoDBRecord) => dispatch(record), processor, {
    context,
    processInParallel: false,
  });
