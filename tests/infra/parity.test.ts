// What the local shim runs must be what SST deploys, or local tests prove nothing about the cloud.
import { beforeAll, describe, expect, it } from "vitest";
import { loadTopology } from "../../packages/local/src/shim/index";
import type { Topology, Value } from "../../packages/local/src/topology";
import { appConfig, appGraph, T } from "./harness/index";

const graph = appGraph("dev-ci");
let topology: Topology;

beforeAll(async () => {
  topology = await loadTopology(appConfig, "dev-ci");
});

/**
 * SST names a queue's subscriber by a hash of the deployed queue ARN, which differs per account and stage; the
 * shim hashes the logical name. Compared without the hash, so every other difference still shows.
 */
const canon = (name: string) =>
  name.replace(/^(\w+?)Subscriber[A-Z][a-z]{5}(Function)?$/, (m, queue, fn) =>
    topology.resources.some((r) => r.type === "sst.aws.Queue" && r.name === queue)
      ? `${queue}Subscriber<arn-hash>${fn ?? ""}`
      : m,
  );

const sorted = <V>(entries: [string, V][]) =>
  Object.fromEntries(
    [...entries].map(([k, v]) => [canon(k), v] as [string, V]).sort(([a], [b]) => a.localeCompare(b)),
  );

/** Pulumi registers resources as their inputs resolve, in no fixed order: lists are compared as sets. */
const inOneOrder = <T>(items: T[]) =>
  [...items].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

const fnName = (ref: unknown) => graph.functionByLambdaRef(ref)?.logicalName;
/** A Ref or a logical name, as the shim records a component given where a name/ARN is expected. */
const refName = (v: Value | string | undefined) =>
  v && typeof v === "object" && "$ref" in v ? v.$ref : (v as string | undefined);

describe("local topology = mocked deploy graph", () => {
  it("same functions, by name and handler", () => {
    expect(sorted(topology.functions.map((f) => [f.name, f.handler]))).toEqual(
      sorted(graph.functions().map((f) => [f.logicalName, f.handler])),
    );
  });

  it("same links per function", () => {
    expect(sorted(topology.functions.map((f) => [f.name, [...f.link].sort()]))).toEqual(
      sorted(graph.functions().map((f) => [f.logicalName, f.links])),
    );
  });

  it("same Powertools settings and deploy-time installs per function", () => {
    const powertools = (env: Record<string, unknown> | undefined) =>
      Object.fromEntries(Object.entries(env ?? {}).filter(([k]) => k.startsWith("POWERTOOLS_")));
    expect(sorted(topology.functions.map((f) => [f.name, powertools(f.environment)]))).toEqual(
      sorted(
        graph
          .functions()
          .map((f) => [
            f.logicalName,
            powertools((f.lambda.inputs.environment as { variables?: Record<string, unknown> }).variables),
          ]),
      ),
    );
    expect(sorted(topology.functions.map((f) => [f.name, f.install ?? []]))).toEqual(
      sorted(graph.functions().map((f) => [f.logicalName, f.build?.install ?? []])),
    );
  });

  it("same HTTP routes, functions and auth", () => {
    const local = topology.httpRoutes.map((r) => [
      r.routeKey,
      {
        function: r.function,
        auth: r.auth.type,
        authorizer: r.auth.type === "jwt" ? r.auth.authorizer : undefined,
      },
    ]) as [string, unknown][];
    const deployed = graph.httpRoutes().map((r) => {
      const auth = String(r.route.inputs.authorizationType ?? "NONE").toLowerCase();
      return [
        r.routeKey,
        {
          function: r.fn?.logicalName,
          auth,
          authorizer: r.authorizer ? graph.componentOf(r.authorizer) : undefined,
        },
      ];
    }) as [string, unknown][];
    expect(sorted(local)).toEqual(sorted(deployed));
  });

  it("same JWT authorizers (issuer pool and audience client)", () => {
    const local = topology.httpAuthorizers.map((a) => [
      a.name,
      { type: a.type, identitySource: a.identitySource ?? "$request.header.Authorization" },
    ]) as [string, unknown][];
    const deployed = graph
      .findAll(T.authorizer, (i) => i.authorizerType === "JWT")
      .map((a) => [
        graph.componentOf(a) ?? a.name,
        { type: "jwt", identitySource: (a.inputs.identitySources as string[])[0] },
      ]) as [string, unknown][];
    expect(sorted(local)).toEqual(sorted(deployed));
  });

  it("same WebSocket routes, functions and authorizer", () => {
    const local = topology.wsRoutes.map((r) => [
      r.route,
      {
        function: r.function,
        auth: r.auth.type,
        authorizer: r.auth.type === "lambda" ? r.auth.authorizer : undefined,
      },
    ]) as [string, unknown][];
    const deployed = graph.wsRoutes().map((r) => [
      r.routeKey,
      {
        function: r.fn?.logicalName,
        auth: r.route.inputs.authorizationType === "CUSTOM" ? "lambda" : "none",
        authorizer: r.authorizer ? graph.componentOf(r.authorizer) : undefined,
      },
    ]) as [string, unknown][];
    expect(sorted(local)).toEqual(sorted(deployed));
    expect(
      topology.wsAuthorizers.map((a) => ({ name: a.name, function: a.function, sources: a.identitySources })),
    ).toEqual(
      graph
        .findAll(T.authorizer, (i) => i.authorizerType === "REQUEST")
        .map((a) => ({
          name: graph.componentOf(a),
          function: fnName(a.inputs.authorizerUri),
          sources: a.inputs.identitySources,
        })),
    );
  });

  it("same table stream subscriptions (function, filters, batching, partial failures, bisect, age, destination)", () => {
    const local = topology.streamSubscriptions.map((s) => ({
      table: s.table,
      function: s.function,
      filters: s.filters,
      batchSize: s.batchSize,
      maximumRetryAttempts: s.maximumRetryAttempts,
      functionResponseTypes: s.functionResponseTypes,
      startingPosition: s.startingPosition,
      bisectBatchOnFunctionError: s.bisectBatchOnFunctionError,
      maximumRecordAgeInSeconds: s.maximumRecordAgeInSeconds,
      onFailure: (s.onFailure as { $ref?: string } | undefined)?.$ref,
    }));
    const deployed = graph
      .findAll(T.eventSourceMapping, (i) => String(i.eventSourceArn).includes(":dynamodb:"))
      .map((esm) => {
        const i = esm.inputs;
        const table = graph.byRef(T.table, i.eventSourceArn);
        return {
          table: table && graph.componentOf(table),
          function:
            fnName(i.functionName) ??
            graph.functions().find((f) => f.lambda.outputs.name === i.functionName)?.logicalName,
          filters: ((i.filterCriteria as { filters?: { pattern: string }[] } | undefined)?.filters ?? []).map(
            (f) => JSON.parse(f.pattern),
          ),
          batchSize: i.batchSize ?? 100,
          maximumRetryAttempts: i.maximumRetryAttempts ?? -1,
          functionResponseTypes: i.functionResponseTypes ?? [],
          startingPosition: i.startingPosition,
          bisectBatchOnFunctionError: i.bisectBatchOnFunctionError ?? false,
          maximumRecordAgeInSeconds: i.maximumRecordAgeInSeconds ?? -1,
          onFailure: (() => {
            const arn = (i.destinationConfig as { onFailure?: { destinationArn?: unknown } } | undefined)
              ?.onFailure?.destinationArn;
            const queue = arn === undefined ? undefined : graph.byRef(T.queue, arn);
            return queue && graph.componentOf(queue);
          })(),
        };
      });
    expect(inOneOrder(local)).toEqual(inOneOrder(deployed));
  });

  it("same bucket notifications", () => {
    const local = topology.bucketNotifications.map((n) => ({
      bucket: n.bucket,
      function: n.function,
      events: n.events,
      filterPrefix: n.filterPrefix,
      filterSuffix: n.filterSuffix,
    }));
    const deployed = graph.findAll(T.bucketNotification).flatMap((n) => {
      const bucket = graph.byRef(T.bucket, n.inputs.bucket);
      return ((n.inputs.lambdaFunctions as Record<string, unknown>[] | undefined) ?? []).map((l) => ({
        bucket: bucket && graph.componentOf(bucket),
        function: fnName(l.lambdaFunctionArn),
        events: l.events,
        filterPrefix: l.filterPrefix,
        filterSuffix: l.filterSuffix,
      }));
    });
    expect(inOneOrder(local)).toEqual(inOneOrder(deployed));
  });

  it("same topic and queue subscriptions", () => {
    const localTopics = topology.topicSubscriptions.map((s) => ({
      topic: s.topic,
      function: s.function,
      queue: refName(s.queue as Value | undefined),
    }));
    const deployedTopics = graph.findAll(T.subscription).map((s) => {
      const topic = graph.byRef(T.topic, s.inputs.topic);
      const queue = s.inputs.protocol === "sqs" ? graph.byRef(T.queue, s.inputs.endpoint) : undefined;
      return {
        topic: topic && graph.componentOf(topic),
        function: s.inputs.protocol === "lambda" ? fnName(s.inputs.endpoint) : undefined,
        queue: queue && graph.componentOf(queue),
      };
    });
    expect(inOneOrder(localTopics)).toEqual(inOneOrder(deployedTopics));

    const localQueues = topology.queueSubscriptions.map((q) => ({
      queue: q.queue,
      function: canon(q.function),
      batchSize: q.batchSize,
      partialResponses: q.partialResponses,
    }));
    const deployedQueues = graph
      .findAll(T.eventSourceMapping, (i) => String(i.eventSourceArn).includes(":sqs:"))
      .map((esm) => {
        const queue = graph.byRef(T.queue, esm.inputs.eventSourceArn);
        return {
          queue: queue && graph.componentOf(queue),
          function: canon(
            graph.functions().find((f) => graph.eventSourceMappingsOf(f).includes(esm))?.logicalName ?? "",
          ),
          batchSize: esm.inputs.batchSize,
          partialResponses: ((esm.inputs.functionResponseTypes as string[] | undefined) ?? []).includes(
            "ReportBatchItemFailures",
          ),
        };
      });
    expect(inOneOrder(localQueues)).toEqual(inOneOrder(deployedQueues));
  });
});
