// Abuse limits at the edge, each rule named after the AWS document it encodes.
import { describe, expect, it } from "vitest";
import {
  appGraph,
  checkFirewall,
  checkSignUp,
  checkStageThrottling,
  checkUploadExpiry,
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
