// Query helpers over an evaluated app: the SST counterpart of CDK's Template.findResources & co.
import type { EvaluatedApp, FunctionBuild, MockedResource } from "./types";

export type Inputs = Record<string, unknown>;

export const T = {
  lambda: "aws:lambda/function:Function",
  sstFunction: "sst:aws:Function",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  policy: "aws:iam/policy:Policy",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  api: "aws:apigatewayv2/api:Api",
  route: "aws:apigatewayv2/route:Route",
  integration: "aws:apigatewayv2/integration:Integration",
  authorizer: "aws:apigatewayv2/authorizer:Authorizer",
  table: "aws:dynamodb/table:Table",
  bucket: "aws:s3/bucketV2:BucketV2",
  bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  publicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  bucketNotification: "aws:s3/bucketNotification:BucketNotification",
  bucketEncryption:
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
  queue: "aws:sqs/queue:Queue",
  queuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
  topic: "aws:sns/topic:Topic",
  subscription: "aws:sns/topicSubscription:TopicSubscription",
  eventSourceMapping: "aws:lambda/eventSourceMapping:EventSourceMapping",
  permission: "aws:lambda/permission:Permission",
  distribution: "aws:cloudfront/distribution:Distribution",
  responseHeadersPolicy: "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy",
  originAccessControl: "aws:cloudfront/originAccessControl:OriginAccessControl",
  userPool: "aws:cognito/userPool:UserPool",
} as const;

export interface Statement {
  Effect: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: unknown;
  Condition?: unknown;
}

export interface FunctionView {
  /** The `sst.aws.Function` component name (e.g. `Profile`, `RealtimeRouteConnectHandler`). */
  logicalName: string;
  lambda: MockedResource;
  role?: MockedResource;
  logGroup?: MockedResource;
  build?: FunctionBuild;
  /** `packages/functions/src/api/profile.handler` as given to SST. */
  handler: string;
  links: string[];
}

export interface RouteView {
  api: MockedResource;
  route: MockedResource;
  routeKey: string;
  integration?: MockedResource;
  authorizer?: MockedResource;
  fn?: FunctionView;
}

/**
 * A value Pulumi marks secret (e.g. the ARN of a function that links a secret) as the mocks hand it over:
 * `{secret: value}`. AWS sees the value.
 */
export const unsecret = (v: unknown): unknown =>
  v !== null && typeof v === "object" && "secret" in v ? (v as { secret: unknown }).secret : v;

const asArray = (v: unknown): string[] =>
  Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)];

export class InfraGraph {
  readonly resources: MockedResource[];
  constructor(readonly app: EvaluatedApp) {
    this.resources = app.resources;
  }

  get stage() {
    return this.app.stage;
  }

  findAll(type: string, predicate: (inputs: Inputs, r: MockedResource) => boolean = () => true) {
    return this.resources.filter((r) => r.type === type && predicate(r.inputs, r));
  }

  findOne(type: string, predicate: (inputs: Inputs, r: MockedResource) => boolean = () => true) {
    const found = this.findAll(type, predicate);
    if (found.length !== 1)
      throw new Error(`expected one ${type}, found ${found.length}: ${found.map((r) => r.name).join(", ")}`);
    return found[0] as MockedResource;
  }

  byName(type: string, name: string) {
    return this.resources.find((r) => r.type === type && r.name === name);
  }

  /** The resource whose id or arn (or arn-derived Lambda invoke ARN) is `ref`. */
  byRef(type: string, maybeSecret: unknown) {
    const ref = unsecret(maybeSecret);
    if (typeof ref !== "string") return undefined;
    return this.resources.find(
      (r) =>
        r.type === type &&
        (r.id === ref ||
          r.outputs.arn === ref ||
          r.outputs.invokeArn === ref ||
          r.outputs.name === ref ||
          r.outputs.url === ref ||
          r.outputs.streamArn === ref),
    );
  }

  childrenOf(parent: MockedResource) {
    const key = `${parent.type}::${parent.name}`;
    return this.resources.filter((r) => r.parent === key);
  }

  // ---- functions ----

  functions(): FunctionView[] {
    return this.findAll(T.sstFunction).map((c) => this.functionFor(c.name));
  }

  /** An `sst.aws.Function` by its component name, with its Lambda, role, log group and links. */
  functionFor(logicalName: string): FunctionView {
    const component = this.byName(T.sstFunction, logicalName);
    if (!component) throw new Error(`no sst.aws.Function named ${logicalName}`);
    const children = this.childrenOf(component);
    const lambda = children.find((r) => r.type === T.lambda);
    if (!lambda) throw new Error(`sst.aws.Function ${logicalName} has no Lambda function`);
    const build = this.app.builds.find((b) => b.functionID === logicalName);
    return {
      logicalName,
      lambda,
      role: children.find((r) => r.type === T.role),
      logGroup: children.find((r) => r.type === T.logGroup),
      build,
      handler: build?.handler ?? String(lambda.inputs.handler),
      links: build?.links ?? [],
    };
  }

  /** The function whose Lambda has this ARN / invoke ARN / name. */
  functionByLambdaRef(ref: unknown): FunctionView | undefined {
    const lambda = this.byRef(T.lambda, ref) ?? this.lambdaFromInvokeUri(ref);
    const component = lambda?.parent?.split("::")[1];
    return component ? this.functionFor(component) : undefined;
  }

  private lambdaFromInvokeUri(ref: unknown) {
    const m = typeof ref === "string" ? /functions\/(arn:[^/]+)\/invocations/.exec(ref) : null;
    return m ? this.byRef(T.lambda, m[1]) : undefined;
  }

  /** Every IAM statement that applies to the function's role (inline, role policies, attached policies). */
  policiesOf(fn: FunctionView): Statement[] {
    const statements: Statement[] = [];
    const push = (doc: unknown) => {
      const parsed = typeof doc === "string" ? (JSON.parse(doc) as { Statement?: unknown }) : doc;
      const list = (parsed as { Statement?: Statement | Statement[] } | undefined)?.Statement;
      if (list) statements.push(...(Array.isArray(list) ? list : [list]));
    };
    if (!fn.role) return statements;
    for (const p of (fn.role.inputs.inlinePolicies as { policy?: string }[] | undefined) ?? [])
      push(p.policy);
    const roleName = fn.role.outputs.name ?? fn.role.id;
    for (const rp of this.findAll(
      T.rolePolicy,
      (i) => i.role === roleName || i.role === fn.role?.outputs.arn,
    ))
      push(rp.inputs.policy);
    return statements;
  }

  /** Managed policy ARNs attached to the function's role. */
  managedPoliciesOf(fn: FunctionView): string[] {
    return asArray(fn.role?.inputs.managedPolicyArns);
  }

  eventSourceMappingsOf(fn: FunctionView) {
    return this.findAll(T.eventSourceMapping, (i) =>
      [fn.lambda.outputs.arn, fn.lambda.outputs.name].includes(unsecret(i.functionName)),
    );
  }

  // ---- APIs ----

  httpApis() {
    return this.findAll(T.api, (i) => i.protocolType === "HTTP");
  }

  webSocketApis() {
    return this.findAll(T.api, (i) => i.protocolType === "WEBSOCKET");
  }

  routes(api?: MockedResource): RouteView[] {
    return this.findAll(T.route, (i) => !api || i.apiId === api.id).map((route) => this.routeView(route));
  }

  httpRoutes() {
    return this.httpApis().flatMap((api) => this.routes(api));
  }

  wsRoutes() {
    return this.webSocketApis().flatMap((api) => this.routes(api));
  }

  /** `routeFor("POST /api/me")`: the route, its integration, its authorizer and the Lambda it targets. */
  routeFor(routeKey: string, api?: MockedResource): RouteView {
    const found = this.routes(api).filter((r) => r.routeKey === routeKey);
    if (found.length !== 1) throw new Error(`expected one route "${routeKey}", found ${found.length}`);
    return found[0] as RouteView;
  }

  private routeView(route: MockedResource): RouteView {
    const api = this.resources.find((r) => r.type === T.api && r.id === route.inputs.apiId) as MockedResource;
    const target = String(route.inputs.target ?? "");
    const integration = target.startsWith("integrations/")
      ? this.resources.find((r) => r.type === T.integration && r.id === target.slice("integrations/".length))
      : undefined;
    const authorizer = route.inputs.authorizerId
      ? this.resources.find((r) => r.type === T.authorizer && r.id === route.inputs.authorizerId)
      : undefined;
    return {
      api,
      route,
      routeKey: String(route.inputs.routeKey),
      integration,
      authorizer,
      fn: integration ? this.functionByLambdaRef(integration.inputs.integrationUri) : undefined,
    };
  }

  // ---- data and messaging ----

  tables() {
    return this.findAll(T.table);
  }

  queues() {
    return this.findAll(T.queue);
  }

  topics() {
    return this.findAll(T.topic);
  }

  buckets() {
    return this.findAll(T.bucket);
  }

  /** The `sst.aws.*` component a resource belongs to (its parent's name), e.g. `Media` for `MediaBucket`. */
  componentOf(r: MockedResource) {
    return r.parent?.split("::")[1];
  }
}

export const statementList = (s: Statement, key: "Action" | "Resource" | "NotAction" | "NotResource") =>
  asArray(s[key]);
