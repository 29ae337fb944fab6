import { inject } from "vitest";

// Tests that call the AWS SDK directly reach the same stand-ins the functions use.
const cloud = inject("localCloud");
process.env.AWS_REGION ??= cloud.cognito.region;
