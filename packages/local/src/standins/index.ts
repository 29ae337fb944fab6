// Starts, health-checks and provisions the AWS stand-ins the local cloud runs on.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { type RunningMessaging, startMessaging } from "../messaging";
import { type RunningCloudFront, startCloudFront } from "./cloudfront";
import { provisionUserPools, type RunningCognito, startCognitoLocal } from "./cognito";
import { type RunningCoturn, startCoturn } from "./coturn";
import { provisionTables, type RunningDynamoDbLocal, startDynamoDbLocal } from "./dynamodb-local";
import { type RunningKvsSignaling, startKvsSignaling } from "./kvs-signaling";
import { type RunningPushService, startPushService } from "./push-service";
import { type RunningS3, S3RVER_CREDENTIALS, startS3 } from "./s3";
import type { RunningStandIns, StandInOptions } from "./types";

export { localDistributionId } from "./cloudfront";
export { poolName } from "./cognito";
export {
  checkJava,
  DYNAMODB_LOCAL_NPM_PACKAGE,
  type DynamoDbLocalJar,
  ensureDynamoDbLocalJar,
} from "./dynamodb-local";
export { StandInError } from "./processes";
export type * from "./types";

export const LOCAL_REGION = "us-east-1";
/** The account id in every local ARN and queue URL. */
export const LOCAL_ACCOUNT_ID = "000000000000";
/** One key pair for all three: s3rver insists on it, DynamoDB Local (-sharedDb) and cognito-local accept any. */
export const LOCAL_CREDENTIALS = S3RVER_CREDENTIALS;

export async function startStandIns(opts: StandInOptions): Promise<RunningStandIns> {
  const region = LOCAL_REGION;
  const credentials = { ...LOCAL_CREDENTIALS };
  const timeoutMs = opts.startTimeoutMs ?? 30_000;
  mkdirSync(join(opts.dataDir, "logs"), { recursive: true });

  const started = await Promise.allSettled([
    timed("DynamoDB Local", opts.log, () =>
      startDynamoDbLocal({
        dataDir: opts.dataDir,
        inMemory: opts.inMemory,
        javaPath: opts.javaPath,
        timeoutMs,
        credentials: { ...credentials },
        region,
        log: opts.log,
      }),
    ),
    timed("s3rver", opts.log, () =>
      startS3({
        dataDir: opts.dataDir,
        inMemory: opts.inMemory,
        buckets: opts.buckets,
        region,
        log: opts.log,
      }),
    ),
    timed("SNS + SQS", opts.log, () =>
      startMessaging({
        dataDir: opts.dataDir,
        inMemory: opts.inMemory,
        region,
        accountId: LOCAL_ACCOUNT_ID,
        log: (line) => opts.log?.(`[sqs] ${line}`),
      }),
    ),
    timed("cognito-local", opts.log, () =>
      startCognitoLocal({
        dataDir: opts.dataDir,
        timeoutMs,
        confirmationCode: opts.confirmationCode,
        onConfirmationCode: opts.onConfirmationCode,
        log: opts.log,
        ...(opts.inMemory ? { fresh: true } : {}),
      }),
    ),
    timed("CloudFront", opts.log, () =>
      startCloudFront({
        distributions: opts.distributions ?? [],
        log: (line) => opts.log?.(`[cloudfront] ${line}`),
      }),
    ),
    timed("push service", opts.log, () => startPushService({ log: (line) => opts.log?.(line) })),
    timed("coturn + KVS signalling", opts.log, () =>
      startCalls({
        dataDir: opts.dataDir,
        timeoutMs,
        region,
        turnserverPath: opts.turnserverPath,
        log: opts.log,
      }),
    ),
  ]);
  const [dynamoResult, s3Result, messagingResult, cognitoResult, cloudfrontResult, pushResult, callsResult] =
    started;
  const running = started.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  const failure = started.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failure) {
    await Promise.all(running.map((r) => r.stop().catch(() => {})));
    throw failure.reason;
  }
  const dynamo = (dynamoResult as PromiseFulfilledResult<RunningDynamoDbLocal>).value;
  const s3 = (s3Result as PromiseFulfilledResult<RunningS3>).value;
  const cognito = (cognitoResult as PromiseFulfilledResult<RunningCognito>).value;
  const messaging = (messagingResult as PromiseFulfilledResult<RunningMessaging>).value;
  const cloudfront = (cloudfrontResult as PromiseFulfilledResult<RunningCloudFront>).value;
  const push = (pushResult as PromiseFulfilledResult<RunningPushService>).value;
  const calls = (callsResult as PromiseFulfilledResult<RunningCalls>).value;

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= Promise.all([
      dynamo.stop(),
      s3.stop(),
      cognito.stop(),
      messaging.stop(),
      cloudfront.stop(),
      push.stop(),
      calls.stop(),
    ]).then(() => undefined);
    return stopping;
  };

  const dynamoClient = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region,
    credentials: { ...credentials },
  });
  const cognitoClient = new CognitoIdentityProviderClient({
    endpoint: cognito.endpoint,
    region,
    credentials: { ...credentials },
  });
  try {
    const [tables, pools] = await Promise.all([
      provisionTables(dynamoClient, opts.tables, opts.log),
      provisionUserPools(cognitoClient, opts.userPools, opts.log),
    ]);
    return {
      region,
      credentials,
      dynamodb: { endpoint: dynamo.endpoint, tables },
      s3: { endpoint: s3.endpoint, onObjectEvent: s3.onObjectEvent },
      cloudfront: { endpoint: cloudfront.endpoint },
      push: { endpoint: push.endpoint },
      kvs: { endpoint: calls.kvs.endpoint },
      turn: {
        host: calls.coturn.host,
        port: calls.coturn.port,
        realm: calls.coturn.realm,
        secret: calls.coturn.secret,
        urls: [
          `turn:${calls.coturn.host}:${calls.coturn.port}?transport=udp`,
          `turn:${calls.coturn.host}:${calls.coturn.port}?transport=tcp`,
        ],
      },
      cognito: { endpoint: cognito.endpoint, pools },
      sns: { endpoint: messaging.endpoint },
      sqs: { endpoint: messaging.endpoint },
      messaging: messaging.messaging,
      processes: {
        dynamodb: { pid: dynamo.pid, logPath: dynamo.logPath },
        cognito: { pid: cognito.pid, logPath: cognito.logPath },
        coturn: { pid: calls.coturn.pid, logPath: calls.coturn.logPath },
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  } finally {
    dynamoClient.destroy();
    cognitoClient.destroy();
  }
}

interface RunningCalls {
  coturn: RunningCoturn;
  kvs: RunningKvsSignaling;
  stop(): Promise<void>;
}

/** coturn first: the KVS stand-in mints credentials with its port and secret. */
async function startCalls(args: {
  dataDir: string;
  timeoutMs: number;
  region: string;
  turnserverPath?: string;
  log?: (line: string) => void;
}): Promise<RunningCalls> {
  const coturn = await startCoturn(args);
  try {
    const kvs = await startKvsSignaling({
      region: args.region,
      accountId: LOCAL_ACCOUNT_ID,
      turn: { host: coturn.host, port: coturn.port, secret: coturn.secret },
      log: args.log,
    });
    return { coturn, kvs, stop: () => Promise.all([kvs.stop(), coturn.stop()]).then(() => undefined) };
  } catch (err) {
    await coturn.stop();
    throw err;
  }
}

async function timed<T>(name: string, log: ((line: string) => void) | undefined, start: () => Promise<T>) {
  const t0 = performance.now();
  const value = await start();
  log?.(`${name} ready in ${Math.round(performance.now() - t0)} ms`);
  return value;
}
