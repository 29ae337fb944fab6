// The edge firewall in front of the Router's distribution: per-IP flood control and AWS's common rules.

// A CLOUDFRONT-scoped web ACL must be created in us-east-1, whatever the app's region.
const usEast1 = new aws.Provider("FirewallProvider", { region: "us-east-1" });

/** Requests per IP per 5-minute window to /api before WAF blocks: far above a person, far below a botnet node. */
export const API_RATE_PER_IP = 3000;

const visibility = (metricName: string) => ({
  cloudwatchMetricsEnabled: true,
  metricName,
  sampledRequestsEnabled: true,
});

/**
 * "Using AWS WAF with Amazon CloudFront" (a web ACL for a distribution has scope CLOUDFRONT, in us-east-1),
 * https://docs.aws.amazon.com/waf/latest/developerguide/cloudfront-features.html; rate rules per
 * "Rate-based rule statement", https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based.html;
 * the managed set per "Baseline rule groups", https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html
 */
export const webAcl = new aws.wafv2.WebAcl(
  "Firewall",
  {
    scope: "CLOUDFRONT",
    defaultAction: { allow: {} },
    visibilityConfig: visibility("asyncsns-firewall"),
    rules: [
      {
        name: "ApiRatePerIp",
        priority: 0,
        action: { block: {} },
        statement: {
          rateBasedStatement: {
            limit: API_RATE_PER_IP,
            evaluationWindowSec: 300,
            aggregateKeyType: "IP",
            scopeDownStatement: {
              byteMatchStatement: {
                searchString: "/api/",
                positionalConstraint: "STARTS_WITH",
                fieldToMatch: { uriPath: {} },
                textTransformations: [{ priority: 0, type: "NONE" }],
              },
            },
          },
        },
        visibilityConfig: visibility("api-rate-per-ip"),
      },
      {
        name: "AWSManagedRulesCommonRuleSet",
        priority: 1,
        overrideAction: { none: {} },
        statement: {
          managedRuleGroupStatement: {
            vendorName: "AWS",
            name: "AWSManagedRulesCommonRuleSet",
            // Its body rule blocks anything over 8 KB; uploads go straight to S3, but long Japanese chat and post
            // JSON can pass 8 KB, and the API bounds every field in bytes itself: count, don't block.
            ruleActionOverrides: [{ name: "SizeRestrictions_BODY", actionToUse: { count: {} } }],
          },
        },
        visibilityConfig: visibility("aws-common-rules"),
      },
    ],
  },
  { provider: usEast1 },
);
