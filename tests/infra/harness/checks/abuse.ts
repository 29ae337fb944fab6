// Abuse limits at the edge: stage throttling, the WAF web ACL on the distribution, protected sign-up, expiring uploads.
import { type InfraGraph, T } from "../graph";
import type { MockedResource } from "../types";
import { type Problem, problem, s } from "./shared";

const STAGE = "aws:apigatewayv2/stage:Stage";
const WEB_ACL = "aws:wafv2/webAcl:WebAcl";
const PROVIDER = "pulumi:providers:aws";
const LIFECYCLE = "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2";
const SES_IDENTITY = "aws:sesv2/emailIdentity:EmailIdentity";
/** API Gateway's account-level default per Region: a stage limit must be below it to mean anything. */
export const ACCOUNT_RATE = 10_000;
export const ACCOUNT_BURST = 5_000;

/** Every HTTP and WebSocket stage throttles its default route below the account's limits. */
export function checkStageThrottling(graph: InfraGraph): Problem[] {
  const out: Problem[] = [];
  for (const stage of graph.findAll(STAGE)) {
    const api = graph.findAll(T.api).find((a) => a.outputs.id === stage.inputs.apiId);
    const subject = `${api?.name ?? "?"} (${s(api?.inputs.protocolType ?? "?")})`;
    const settings = stage.inputs.defaultRouteSettings as
      | { throttlingBurstLimit?: number; throttlingRateLimit?: number }
      | undefined;
    const burst = settings?.throttlingBurstLimit;
    const rate = settings?.throttlingRateLimit;
    if (!(typeof burst === "number" && burst > 0 && burst < ACCOUNT_BURST))
      out.push(
        problem(
          "throttle",
          subject,
          `${subject} stage burst limit is ${s(burst)}, not 1..${ACCOUNT_BURST - 1}`,
        ),
      );
    if (!(typeof rate === "number" && rate > 0 && rate < ACCOUNT_RATE))
      out.push(
        problem("throttle", subject, `${subject} stage rate limit is ${s(rate)}, not 1..${ACCOUNT_RATE - 1}`),
      );
  }
  return out;
}

type Rule = {
  name?: string;
  action?: Record<string, unknown>;
  statement?: {
    rateBasedStatement?: { limit?: number; aggregateKeyType?: string };
    managedRuleGroupStatement?: {
      vendorName?: string;
      name?: string;
      ruleActionOverrides?: { name?: string; actionToUse?: Record<string, unknown> }[];
    };
  };
};

/** The distribution's web ACL: CLOUDFRONT scope from a us-east-1 provider, a blocking rate rule, AWS common rules. */
export function checkFirewall(graph: InfraGraph, rules: { bodyOverride: string }): Problem[] {
  const out: Problem[] = [];
  for (const d of graph.findAll(T.distribution)) {
    const acl = graph.findAll(WEB_ACL).find((a) => a.outputs.arn === d.inputs.webAclId);
    if (!acl) {
      out.push(
        problem(
          "waf",
          d.name,
          `distribution ${d.name} has no web ACL of this app (webAclId ${s(d.inputs.webAclId)})`,
        ),
      );
      continue;
    }
    if (acl.inputs.scope !== "CLOUDFRONT")
      out.push(problem("waf", acl.name, `${acl.name} scope is ${s(acl.inputs.scope)}, not CLOUDFRONT`));
    const provider = graph.findAll(PROVIDER).find((p: MockedResource) => p.name === acl.provider);
    if (provider?.inputs.region !== "us-east-1")
      out.push(
        problem("waf", acl.name, `${acl.name} is not created in us-east-1 (provider ${s(acl.provider)})`),
      );
    const list = (acl.inputs.rules ?? []) as Rule[];
    const rate = list.find((r) => r.statement?.rateBasedStatement);
    if (!rate?.action?.block)
      out.push(problem("waf", acl.name, `${acl.name} has no rate-based rule that blocks`));
    const common = list.find(
      (r) =>
        r.statement?.managedRuleGroupStatement?.vendorName === "AWS" &&
        r.statement.managedRuleGroupStatement.name === "AWSManagedRulesCommonRuleSet",
    );
    if (!common) out.push(problem("waf", acl.name, `${acl.name} does not use AWSManagedRulesCommonRuleSet`));
    const overrides = common?.statement?.managedRuleGroupStatement?.ruleActionOverrides ?? [];
    const body = overrides.find((o) => o.name === "SizeRestrictions_BODY")?.actionToUse ?? {};
    if (common && !(rules.bodyOverride in body))
      out.push(
        problem(
          "waf",
          acl.name,
          `${acl.name} lets SizeRestrictions_BODY ${Object.keys(body)[0] ?? "block"} bodies over 8 KB, not ${rules.bodyOverride}`,
        ),
      );
  }
  return out;
}

/** Sign-up mail through SES (not Cognito's 50-a-day sender) and threat protection enforced. */
export function checkSignUp(graph: InfraGraph): Problem[] {
  const out: Problem[] = [];
  for (const pool of graph.findAll(T.userPool)) {
    const email = (pool.inputs.emailConfiguration ?? {}) as {
      emailSendingAccount?: string;
      sourceArn?: string;
    };
    if (email.emailSendingAccount !== "DEVELOPER")
      out.push(
        problem(
          "signup",
          pool.name,
          `${pool.name} sends mail with ${s(email.emailSendingAccount ?? "COGNITO_DEFAULT")}, not DEVELOPER (SES)`,
        ),
      );
    else if (!graph.findAll(SES_IDENTITY).some((i) => i.outputs.arn === email.sourceArn))
      out.push(
        problem(
          "signup",
          pool.name,
          `${pool.name} sends from ${s(email.sourceArn)}, not an SES identity of this app`,
        ),
      );
    const mode = (pool.inputs.userPoolAddOns as { advancedSecurityMode?: string } | undefined)
      ?.advancedSecurityMode;
    if (mode !== "ENFORCED")
      out.push(
        problem("signup", pool.name, `${pool.name} threat protection is ${s(mode ?? "OFF")}, not ENFORCED`),
      );
  }
  return out;
}

/** Unattached uploads expire: a lifecycle rule on `prefix` of the bucket, and TTL on the table. */
export function checkUploadExpiry(graph: InfraGraph, bucketComponent: string, prefix: string): Problem[] {
  const out: Problem[] = [];
  const bucket = graph.findAll(T.bucket).find((b) => graph.componentOf(b) === bucketComponent);
  if (!bucket) return [problem("expiry", bucketComponent, `no bucket ${bucketComponent}`)];
  const rules = graph
    .findAll(LIFECYCLE, (i) => i.bucket === bucket.outputs.bucket)
    .flatMap(
      (c) =>
        (c.inputs.rules ?? []) as {
          status?: string;
          filter?: { prefix?: string };
          expiration?: { days?: number };
        }[],
    );
  const rule = rules.find((r) => r.filter?.prefix === prefix && r.status === "Enabled");
  if (!rule)
    out.push(
      problem("expiry", bucketComponent, `${bucketComponent} has no enabled lifecycle rule on ${prefix}`),
    );
  else if (!(Number(rule.expiration?.days) > 0))
    out.push(
      problem("expiry", bucketComponent, `${bucketComponent} lifecycle on ${prefix} does not expire objects`),
    );
  for (const t of graph.tables()) {
    const ttl = t.inputs.ttl as { enabled?: boolean; attributeName?: string } | undefined;
    if (!ttl?.enabled || ttl.attributeName !== "expireAt")
      out.push(problem("expiry", t.name, `table ${t.name} has no TTL on expireAt`));
  }
  return out;
}
