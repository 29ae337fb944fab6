// Posture, in the spirit of cdk-nag's AWS Solutions pack: what a reviewer would flag before deploying.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { replicasFor } from "../../packages/core/src/search/opensearch";
import {
  appGraph,
  checkCloudFront,
  checkDeadLetterQueues,
  checkEncryption,
  checkFunctions,
  checkInstallPins,
  checkPointInTimeRecovery,
  checkPowertoolsEnv,
  checkPrivateBucket,
  checkQueuePolicies,
  checkSearchAccess,
  checkSearchReplicas,
  checkStreamSubscribers,
  checkStreamView,
  checkTableAccess,
  checkTraceWriting,
  checkWildcards,
  DYNAMODB_READ_ACTIONS,
  findWildcards,
  InfraGraph,
  repoRoot,
  statementList,
  T,
  tableGrantsOf,
} from "./harness/index";
import type { EvaluatedApp } from "./harness/types";
import {
  ALLOWED_WILDCARDS,
  MEDIA_READABLE,
  POSTURE_EXCEPTIONS,
  SEARCH_CLIENTS,
  STREAM_SUBSCRIBERS,
  TABLE_ACCESS,
} from "./rules";

const graph = appGraph("dev-ci");

/** The same graph with one change, so each check shows it names the fault it exists for. */
const altered = (change: (app: EvaluatedApp) => void) => {
  const app = structuredClone(graph.app);
  change(app);
  return new InfraGraph(app);
};
const messages = (problems: { message: string }[]) => problems.map((p) => p.message);
const readJson = (file: string) => JSON.parse(readFileSync(path.join(repoRoot, file), "utf8"));

describe("storage", () => {
  it("the media bucket blocks public access; only our distribution (OAC) reads it, and only public/", () => {
    const problems = checkPrivateBucket(graph, "Media", { readable: MEDIA_READABLE });
    const known = (p: { check: string; subject: string; message: string }) =>
      POSTURE_EXCEPTIONS.some(
        (e) => e.check === p.check && e.subject === p.subject && e.message === p.message,
      );
    expect(problems.filter((p) => !known(p))).toEqual([]);
    // An exception that no longer occurs must be removed from rules.ts.
    for (const e of POSTURE_EXCEPTIONS.filter((x) => x.check === "bucket"))
      expect(
        problems.map((p) => p.message),
        e.message,
      ).toContain(e.message);
  });

  it("data is encrypted at rest (table, queues, topics; S3 always encrypts)", () => {
    expect(checkEncryption(graph)).toEqual([]);
  });

  it("the table has point-in-time recovery", () => {
    expect(graph.tables().length).toBeGreaterThan(0);
    expect(checkPointInTimeRecovery(graph)).toEqual([]);
  });

  it("every queue has a dead-letter queue with a maxReceiveCount", () => {
    expect(checkDeadLetterQueues(graph)).toEqual([]);
  });

  it("queue policies for AWS services name the source (no confused deputy)", () => {
    expect(checkQueuePolicies(graph)).toEqual([]);
  });
});

describe("compute", () => {
  it("every function has active tracing (AWS Lambda Developer Guide, Visualize Lambda function invocations using AWS X-Ray, https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html), log retention, and deliberate timeout and memory", () => {
    expect(graph.functions().length).toBeGreaterThan(0);
    expect(checkFunctions(graph)).toEqual([]);
  });
});

describe("deploys as configured (AWS rules no local run can show)", () => {
  it("xray-write: every actively traced function's role may write trace segments (same guide, Execution role permissions; AWS managed policy AWSXRayDaemonWriteAccess)", () => {
    expect(graph.functions().length).toBeGreaterThan(10);
    expect(checkTraceWriting(graph)).toEqual([]);
    const untraceable = altered((app) => {
      const role = app.resources.find((r) => r.type === T.role && r.name === "QueryRole")!;
      role.inputs.managedPolicyArns = (role.inputs.managedPolicyArns as string[]).filter(
        (arn) => !arn.includes("XRay"),
      );
    });
    expect(messages(checkTraceWriting(untraceable))).toEqual([
      "Query traces actively but its role may not call xray:PutTraceSegments and xray:PutTelemetryRecords",
    ]);
  });

  it("powertools-env: every function, those components build included, has the Powertools settings", () => {
    expect(checkPowertoolsEnv(graph)).toEqual([]);
    const subscriber = graph.functions().find((fn) => fn.handler.endsWith("stream/dispatch.handler"))!;
    expect(subscriber.lambda.inputs.environment).toMatchObject({
      variables: {
        POWERTOOLS_SERVICE_NAME: subscriber.logicalName,
        POWERTOOLS_METRICS_NAMESPACE: "asyncsns",
      },
    });
    const bare = altered((app) => {
      const lambda = app.resources.find((r) => r.type === T.lambda && r.name === "QueryFunction")!;
      lambda.inputs.environment = { variables: {} };
    });
    expect(messages(checkPowertoolsEnv(bare))).toEqual([
      "Query lacks POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_NAMESPACE, POWERTOOLS_LOG_LEVEL",
    ]);
  });

  it("install-pinned: sharp installs at deploy at exactly the version the tests and the local cloud run", () => {
    const root = readJson("package.json") as { dependencies?: Record<string, string> };
    const installs = graph.functions().flatMap((fn) => fn.build?.install ?? []);
    expect(installs).toContain("sharp");
    expect(checkInstallPins(graph, root.dependencies)).toEqual([]);
    expect(root.dependencies?.sharp).toBe(readJson("node_modules/sharp/package.json").version);
    expect(root.dependencies?.sharp).toBe(readJson("packages/core/package.json").dependencies.sharp);
    const processor = graph.functions().find((fn) => fn.build?.install?.includes("sharp"))!.logicalName;
    expect(messages(checkInstallPins(graph, {}))).toEqual([
      `${processor} installs sharp at deploy with no version in the root package.json dependencies`,
    ]);
    expect(messages(checkInstallPins(graph, { sharp: "^0.35.5" }))).toEqual([
      `${processor} installs sharp@^0.35.5, a range, not an exact version`,
    ]);
  });
});

describe("search domain", () => {
  it("search-iam-access: SigV4 only, no master user, this account's principals, reached by Query and the indexer", () => {
    expect(checkSearchAccess(graph, SEARCH_CLIENTS)).toEqual([]);
    const domain = graph.findOne("aws:opensearch/domain:Domain");
    const open = altered((app) => {
      const policy = app.resources.find((r) => r.type === "aws:opensearch/domainPolicy:DomainPolicy")!;
      policy.inputs.accessPolicies = JSON.stringify({
        Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "es:*", Resource: "*" }],
      });
      const d = app.resources.find((r) => r.type === "aws:opensearch/domain:Domain")!;
      d.inputs.advancedSecurityOptions = {
        enabled: true,
        internalUserDatabaseEnabled: true,
        masterUserOptions: { masterUserName: "admin", masterUserPassword: "x" },
      };
    });
    expect(messages(checkSearchAccess(open, SEARCH_CLIENTS))).toEqual([
      `${domain.name} has an internal master user with a password`,
      `${domain.name} policy allows *, not IAM principals`,
      `${domain.name} policy allows es:* beyond es:ESHttp*`,
    ]);
    expect(messages(checkSearchAccess(graph, SEARCH_CLIENTS.slice(0, 1)))).toEqual([
      `${domain.name} is reachable by ${[...SEARCH_CLIENTS].sort().join(", ")}, not exactly ${SEARCH_CLIENTS[0]}`,
    ]);
  });

  it("search-replicas: indexes ask for no more replicas than the domain has other nodes (cluster green)", () => {
    expect(checkSearchReplicas(graph, replicasFor)).toEqual([]);
    expect([1, 2, 3].map(replicasFor)).toEqual([0, 1, 2]);
    const domain = graph.findOne("aws:opensearch/domain:Domain");
    expect(messages(checkSearchReplicas(graph, () => 1))).toEqual([
      `${domain.name} has 1 node(s) but indexes ask for 1 replica(s)`,
    ]);
  });
});

describe("table stream", () => {
  it("stream-view: the table streams NEW_AND_OLD_IMAGES", () => {
    expect(checkStreamView(graph)).toEqual([]);
    const keysOnly = altered((app) => {
      app.resources.find((r) => r.type === T.table)!.inputs.streamViewType = "KEYS_ONLY";
    });
    expect(messages(checkStreamView(keysOnly))).toEqual([
      `table ${graph.tables()[0]!.name} streams KEYS_ONLY, not NEW_AND_OLD_IMAGES`,
    ]);
  });

  it("stream-subscribers: each reader runs its handler and gets only the records its filter names", () => {
    expect(checkStreamSubscribers(graph, STREAM_SUBSCRIBERS)).toEqual([]);
    const widened = altered((app) => {
      for (const esm of app.resources.filter((r) => r.type === T.eventSourceMapping))
        if (String(esm.name).includes("Dispatch")) esm.inputs.filterCriteria = { filters: [] };
    });
    expect(messages(checkStreamSubscribers(widened, STREAM_SUBSCRIBERS))).toEqual([
      `packages/functions/src/stream/dispatch.handler is sent [], not ${JSON.stringify(STREAM_SUBSCRIBERS[0]!.filters)}`,
    ]);
  });
});

describe("edge", () => {
  it("CloudFront redirects to HTTPS, needs TLS 1.2 on a custom domain, offers HTTP/3, compresses, sends HSTS, CSP, nosniff, frame options", () => {
    expect(graph.findAll("aws:cloudfront/distribution:Distribution").length).toBe(1);
    expect(checkCloudFront(graph)).toEqual([]);
  });
});

describe("IAM", () => {
  it("every remaining wildcard or managed policy has a reason", () => {
    expect(checkWildcards(graph, ALLOWED_WILDCARDS)).toEqual([]);
  });

  it("every allow-list entry still matches something (remove it when the wildcard goes)", () => {
    // In either stage: the account-level access resources (infra/access.ts) exist in production only.
    const found = [...findWildcards(graph), ...findWildcards(appGraph("production"))];
    const match = (p: string | RegExp, v: string) => (typeof p === "string" ? p === v : p.test(v));
    const stale = ALLOWED_WILDCARDS.filter(
      (a) => !found.some((w) => w.kind === a.kind && match(a.owner, w.owner) && match(a.value, w.value)),
    );
    expect(stale.map((a) => `${a.kind} ${String(a.value)}`)).toEqual([]);
  });

  it("only the CDN purge reaches CloudFront: CreateInvalidation on the Router's distribution, nothing else", () => {
    const distribution = graph.findOne(T.distribution);
    const grants = graph.functions().flatMap((fn) =>
      graph
        .policiesOf(fn)
        .filter((st) => statementList(st, "Action").some((a) => a.startsWith("cloudfront:")))
        .map((st) => ({
          fn: fn.logicalName,
          effect: st.Effect,
          actions: statementList(st, "Action"),
          resources: statementList(st, "Resource"),
        })),
    );
    expect(grants).toEqual([
      {
        fn: "MediaPurge",
        effect: "Allow",
        actions: ["cloudfront:CreateInvalidation"],
        resources: [distribution.outputs.arn],
      },
    ]);
  });

  it("table-least-privilege: Query and the WebSocket routes get exactly their table actions, no dynamodb:*", () => {
    expect(checkTableAccess(graph, TABLE_ACCESS)).toEqual([]);
    const query = graph.functions().find((fn) => fn.logicalName === "Query")!;
    const grants = tableGrantsOf(graph, query);
    // Unconditionally, Query only reads; its one write is scoped to the home partitions it caches in.
    expect(
      grants
        .filter((g) => !g.leadingKeys)
        .flatMap((g) => g.actions)
        .every((a) => DYNAMODB_READ_ACTIONS.includes(a)),
    ).toBe(true);
    expect(grants.filter((g) => g.leadingKeys)).toEqual([
      { actions: ["dynamodb:UpdateItem"], leadingKeys: ["$asyncsns#feed_home#*"] },
    ]);
    const linked = altered((app) => {
      const role = app.resources.find((r) => r.type === T.role && r.name === "QueryRole")!;
      const inline = role.inputs.inlinePolicies as { policy: string }[];
      const doc = JSON.parse(inline[0]!.policy) as { Statement: { Action: string | string[] }[] };
      doc.Statement[0]!.Action = "dynamodb:*";
      inline[0]!.policy = JSON.stringify(doc);
    });
    expect(messages(checkTableAccess(linked, TABLE_ACCESS))).toEqual([
      "Query may dynamodb:* on the table, not exactly dynamodb:BatchGetItem, dynamodb:GetItem, dynamodb:Query",
    ]);
  });

  it("no statement grants a bare * action or resource", () => {
    expect(findWildcards(graph).filter((w) => w.value === "*" || w.value === "*:*")).toEqual([]);
  });
});
