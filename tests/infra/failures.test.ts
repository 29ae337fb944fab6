// One reader on the table stream, and every asynchronous trigger keeps what it gives up on.
import { describe, expect, it } from "vitest";
import { type StreamFilter, streamFilters, unionOf } from "../../packages/functions/src/stream/filters";
import { T } from "./harness/graph";
import {
  appGraph,
  checkAsyncFailureDestinations,
  checkFailureAlarms,
  checkStreamFailureDestinations,
  checkStreamReaders,
  failureQueues,
} from "./harness/index";

/** What the three subscribers (Fanout, Cards, Search) each received before the dispatcher replaced them. */
const BEFORE_DISPATCH: Record<string, StreamFilter[]> = {
  fanout: [
    { dynamodb: { Keys: { pk: { S: [{ prefix: "$asyncsns#feed_user#" }] } } } },
    { dynamodb: { Keys: { sk: { S: [{ prefix: "$follow_1#" }] } } } },
  ],
  cards: [{ eventName: ["MODIFY"], dynamodb: { Keys: { sk: { S: ["$user_1"] } } } }],
  search: [{ dynamodb: { Keys: { sk: { S: ["$post_1", "$user_1"] } } } }],
};

for (const stage of ["dev-ci", "production"] as const) {
  const graph = appGraph(stage);
  const mappings = graph.findAll(T.eventSourceMapping, (i) =>
    String(i.eventSourceArn).includes(":dynamodb:"),
  );

  describe(`table stream (${stage})`, () => {
    it("DynamoDB Streams: at most two readers per shard (Amazon DynamoDB Developer Guide, Change data capture for DynamoDB Streams, https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html)", () => {
      expect(checkStreamReaders(graph)).toEqual([]);
      expect(mappings.map((m) => m.name)).toEqual(["TableSubscriberDispatchEventSourceMapping"]);
    });

    it("the dispatcher's filters cover what fan-out, cards and search each received, plus notifications'", () => {
      const patterns = (mappings[0]!.inputs.filterCriteria as { filters: { pattern: string }[] }).filters.map(
        (f) => (typeof f.pattern === "string" ? JSON.parse(f.pattern) : f.pattern),
      );
      for (const [route, filters] of Object.entries(BEFORE_DISPATCH)) {
        for (const f of filters) expect(patterns, route).toContainEqual(f);
        expect(streamFilters[route as keyof typeof streamFilters], route).toEqual(filters);
      }
      expect(patterns).toEqual(unionOf(Object.values(streamFilters)));
      expect(Object.keys(streamFilters)).toEqual([...Object.keys(BEFORE_DISPATCH), "notify"]);
      // Lambda quotas: 5 filters per event source mapping unless raised.
      expect(patterns.length).toBeLessThanOrEqual(5);
      const fn = graph.functions().find((f) => graph.eventSourceMappingsOf(f).includes(mappings[0]!));
      expect(fn?.handler).toBe("packages/functions/src/stream/dispatch.handler");
      expect(fn?.links.sort()).toEqual(["Media", "Notifications", "Realtime", "Search", "Table", "Timeline"]);
    });

    it("Lambda: stream mappings keep discarded batches (AWS Lambda Developer Guide, Retaining discarded records for a DynamoDB event source, https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html)", () => {
      expect(checkStreamFailureDestinations(graph)).toEqual([]);
    });
  });

  describe(`bucket notifications (${stage})`, () => {
    it("Lambda: async invokes keep failed events (AWS Lambda Developer Guide, Capturing records of Lambda asynchronous invocations, https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html)", () => {
      expect(checkAsyncFailureDestinations(graph)).toEqual([]);
    });
  });

  describe(`failure destinations (${stage})`, () => {
    it("each destination queue alarms on its first visible message", () => {
      expect(
        failureQueues(graph)
          .map((q) => q.name)
          .sort(),
      ).toEqual([
        "AccountDeletionDeadLettersQueue",
        "AccountExportDeadLettersQueue",
        "CallTimeoutDeadLettersQueue",
        "MediaFailuresQueue",
        "NotificationDeadLettersQueue",
        "StreamFailuresQueue",
      ]);
      expect(checkFailureAlarms(graph)).toEqual([]);
    });
  });
}
