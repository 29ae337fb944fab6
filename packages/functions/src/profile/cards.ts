import { Cards } from "@asyncsns/core/card";
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { DynamoDBRecord, DynamoDBStreamHandler } from "aws-lambda";

const processor = new BatchProcessor(EventType.DynamoDBStreams);

async function record(record: DynamoDBRecord) {
  const change = Cards.changeOf(record);
  if (change) await Cards.spread(change.userId, change.card);
}

// In order, so two quick renames end with the last.
export const handler: DynamoDBStreamHandler = (event, context) =>
  processPartialResponse(event, record, processor, { context, processInParallel: false });
