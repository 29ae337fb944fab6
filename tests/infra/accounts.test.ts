// Accounts (infra/accounts.ts): deletion and export run from queues with dead letters, and only the functions that
// must touch the user pool may, with exactly the actions they call, on this pool only.
import { describe, expect, it } from "vitest";
import { appGraph } from "./harness/index";

const ACCOUNTS = "packages/functions/src/api/accounts.handler";
const SWEEPER = "packages/functions/src/account/sweeper.handler";
const EXPORTER = "packages/functions/src/account/exporter.handler";
// Suspends and lifts suspensions (tests/infra/moderation.test.ts holds its grants).
const MODERATION = "packages/functions/src/api/moderation.handler";

for (const stage of ["dev-ci", "production"] as const) {
  const graph = appGraph(stage);
  const fn = (handler: string) => graph.functions().find((f) => f.handler === handler)!;
  const queue = (name: string) => graph.queues().find((q) => graph.componentOf(q) === name)!;
  const pool = graph.findOne("aws:cognito/userPool:UserPool");
  const cognitoStatements = (handler: string) =>
    graph
      .policiesOf(fn(handler))
      .filter((st) => [st.Action].flat().some((a) => String(a).startsWith("cognito-idp:")));

  describe(`accounts (${stage})`, () => {
    it("exists: the Accounts Lambda, the sweeper and the exporter, each behind its own queue", () => {
      for (const handler of [ACCOUNTS, SWEEPER, EXPORTER]) expect(fn(handler)).toBeDefined();
      for (const name of [
        "AccountDeletions",
        "AccountDeletionDeadLetters",
        "AccountExports",
        "AccountExportDeadLetters",
      ])
        expect(queue(name)).toBeDefined();
    });

    it("IAM: cognito-idp actions only where called, scoped to the user pool's ARN (Service Authorization Reference, Actions, resources, and condition keys for Amazon Cognito User Pools, https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncognitouserpools.html)", () => {
      const grants = (handler: string) =>
        cognitoStatements(handler).map((st) => ({
          actions: [st.Action].flat().sort(),
          resources: [st.Resource].flat(),
        }));
      expect(grants(ACCOUNTS)).toEqual([
        {
          actions: ["cognito-idp:AdminDisableUser", "cognito-idp:AdminUserGlobalSignOut"],
          resources: [pool.outputs.arn],
        },
      ]);
      expect(grants(SWEEPER)).toEqual([
        { actions: ["cognito-idp:AdminDeleteUser"], resources: [pool.outputs.arn] },
      ]);
      expect(grants(EXPORTER)).toEqual([]);
      // Nobody else may administer users.
      const others = graph
        .functions()
        .filter((f) => ![ACCOUNTS, SWEEPER, MODERATION].includes(f.handler))
        .filter((f) => cognitoStatements(f.handler).length > 0)
        .map((f) => f.handler);
      expect(others).toEqual([]);
    });

    it("links: each function reaches only what it uses", () => {
      expect(fn(ACCOUNTS).links.sort()).toEqual(
        ["AccountDeletions", "AccountExports", "Auth", "Realtime", "Table"].sort(),
      );
      expect(fn(SWEEPER).links.sort()).toEqual(
        ["AccountDeletions", "AccountSweeps", "Auth", "Media", "Table"].sort(),
      );
      expect(fn(EXPORTER).links.sort()).toEqual(["Media", "Table"].sort());
    });

    it("SQS: five receives, then a dead-letter queue kept 14 days (Amazon SQS Developer Guide, Using dead-letter queues, https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html)", () => {
      for (const [source, dead] of [
        ["AccountDeletions", "AccountDeletionDeadLetters"],
        ["AccountExports", "AccountExportDeadLetters"],
      ] as const) {
        const policy = JSON.parse(String(queue(source).inputs.redrivePolicy));
        expect(policy).toEqual({ deadLetterTargetArn: queue(dead).outputs.arn, maxReceiveCount: 5 });
        expect(queue(dead).inputs.messageRetentionSeconds).toBe(14 * 24 * 3600);
        expect(queue(source).inputs.sqsManagedSseEnabled).toBe(true);
      }
    });

    it("Lambda: one message per invocation, partial batch responses, six function timeouts of visibility (AWS Lambda Developer Guide, Handling errors for an SQS event source in Lambda, https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html; Creating and configuring an Amazon SQS event source mapping, https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html)", () => {
      for (const [handler, source] of [
        [SWEEPER, "AccountDeletions"],
        [EXPORTER, "AccountExports"],
      ] as const) {
        const mappings = graph.eventSourceMappingsOf(fn(handler));
        expect(mappings).toHaveLength(1);
        const m = mappings[0]!.inputs;
        expect(m.eventSourceArn).toBe(queue(source).outputs.arn);
        expect(m.functionResponseTypes).toEqual(["ReportBatchItemFailures"]);
        expect(m.batchSize).toBe(1);
        const timeout = Number(fn(handler).lambda.inputs.timeout);
        expect(Number(queue(source).inputs.visibilityTimeoutSeconds)).toBe(6 * timeout);
      }
    });

    it("CloudWatch: an alarm on each dead-letter queue's first message (Amazon SQS Developer Guide, Creating CloudWatch alarms for Amazon SQS metrics, https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/set-cloudwatch-alarms-for-sqs-metrics.html)", () => {
      for (const dead of ["AccountDeletionDeadLetters", "AccountExportDeadLetters"]) {
        const name = String(queue(dead).outputs.arn).split(":").pop();
        const alarms = graph.findAll(
          "aws:cloudwatch/metricAlarm:MetricAlarm",
          (i) =>
            i.namespace === "AWS/SQS" &&
            i.metricName === "ApproximateNumberOfMessagesVisible" &&
            (i.dimensions as Record<string, unknown>)?.QueueName === name,
        );
        expect(alarms).toHaveLength(1);
        expect(alarms[0]!.inputs).toMatchObject({ threshold: 0, comparisonOperator: "GreaterThanThreshold" });
      }
    });

    it("routes: DELETE /api/me and POST /api/me/export go to the Accounts Lambda with the JWT authorizer", () => {
      for (const key of ["DELETE /api/me", "POST /api/me/export"]) {
        const route = graph.routeFor(key);
        expect(route.route.inputs.authorizationType).toBe("JWT");
        expect(route.fn?.handler).toBe(ACCOUNTS);
      }
      expect(graph.routeFor("GET /api/me/export/{id}").fn?.handler).toBe(
        "packages/functions/src/api/query.handler",
      );
    });
  });
}
