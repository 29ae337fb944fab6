import { Timeline } from "@asyncsns/core/timeline";
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { DynamoDBRecord, DynamoDBStreamHandler } from "aws-lambda";

const processor = new BatchProcessor(EventType.DynamoDBStreams);

async function record(record: DynamoDBRecord) {
  const change = Timeline.changeOf(record);
  if (change) await Timeline.apply(change);
}

// Fan-out subscriber: record by record, in stream order (a follow then unfollow must apply in that order).
export const handler: DynamoDBStreamHandler = (event, context) =>
  processPartialResponse(event, record, processor, { context, processInParallel: false });
