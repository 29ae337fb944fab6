export * as Trace from "./index";

import { Tracer } from "@aws-lambda-powertools/tracer";

/**
 * The process's one tracer. In Lambda with Active tracing it records each AWS SDK call, and each outgoing http(s) and
 * fetch request (OpenSearch, Web Push), as a subsegment of the invocation's trace; SNS and SQS carry the trace on to
 * their consumers. Outside Lambda (no AWS_EXECUTION_ENV: tests, scripts) Powertools turns itself off and hands
 * clients back untouched. https://docs.aws.amazon.com/powertools/typescript/latest/features/tracer/
 */
export const tracer = new Tracer();

/** An AWS SDK v3 client whose calls show as subsegments (service, operation, table or queue, status) in X-Ray. */
export function traced<T>(client: T): T {
  return tracer.captureAWSv3Client(client);
}
