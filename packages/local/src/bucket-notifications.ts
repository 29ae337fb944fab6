// S3 bucket notifications to Lambda: asynchronous invokes with the event, prefix/suffix filters and retries.
import { randomUUID } from "node:crypto";
import type { S3Event } from "aws-lambda";
import { type BucketNotification, isRef, type RefResolver, resolveValue, type Topology } from "./topology";

/** Lambda retries a failed asynchronous invoke twice unless the function's event invoke config says otherwise. */
const ASYNC_RETRIES = 2;

/** A function's `aws.lambda.FunctionEventInvokeConfig`, resolved. */
export interface AsyncInvokeConfig {
  maximumRetryAttempts: number;
  /** -1: Lambda's own limit (6 hours). */
  maximumEventAgeInSeconds: number;
  /** The on-failure destination's ARN (an SQS queue). */
  onFailure?: string;
}

/** Each function's async invoke settings, read from the FunctionEventInvokeConfig resources infra declares. */
export function asyncInvokeConfigs(topology: Topology, resolve: RefResolver): Map<string, AsyncInvokeConfig> {
  const out = new Map<string, AsyncInvokeConfig>();
  for (const r of topology.pulumiResources) {
    if (r.type !== "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig") continue;
    const args = r.args as Record<string, any>;
    const fn = isRef(args.functionName) ? args.functionName.$ref : undefined;
    if (!fn || !topology.functions.some((f) => f.name === fn))
      throw new Error(`${r.name}: functionName must be a function of this app (its .name or .arn)`);
    const a = resolveValue(args, resolve) as Record<string, any>;
    out.set(fn, {
      maximumRetryAttempts: Number(a.maximumRetryAttempts ?? ASYNC_RETRIES),
      maximumEventAgeInSeconds: Number(a.maximumEventAgeInSeconds ?? -1),
      ...(a.destinationConfig?.onFailure?.destination
        ? { onFailure: String(a.destinationConfig.onFailure.destination) }
        : {}),
    });
  }
  return out;
}

export interface BucketNotificationOptions {
  subscriptions: (BucketNotification & { physicalBucket: string; asyncInvoke?: AsyncInvokeConfig })[];
  /** Every object event of the stand-in; each subscription keeps those its `events` and filters name. */
  onObjectEvent: (listener: (event: S3Event) => void) => () => void;
  invoke: (fn: string, event: unknown) => Promise<unknown>;
  /** Sends an invocation record to an on-failure destination (an SQS queue ARN). */
  sendToDestination?: (arn: string, body: string) => Promise<void>;
  /** The ARN Lambda would name in the invocation record's `requestContext.functionArn`. */
  functionArn?: (fn: string) => string;
  log: (line: string) => void;
  retryDelayMs?: number;
}

function eventMatches(patterns: string[], eventName: string): boolean {
  const name = `s3:${eventName}`;
  return patterns.some((p) => (p.endsWith(":*") ? name.startsWith(p.slice(0, -1)) : p === name));
}

export function startBucketNotifications(o: BucketNotificationOptions) {
  const inflight = new Set<Promise<void>>();
  const unsubscribe = o.onObjectEvent((event) => {
    for (const n of o.subscriptions) {
      if (!n.function) continue;
      const records = event.Records.filter((r) => {
        const key = decodeURIComponent(r.s3.object.key.replace(/\+/g, " "));
        return (
          r.s3.bucket.name === n.physicalBucket &&
          eventMatches(n.events, r.eventName) &&
          key.startsWith(n.filterPrefix ?? "") &&
          key.endsWith(n.filterSuffix ?? "")
        );
      });
      if (records.length === 0) continue;
      const fn = n.function;
      const config = n.asyncInvoke;
      const retries = config?.maximumRetryAttempts ?? ASYNC_RETRIES;
      const run = (async () => {
        const event = { Records: records };
        const born = Date.now();
        let error: Error | undefined;
        let attempts = 0;
        for (let attempt = 0; attempt <= retries; attempt++) {
          const maxAge = config?.maximumEventAgeInSeconds ?? -1;
          if (attempt > 0 && maxAge >= 0 && Date.now() - born > maxAge * 1000) break;
          attempts++;
          try {
            await o.invoke(fn, event);
            return;
          } catch (err) {
            error = err as Error;
            o.log(`${n.name}: ${error.message} (attempt ${attempt + 1}/${retries + 1})`);
            if (attempt < retries) await new Promise((r) => setTimeout(r, o.retryDelayMs ?? 1000));
          }
        }
        if (!config?.onFailure || !o.sendToDestination) {
          o.log(`${n.name}: event dropped after ${attempts} attempt(s), no on-failure destination`);
          return;
        }
        // Shape of "Capturing records of Lambda asynchronous invocations" (AWS Lambda Developer Guide).
        const invocationRecord = {
          version: "1.0",
          timestamp: new Date().toISOString(),
          requestContext: {
            requestId: randomUUID(),
            functionArn: `${o.functionArn?.(fn) ?? fn}:$LATEST`,
            condition: attempts <= retries ? "EventAgeExceeded" : "RetriesExhausted",
            approximateInvokeCount: attempts,
          },
          requestPayload: event,
          responseContext: { statusCode: 200, executedVersion: "$LATEST", functionError: "Unhandled" },
          responsePayload: { errorType: error?.name ?? "Error", errorMessage: error?.message ?? "" },
        };
        await o.sendToDestination(config.onFailure, JSON.stringify(invocationRecord));
        o.log(`${n.name}: event sent to the on-failure destination after ${attempts} attempt(s)`);
      })();
      inflight.add(run);
      void run.finally(() => inflight.delete(run));
    }
  });
  return {
    /** Resolves when every event delivered so far has been handled. */
    async drain() {
      while (inflight.size) await Promise.all([...inflight]);
    },
    async stop() {
      unsubscribe();
      await Promise.allSettled([...inflight]);
    },
  };
}
