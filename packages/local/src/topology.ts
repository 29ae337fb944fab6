// The recorded shape of an SST app: plain JSON, so it can be printed, diffed and asserted in tests.

/** A value only the deploy knows (an id, url, arn); the local cloud resolves it. */
export interface Ref {
  $ref: string;
  attribute: string;
}

/** A string built from literals and refs ($interpolate, $concat, $jsonStringify, apply on a ref). */
export interface Template {
  $template: (string | Ref)[];
}

export type Value = string | number | boolean | null | Ref | Template | Value[] | { [key: string]: Value };

export type SstType =
  | "sst.aws.Function"
  | "sst.aws.Dynamo"
  | "sst.aws.Bucket"
  | "sst.aws.CognitoUserPool"
  | "sst.aws.CognitoUserPoolClient"
  | "sst.aws.ApiGatewayV2"
  | "sst.aws.ApiGatewayWebSocket"
  | "sst.aws.ApiGatewayV2Authorizer"
  | "sst.aws.StaticSite"
  | "sst.aws.Router"
  | "sst.aws.SnsTopic"
  | "sst.aws.Queue"
  | "sst.aws.OpenSearch"
  | "sst.Linkable"
  | "sst.Secret";

export interface ResourceRecord {
  name: string;
  type: SstType;
  args: Value;
  /** What `Resource.<name>` holds in a function that links it (SST's getSSTLink().properties). */
  link?: Record<string, Value>;
  /** For a CognitoUserPoolClient: its pool's logical name. */
  parent?: string;
  /** What the component's sub-resource transforms set (e.g. the table's pointInTimeRecovery). */
  transformed?: Record<string, Value>;
}

export interface FunctionRecord {
  name: string;
  /** As written in infra, e.g. "src/handlers/orders.handler". */
  handler: string;
  /** Source file relative to the app root, e.g. "src/handlers/orders.ts". */
  file: string;
  export: string;
  /** Logical names of linked resources. */
  link: string[];
  environment: Record<string, Value>;
  memory: number;
  /** Reserved concurrency (`concurrency.reserved`, Lambda's ReservedConcurrentExecutions): invokes beyond it are throttled. */
  reservedConcurrency?: number;
  timeout: number;
  tracing: "Active" | "PassThrough";
  runtime: string;
  architecture: string;
  /** Who created it: "infra" (new sst.aws.Function) or the component that built it. */
  createdBy: string;
  /** `nodejs.install`: packages SST installs instead of bundling (native modules such as sharp). */
  install?: string[];
  /** `nodejs.esbuild.external`: left out of the bundle, loaded at run time (e.g. the runtime's own `@aws-sdk/*`). */
  external?: string[];
}

export type HttpAuth =
  | { type: "none" }
  | { type: "jwt"; authorizer: string; scopes?: string[] }
  | { type: "iam" };

export interface HttpRoute {
  api: string;
  routeKey: string;
  function: string;
  auth: HttpAuth;
}

export interface HttpAuthorizer {
  api: string;
  name: string;
  /** The name given to addAuthorizer ("cognito"). */
  authorizerName: string;
  type: "jwt" | "lambda";
  issuer?: Value;
  audiences?: Value[];
  identitySource?: string;
  function?: string;
}

export interface WsRoute {
  api: string;
  route: string;
  function: string;
  auth: { type: "none" } | { type: "lambda"; authorizer: string } | { type: "iam" };
}

export interface WsAuthorizer {
  api: string;
  name: string;
  authorizerName: string;
  function: string;
  identitySources: string[];
}

export interface StreamSubscription {
  name: string;
  table: string;
  function: string;
  filters: Value[];
  batchSize: number;
  maximumRetryAttempts: number;
  functionResponseTypes: string[];
  startingPosition: string;
  /** Split a batch in two when the function errors (a split is not a retry). */
  bisectBatchOnFunctionError?: boolean;
  /** -1: until the record leaves the stream. */
  maximumRecordAgeInSeconds?: number;
  /** `destinationConfig.onFailure.destinationArn`: where a given-up batch's metadata goes (an SQS queue). */
  onFailure?: Value;
}

export interface BucketNotification {
  name: string;
  bucket: string;
  function?: string;
  queue?: Value;
  topic?: Value;
  events: string[];
  filterPrefix?: string;
  filterSuffix?: string;
}

export interface TopicSubscription {
  name: string;
  topic: string;
  function?: string;
  queue?: string | Value;
  filter?: Value;
  /** `transform.subscription.rawMessageDelivery`: the bare message, not the SNS envelope, reaches the queue. */
  raw?: boolean;
  /** `transform.subscription.filterPolicyScope`: "MessageAttributes" (default) or "MessageBody". */
  filterPolicyScope?: string;
}

export interface QueueSubscription {
  name: string;
  queue: string;
  function: string;
  batchSize: number;
  partialResponses: boolean;
  filters: Value[];
  /** `batch.window` in seconds (recorded; batches go out as soon as messages arrive locally). */
  window?: number;
}

export interface StaticSiteRecord {
  name: string;
  path: string;
  build?: { command: string; output: string };
  errorPage?: string;
  indexPage: string;
  environment: Record<string, Value>;
  router?: string;
}

export interface RouterRoute {
  router: string;
  pattern: string;
  kind: "url" | "bucket" | "site";
  /** url routes: the target url (usually a ref to an API's url); bucket/site routes: the component. */
  target: Value;
  rewrite?: { regex: string; to: string };
}

export interface Topology {
  app: { name: string; stage: string; removal?: string; protect?: boolean; home?: string; region?: string };
  /** Absolute app root (the folder of sst.config.ts). */
  root: string;
  resources: ResourceRecord[];
  functions: FunctionRecord[];
  httpRoutes: HttpRoute[];
  httpAuthorizers: HttpAuthorizer[];
  wsRoutes: WsRoute[];
  wsAuthorizers: WsAuthorizer[];
  streamSubscriptions: StreamSubscription[];
  bucketNotifications: BucketNotification[];
  topicSubscriptions: TopicSubscription[];
  queueSubscriptions: QueueSubscription[];
  staticSites: StaticSiteRecord[];
  routerRoutes: RouterRoute[];
  /** Each Router's CloudFront distribution as SST builds it, after infra's transforms (behaviors and policy ids). */
  distributions?: { router: string; args: Value }[];
  /** Plain Pulumi resources infra declares (aws.cloudfront.ResponseHeadersPolicy, ...): recorded, not emulated. */
  pulumiResources: { type: string; name: string; args: Value }[];
  /** What run() returned. */
  outputs: Value;
}

export function isRef(v: unknown): v is Ref {
  return typeof v === "object" && v !== null && "$ref" in v && "attribute" in v;
}

export function isTemplate(v: unknown): v is Template {
  return typeof v === "object" && v !== null && "$template" in v;
}

/** Every ref a value holds (to learn, e.g., which pool an issuer points at). */
export function refsIn(v: Value | undefined): Ref[] {
  if (v === undefined || v === null || typeof v !== "object") return [];
  if (isRef(v)) return [v];
  if (isTemplate(v)) return v.$template.filter(isRef);
  if (Array.isArray(v)) return v.flatMap(refsIn);
  return Object.values(v).flatMap(refsIn);
}

export type RefResolver = (ref: Ref) => string;

/** Replaces refs with what the local cloud computed for them. */
export function resolveValue(v: Value, resolve: RefResolver): unknown {
  if (v === null || typeof v !== "object") return v;
  if (isRef(v)) return resolve(v);
  if (isTemplate(v)) {
    const text = v.$template.map((p) => (typeof p === "string" ? p : resolve(p))).join("");
    return text;
  }
  if (Array.isArray(v)) return v.map((x) => resolveValue(x, resolve));
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolveValue(x, resolve)]));
}
