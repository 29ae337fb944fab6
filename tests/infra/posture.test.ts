// Posture, in the spirit of cdk-nag's AWS Solutions pack: what a reviewer would flag before deploying.
import { describe, expect, it } from "vitest";
import {
  appGraph,
  checkCloudFront,
  checkDeadLetterQueues,
  checkEncryption,
  checkFunctions,
  checkPointInTimeRecovery,
  checkPrivateBucket,
  checkQueuePolicies,
  checkWildcards,
  findWildcards,
  statementList,
  T,
} from "./harness/index";
import { ALLOWED_WILDCARDS, MEDIA_READABLE, POSTURE_EXCEPTIONS } from "./rules";

const graph = appGraph("dev-ci");

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
  it("every function has active tracing, log retention, and deliberate timeout and memory", () => {
    expect(graph.functions().length).toBeGreaterThan(0);
    expect(checkFunctions(graph)).toEqual([]);
  });
});

describe("edge", () => {
  it("CloudFront redirects to HTTPS, needs TLS 1.2 on a custom domain, sends HSTS, CSP, nosniff, frame options", () => {
    expect(graph.findAll("aws:cloudfront/distribution:Distribution").length).toBe(1);
    expect(checkCloudFront(graph)).toEqual([]);
  });
});

describe("IAM", () => {
  it("every remaining wildcard or managed policy has a reason", () => {
    expect(checkWildcards(graph, ALLOWED_WILDCARDS)).toEqual([]);
  });

  it("every allow-list entry still matches something (remove it when the wildcard goes)", () => {
    const found = findWildcards(graph);
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

  it("no statement grants a bare * action or resource", () => {
    expect(findWildcards(graph).filter((w) => w.value === "*" || w.value === "*:*")).toEqual([]);
  });
});
