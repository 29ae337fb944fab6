// Each check must name the precise problem, so a broken infra change cannot pass quietly.
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type CodeReads, codeReads } from "./harness/code-reads";
import {
  checkAsyncFailureDestinations,
  checkCloudFront,
  checkCqrs,
  checkDeadLetterQueues,
  checkEncryption,
  checkFailureAlarms,
  checkFunctions,
  checkHttpRoutes,
  checkLinks,
  checkPrivateBucket,
  checkQueueConsumers,
  checkQueuePolicies,
  checkRemoval,
  checkStreamFailureDestinations,
  checkStreamReaders,
  checkStreamSubscriptions,
  checkTopicSubscriptions,
  checkWebSocket,
  checkWildcards,
  type InfraGraph,
  loadGraph,
  type Problem,
  parsePolicy,
  repoRoot,
} from "./harness/index";
import { ACCOUNT_LEVEL, ALLOWED_WILDCARDS, MEDIA_READABLE, PUBLIC_ROUTES } from "./rules";

const fixture = path.join(import.meta.dirname, "fixture/sst.config.ts");
const load = (variant: string, stage = "dev-ci") => loadGraph(fixture, stage, { INFRA_FIXTURE: variant });
const messages = (problems: Problem[]) => problems.map((p) => p.message);

describe("a function that reads an unlinked resource, holds a wildcard and keeps defaults", () => {
  let graph: InfraGraph;
  beforeAll(async () => {
    graph = await load("function");
  });

  it("reports the unlinked read with the file and line that does it", async () => {
    const reads: Record<string, CodeReads> = {};
    for (const fn of graph.functions()) reads[fn.handler] = await codeReads(repoRoot, fn.handler);
    expect(messages(checkLinks(graph, reads))).toEqual([
      "Worker reads Resource.Table (tests/infra/fixture/infra/handlers/reads-table.ts:4) but does not link Table",
    ]);
  });

  it("reports the linked-but-unread resource the other way round", () => {
    const reads = { [graph.functionFor("Worker").handler]: { reads: [], where: {}, files: [] } };
    const linked = { ...graph.app, builds: graph.app.builds.map((b) => ({ ...b, links: ["Table"] })) };
    expect(messages(checkLinks(new (graph.constructor as typeof InfraGraph)(linked), reads))).toEqual([
      "Worker links Table but its code never reads Resource.Table",
    ]);
  });

  it("reports the unexplained wildcard action and resource", () => {
    expect(messages(checkWildcards(graph, ALLOWED_WILDCARDS))).toEqual([
      "Worker is granted wildcard action * with no reason in the allow-list",
      "Worker is granted wildcard resource * with no reason in the allow-list",
    ]);
  });

  it("reports missing tracing, unbounded logs and SST's default timeout and memory", () => {
    expect(messages(checkFunctions(graph))).toEqual([
      "Worker has no active X-Ray tracing",
      "Worker keeps logs forever (no retentionInDays)",
      "Worker timeout is SST's default 20 s",
      "Worker memory is SST's default 1024 MB",
    ]);
  });

  it("reports the unencrypted, unrecoverable table", () => {
    expect(messages(checkEncryption(graph))).toEqual([
      "table TableTable does not enable server-side encryption (KMS)",
    ]);
  });

  it("in production, reports the table without deletion protection", async () => {
    const production = await load("function", "production");
    expect(messages(checkRemoval(production))).toEqual([
      "TableTable has no deletion protection in production",
    ]);
    expect(production.findOne("aws:dynamodb/table:Table").retainOnDelete).toBe(true);
    // And the personal stage of the same app passes: nothing would survive its removal.
    expect(checkRemoval(graph, ACCOUNT_LEVEL)).toEqual([]);
  });
});

describe("an API with an unauthorized command, a misrouted query and an open $connect", () => {
  let graph: InfraGraph;
  beforeAll(async () => {
    graph = await load("api");
  });

  it("reports the route without its authorizer", () => {
    expect(messages(checkHttpRoutes(graph, { publicRoutes: PUBLIC_ROUTES }))).toEqual([
      "POST /api/posts has no JWT authorizer (authorizationType NONE) and is not public",
    ]);
  });

  it("reports the query served by a command Lambda", () => {
    expect(messages(checkCqrs(graph))).toEqual([
      "GET /api/posts/{id} is a query but goes to Post, not the Query Lambda",
    ]);
  });

  it("reports the $connect route without the Lambda REQUEST authorizer", () => {
    expect(messages(checkWebSocket(graph))).toEqual(["$connect has no Lambda authorizer"]);
  });

  it("reports a public route that went missing", () => {
    expect(
      messages(checkHttpRoutes(graph, { publicRoutes: [...PUBLIC_ROUTES, "GET /api/status"] })),
    ).toContain("public route GET /api/status is missing from the HTTP API");
  });
});

describe("messaging with a queue without DLQ, an unencrypted topic and all-or-nothing consumers", () => {
  let graph: InfraGraph;
  beforeAll(async () => {
    graph = await load("messaging");
  });

  it("reports the queue without a dead-letter queue", () => {
    expect(messages(checkDeadLetterQueues(graph))).toEqual(["queue JobsQueue has no dead-letter queue"]);
  });

  it("reports the topic without a KMS key", () => {
    expect(messages(checkEncryption(graph))).toContain("topic EventsTopic has no kmsMasterKeyId");
  });

  it("finds the stream and queue mappings, and reports they lack partial batch responses", () => {
    expect(messages(checkStreamSubscriptions(graph))).toEqual([
      "TableSubscriberIndexerEventSourceMapping does not report partial batch failures (ReportBatchItemFailures)",
    ]);
    expect(checkQueueConsumers(graph)).toHaveLength(1);
    expect(checkQueueConsumers(graph)[0]?.message).toMatch(
      /^JobsSubscriber\w+EventSourceMapping does not report partial batch failures/,
    );
    const indexer = graph.functionFor("TableSubscriberIndexerFunction");
    expect(graph.eventSourceMappingsOf(indexer)).toHaveLength(1);
  });

  it("accepts SST's SNS → SQS wiring, and reports its policy has no source condition", () => {
    expect(checkTopicSubscriptions(graph)).toEqual([]);
    expect(messages(checkQueuePolicies(graph))).toEqual([
      "EventsSubscriberJobsPolicy lets sns.amazonaws.com, s3.amazonaws.com, events.amazonaws.com send to JobsQueue from any account (no aws:SourceArn or aws:SourceAccount condition)",
    ]);
  });

  it("reports a subscription whose queue policy is gone", () => {
    const app = {
      ...graph.app,
      resources: graph.resources.filter((r) => r.type !== "aws:sqs/queuePolicy:QueuePolicy"),
    };
    expect(messages(checkTopicSubscriptions(new (graph.constructor as typeof InfraGraph)(app)))).toEqual([
      "no policy on queue JobsQueue lets topic EventsTopic send to it",
    ]);
  });
});

describe("a queue subscribed to the app's Notifications topic (infra/notification.ts)", () => {
  let graph: InfraGraph;
  beforeAll(async () => {
    graph = await load("subscribed");
  });

  it("gets a queue policy that lets only that topic send (aws:SourceArn), by construction", () => {
    expect(checkTopicSubscriptions(graph)).toEqual([]);
    expect(checkQueuePolicies(graph)).toEqual([]);
    expect(checkEncryption(graph)).toEqual([]);
    // infra/notification.ts brings infra/observability.ts and its Ops topic, which no queue subscribes to.
    const topic = graph.findOne("aws:sns/topic:Topic", (_i, r) => r.name === "NotificationsTopic");
    const statements = graph
      .findAll("aws:sqs/queuePolicy:QueuePolicy")
      .flatMap((p) => parsePolicy(p.inputs.policy));
    // The app's own consumer queue and the fixture's Jobs queue: each policy names only the topic.
    expect(statements.map((st) => [st.Principal, st.Condition])).toEqual(
      Array(2).fill([
        { Service: "sns.amazonaws.com" },
        { ArnEquals: { "aws:SourceArn": topic.outputs.arn } },
      ]),
    );
  });
});

describe("a public bucket behind a CloudFront without security headers", () => {
  let graph: InfraGraph;
  beforeAll(async () => {
    graph = await load("edge");
  });

  it("reports the public bucket", () => {
    expect(messages(checkPrivateBucket(graph, "Media"))).toEqual([
      "Media does not set blockPublicPolicy",
      "Media does not set restrictPublicBuckets",
      'Media policy allows {"*":["*"]}, not only CloudFront',
    ]);
  });

  it("reports the missing response headers policy, the custom domain's old TLS policy, no HTTP/3, no compression", () => {
    expect(messages(checkCloudFront(graph))).toEqual([
      "RouterCdnDistribution accepts viewers on TLSv1.2_2019, not TLSv1.2_2021 or TLSv1.2_2025 or TLSv1.3_2025",
      "RouterCdnDistribution serves http2, not HTTP/3",
      "RouterCdnDistribution default behavior does not compress",
      "RouterCdnDistribution default behavior has no response headers policy",
    ]);
  });
});

describe("buckets CloudFront may read whole, or that name another account's distribution", () => {
  let graph: InfraGraph;
  beforeAll(async () => {
    graph = await load("bucket");
  });

  it('reports SST\'s `access: "cloudfront"`: any distribution, every key', () => {
    const bucket = graph.findAll("aws:s3/bucketV2:BucketV2").find((b) => graph.componentOf(b) === "Media");
    expect(messages(checkPrivateBucket(graph, "Media", { readable: MEDIA_READABLE }))).toEqual([
      "Media policy lets any CloudFront distribution read it (no AWS:SourceArn condition naming this app's distribution)",
      `Media policy lets {"Service":["cloudfront.amazonaws.com"]} read ${bucket?.outputs.arn}/*, beyond public/*`,
    ]);
  });

  it("reports a source condition that names a distribution of another app", () => {
    expect(messages(checkPrivateBucket(graph, "Other", { readable: MEDIA_READABLE }))).toEqual([
      "Other policy lets any CloudFront distribution read it (no AWS:SourceArn condition naming this app's distribution)",
    ]);
  });
});

describe("three readers on one stream, failures dropped", () => {
  let graph: InfraGraph;
  beforeAll(async () => {
    graph = await load("streams");
  });

  it("reports the third reader of the table stream", () => {
    expect(messages(checkStreamReaders(graph))).toEqual([
      expect.stringMatching(
        /^3 event source mappings read arn:aws:dynamodb:\S+ \(TableSubscriber(One|Two|Three)EventSourceMapping, .*\); DynamoDB Streams allows 2 readers per shard$/,
      ),
    ]);
    expect(checkStreamReaders(graph, 3)).toEqual([]);
  });

  it("reports mappings without destination, bisect or bounds, and the one that may not send to its queue", () => {
    const found = messages(checkStreamFailureDestinations(graph)).sort();
    expect(found).toEqual(
      [
        "TableSubscriberOneEventSourceMapping has no on-failure destination",
        "TableSubscriberOneEventSourceMapping does not bisect a batch on function error",
        "TableSubscriberOneEventSourceMapping retries without bound (undefined)",
        "TableSubscriberOneEventSourceMapping maximumRecordAgeInSeconds is undefined, not 60..86399",
        "TableSubscriberTwoEventSourceMapping has no on-failure destination",
        "TableSubscriberTwoEventSourceMapping does not bisect a batch on function error",
        "TableSubscriberTwoEventSourceMapping retries without bound (undefined)",
        "TableSubscriberTwoEventSourceMapping maximumRecordAgeInSeconds is undefined, not 60..86399",
        "TableSubscriberThreeFunction may not sqs:SendMessage to FailuresQueue, its on-failure destination",
        "TableSubscriberThreeEventSourceMapping retries without bound (undefined)",
        "TableSubscriberThreeEventSourceMapping maximumRecordAgeInSeconds is undefined, not 60..86399",
      ].sort(),
    );
    expect(messages(checkFailureAlarms(graph))).toEqual([
      "no alarm on the depth of FailuresQueue (a failure destination)",
    ]);
  });

  it("reports the bucket notification function without an event invoke config", () => {
    expect(messages(checkAsyncFailureDestinations(graph))).toEqual([
      "UploadsNotificationsNotificationThumbs (notified by UploadsNotificationsNotification) has no event invoke config",
    ]);
  });
});
