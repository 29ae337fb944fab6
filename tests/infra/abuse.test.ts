// Abuse limits at the edge, each rule named after the AWS document it encodes.
import { describe, expect, it } from "vitest";
import {
  appGraph,
  checkFirewall,
  checkSignUp,
  checkStageThrottling,
  checkUploadExpiry,
  InfraGraph,
} from "./harness/index";

for (const stage of ["dev-ci", "production"] as const) {
  describe(`abuse limits (${stage})`, () => {
    const graph = appGraph(stage);

    // "Throttle requests to your HTTP APIs for better throughput in API Gateway",
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html and
    // "Throttle requests to your WebSocket APIs", https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-protect.html
    it("api-stage-throttling: the HTTP and WebSocket stages throttle below the account's limits", () => {
      expect(graph.findAll("aws:apigatewayv2/stage:Stage").length).toBe(2);
      expect(checkStageThrottling(graph)).toEqual([]);
    });

    // "Using AWS WAF with Amazon CloudFront" (CLOUDFRONT scope, us-east-1),
    // https://docs.aws.amazon.com/waf/latest/developerguide/cloudfront-features.html; "Baseline rule groups"
    // (SizeRestrictions_BODY blocks bodies over 8 KB), https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html
    it("cloudfront-waf: the distribution has a us-east-1 CLOUDFRONT web ACL with a blocking rate rule and the common rules", () => {
      expect(checkFirewall(graph, { bodyOverride: "count" })).toEqual([]);
    });

    // "Email settings for Amazon Cognito user pools" (the default sender's 50 emails a day),
    // https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-email.html; "Advanced security with threat
    // protection", https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-settings-threat-protection.html
    it("cognito-signup-protection: sign-up mail goes through SES and threat protection is enforced", () => {
      expect(checkSignUp(graph)).toEqual([]);
    });

    // "Expiring objects", https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-expire-general-considerations.html;
    // "Using time to live (TTL) in DynamoDB", https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TTL.html
    it("upload-expiry: originals under uploads/ expire by lifecycle and unattached media items by TTL", () => {
      expect(checkUploadExpiry(graph, "Media", "uploads/")).toEqual([]);
    });
  });
}

// Each check names what a broken change would lose, proven on a copy of the real graph with that part undone.
describe("abuse checks report what is missing", () => {
  const graph = appGraph("dev-ci");
  const without = (type: string, change: (inputs: Record<string, unknown>) => void) => {
    const app = structuredClone(graph.app);
    for (const r of app.resources) if (r.type === type) change(r.inputs);
    return new InfraGraph(app);
  };
  const messages = (problems: { message: string }[]) => problems.map((p) => p.message);

  it("a stage without throttling", () => {
    const broken = without("aws:apigatewayv2/stage:Stage", (i) => {
      delete i.defaultRouteSettings;
    });
    expect(messages(checkStageThrottling(broken))).toHaveLength(4);
    expect(messages(checkStageThrottling(broken))[0]).toMatch(/stage burst limit is undefined/);
  });

  it("a distribution without the web ACL, or one that blocks large bodies", () => {
    const detached = without("aws:cloudfront/distribution:Distribution", (i) => {
      delete i.webAclId;
    });
    expect(messages(checkFirewall(detached, { bodyOverride: "count" }))).toEqual([
      expect.stringMatching(/has no web ACL of this app/),
    ]);
    const strict = without("aws:wafv2/webAcl:WebAcl", (i) => {
      for (const rule of i.rules as { statement: { managedRuleGroupStatement?: object } }[])
        if (rule.statement.managedRuleGroupStatement)
          rule.statement.managedRuleGroupStatement = {
            vendorName: "AWS",
            name: "AWSManagedRulesCommonRuleSet",
          };
    });
    expect(messages(checkFirewall(strict, { bodyOverride: "count" }))).toEqual([
      expect.stringMatching(/lets SizeRestrictions_BODY block bodies over 8 KB, not count/),
    ]);
  });

  it("a pool on Cognito's sender without threat protection", () => {
    const broken = without("aws:cognito/userPool:UserPool", (i) => {
      i.emailConfiguration = { emailSendingAccount: "COGNITO_DEFAULT" };
      i.userPoolAddOns = { advancedSecurityMode: "OFF" };
    });
    expect(messages(checkSignUp(broken))).toEqual([
      expect.stringMatching(/sends mail with COGNITO_DEFAULT, not DEVELOPER/),
      expect.stringMatching(/threat protection is OFF, not ENFORCED/),
    ]);
  });

  it("a bucket whose uploads never expire", () => {
    const broken = without(
      "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
      (i) => (i.rules = []),
    );
    expect(messages(checkUploadExpiry(broken, "Media", "uploads/"))).toEqual([
      "Media has no enabled lifecycle rule on uploads/",
    ]);
  });
});
