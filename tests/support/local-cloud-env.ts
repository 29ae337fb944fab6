import { inject } from "vitest";
import { configure } from "../../packages/core/src/limit/config";
import { DEFAULT_LIMITS, scaled } from "../../packages/core/src/limit/rules";

// Tests that call the AWS SDK directly reach the same stand-ins the functions use.
const cloud = inject("localCloud");
process.env.AWS_REGION ??= cloud.cognito.region;
// Core run in-process gets the suite's raised limits, as the local cloud's functions get them from their link.
configure(scaled(DEFAULT_LIMITS, Number(process.env.ASYNCSNS_LIMIT_FACTOR ?? 100)));
