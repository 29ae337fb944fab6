import { Indexer } from "@asyncsns/core/search/indexer";
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { DynamoDBRecord, DynamoDBStreamHandler } from "aws-lambda";

const processor = new BatchProcessor(EventType.DynamoDBStreams);

async function record(record: DynamoDBRecord) {
  const change = Indexer.changeOf(record);
  if (change) await Indexer.apply(change);
}

// Search indexer: record by record; each write is idempotent by item id and ordered by the item's version.
export const handler: DynamoDBStreamHandler = (event, context) =>
  processPartialResponse(event, record, processor, { context, processInParallel: false });
