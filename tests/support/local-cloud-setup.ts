import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { TestProject } from "vitest/node";
import { startLocalCloud } from "../../packages/local/src/local-cloud";

export const CONFIRMATION_CODE = "123456";

// The integration suite runs against the real app on the local cloud: real gateway, workers and stand-ins.
export default async function setup(project: TestProject) {
  const root = resolve(import.meta.dirname, "../..");
  const dataDir = await mkdtemp(join(tmpdir(), "asyncsns-int-"));
  // Low enough that a handful of test users make an author "big", so the hybrid merge path runs for real.
  process.env.ASYNCSNS_FANOUT_THRESHOLD ??= "3";
  // Suites post far faster than a person; limits.int.test.ts lowers them in-process to test them.
  process.env.ASYNCSNS_LIMIT_FACTOR ??= "100";
  // Pages of two follow edges, so a post to three followers crosses a page boundary in the fan-out.
  process.env.ASYNCSNS_FOLLOWERS_PAGE ??= "2";
  // A failing notification is received again after 5 s, not 30: five receives to the dead-letter queue fit a test.
  process.env.ASYNCSNS_NOTIFY_VISIBILITY_SECONDS ??= "5";
  // Calls ring 4 s, not 45, so a missed call (the SQS-delayed timer) fits a test.
  process.env.ASYNCSNS_CALL_RING_SECONDS ??= "4";
  // A deleted account is swept again every 2 s (not 15 min), ten times, so a late write is seen swept.
  process.env.ASYNCSNS_LATE_SWEEP_SECONDS ??= "2";
  process.env.ASYNCSNS_LATE_SWEEPS ??= "10";
  const cloud = await startLocalCloud({
    root,
    configFile: join(root, "sst.config.ts"),
    port: 0,
    dataDir,
    inMemory: true,
    confirmationCode: CONFIRMATION_CODE,
    quiet: true,
  });
  project.provide("localCloud", JSON.parse(JSON.stringify(cloud.urls)));
  // Tests that seed or inspect items directly (e.g. a stale connection) reach the same DynamoDB Local.
  project.provide("localDynamo", {
    endpoint: cloud.standIns.dynamodb.endpoint,
    tables: Object.keys(cloud.standIns.dynamodb.tables ?? {}),
  });
  // Admin tools (`npm run reindex`) find the running cloud's stand-ins from files in its data directory.
  project.provide("localDataDir", dataDir);
  return async () => {
    await cloud.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    localCloud: {
      webUrl: string;
      apiUrl: string;
      wsUrl: string;
      cognito: { endpoint: string; region: string; userPoolId: string; clientId: string };
      cloudfront?: { endpoint: string; distributionId?: string };
      sqs: { endpoint: string; queues: Record<string, string> };
      sns: { endpoint: string; topics: Record<string, string> };
      dynamodb: { endpoint: string; region: string };
      /** The local push service (packages/local/src/standins/push-service.ts). */
      push: { url: string };
      /** Kinesis Video Streams signalling (packages/local/src/standins/kvs-signaling.ts) and the coturn behind it. */
      kvs: { endpoint: string; region: string };
      turn: { urls: string[] };
    };
    localDynamo: { endpoint: string; tables: string[] };
    localDataDir: string;
  }
}
