// Contract between the stand-ins (DynamoDB Local, s3rver, cognito-local) and the rest of the local cloud.
import type { S3Event } from "aws-lambda";
import type { Messaging } from "../messaging";

/** A table as declared by `new sst.aws.Dynamo(name, args)` in infra/. */
export interface TableSpec {
  /** Physical table name, e.g. "asyncsns-local-Table". */
  name: string;
  fields: Record<string, "string" | "number" | "binary">;
  primaryIndex: { hashKey: string; rangeKey?: string };
  globalIndexes?: Record<
    string,
    { hashKey: string; rangeKey?: string; projection?: "all" | "keys-only" | string[] }
  >;
  stream?: "keys-only" | "new-image" | "old-image" | "new-and-old-images";
  ttl?: string;
}

export interface UserPoolSpec {
  /** Logical name from infra (e.g. "UserPool"); the physical pool is created once and reused. */
  name: string;
  usernames?: ("email" | "phone")[];
  clients: { name: string }[];
  /** Groups infra declares on the pool (`aws.cognito.UserGroup`): their names end up in `cognito:groups`. */
  groups?: string[];
}

export interface StandInOptions {
  /** Folder for persisted data and logs, e.g. `<root>/.asyncsns`. */
  dataDir: string;
  /** Throwaway data (tests): DynamoDB in memory, S3 in a scratch folder wiped at start and stop; cognito stays under dataDir. */
  inMemory?: boolean;
  tables: TableSpec[];
  /** Physical bucket names. */
  buckets: string[];
  /** CloudFront distribution ids (one per Router) the CloudFront stand-in knows. */
  distributions?: string[];
  userPools: UserPoolSpec[];
  /** Fixed confirmation code for cognito-local (tests); otherwise random codes are printed. */
  confirmationCode?: string;
  /** Called with each confirmation code cognito-local would have emailed. */
  onConfirmationCode?: (info: { username: string; code: string; destination?: string }) => void;
  log?: (line: string) => void;
  /** Java executable for DynamoDB Local (default `java` on PATH). */
  javaPath?: string;
  /** coturn's executable (default `turnserver` on PATH). */
  turnserverPath?: string;
  /** How long each stand-in may take to answer its health check (default 30 s). */
  startTimeoutMs?: number;
}

/** An S3 object event (created or removed) in the shape Lambda receives (key URL-encoded, as AWS sends it). */
export type ObjectEventListener = (event: S3Event) => void;

export interface RunningStandIns {
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  dynamodb: {
    endpoint: string;
    /** Per physical table name; `streamArn` is the LatestStreamArn DynamoDB Local reports. */
    tables?: Record<string, { arn: string; streamArn?: string }>;
  };
  s3: {
    endpoint: string;
    /** Subscribes to object events (put, POST upload, copy, delete); returns an unsubscribe function. */
    onObjectEvent?: (listener: ObjectEventListener) => () => void;
  };
  /** The CloudFront API (invalidations) for the Routers' distributions. */
  cloudfront: { endpoint: string };
  cognito: {
    endpoint: string;
    /** userPoolId and client ids per logical name. */
    pools: Record<string, { id: string; clients: Record<string, { id: string }> }>;
  };
  /** The browsers' push service (Web Push endpoints, plain http on loopback): see push-service.ts. */
  push: { endpoint: string };
  /** Local SNS (query protocol) and SQS (JSON protocol) share one loopback endpoint. */
  sns: { endpoint: string };
  sqs: { endpoint: string };
  /** Topics, subscriptions and the persisted queues behind that endpoint. */
  messaging: Messaging;
  /** Kinesis Video Streams signalling (control plane and signalling endpoint): see kvs-signaling.ts. */
  kvs: { endpoint: string };
  /** The local coturn the KVS stand-in mints TURN REST credentials for; `secret` stays in this process. */
  turn: { host: string; port: number; realm: string; secret: string; urls: string[] };
  /** The OpenSearch stand-in, started by the local cloud when the app declares sst.aws.OpenSearch. */
  search?: { endpoint: string; username: string; password: string };
  /** Child process ids and log files, for diagnostics. */
  processes?: Record<"dynamodb" | "cognito" | "coturn", { pid: number; logPath: string }>;
  /** Stops every stand-in, including the JVM; safe to call twice. */
  stop(): Promise<void>;
}
