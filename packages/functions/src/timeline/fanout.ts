import { Fanout } from "@asyncsns/core/timeline/fanout";
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { DynamoDBRecord, DynamoDBStreamHandler } from "aws-lambda";
import { Resource } from "sst";

const processor = new BatchProcessor(EventType.DynamoDBStreams);

async function record(record: DynamoDBRecord) {
  const change = Fanout.changeOf(record);
  if (change)
    await Fanout.apply(
      change,
      Number(Resource.Timeline.fanoutThreshold),
      Number(Resource.Timeline.followersPage),
    );
}

// Fan-out subscriber: record by record, in stream order (a follow then unfollow must apply in that order).
export const handler: DynamoDBStreamHandler = (event, context) =>
  processPartialResponse(event, record, processor, { context, processInParallel: false });
