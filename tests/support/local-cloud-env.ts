import { inject } from "vitest";
import { DEFAULT_LIMITS, scaled } from "../../packages/core/src/limit/rules";

// Tests that call the AWS SDK directly reach the same stand-ins the functions use.
const cloud = inject("localCloud");
process.env.AWS_REGION ??= cloud.cognito.region;
// Tests that run core in-process get the suite's raised limits, as the local cloud's functions do through their link.
process.env.SST_RESOURCE_Limits ??= JSON.stringify({
  rules: scaled(DEFAULT_LIMITS, Number(process.env.ASYNCSNS_LIMIT_FACTOR ?? 100)),
  type: "sst.Linkable",
});
