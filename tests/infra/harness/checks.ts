// Pure checks, so the main suite and the negative fixtures share them and expect `[]` or a precise problem.
import type { CodeReads } from "./code-reads";
import { type FunctionView, type InfraGraph, type Statement, statementList, T } from "./graph";
import type { MockedResource } from "./types";

export interface Problem {
  check: string;
  subject: string;
  message: string;
}

const problem = (check: string, subject: string, message: string): Problem => ({ check, subject, message });
const s = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

// ---------------------------------------------------------------- wiring

export interface HttpRouteRules {
  /** Routes callable without a token. */
  publicRoutes: string[];
}

/** Every HTTP route targets a Lambda and uses the JWT authorizer, except the listed public routes. */
export function checkHttpRoutes(graph: InfraGraph, rules: HttpRouteRules): Problem[] {
  const out: Problem[] = [];
  const routes = graph.httpRoutes();
  for (const r of routes) {
    const key = r.routeKey;
    if (r.integration?.inputs.integrationType !== "AWS_PROXY" || !r.fn) {
      out.push(problem("http-route", key, `${key} does not target a Lambda function`));
      continue;
    }
    const isPublic = rules.publicRoutes.includes(key);
    const authType = r.route.inputs.authorizationType ?? "NONE";
    if (isPublic) {
      if (authType !== "NONE")
        out.push(problem("http-route", key, `${key} is public but requires ${s(authType)} authorization`));
      continue;
    }
    if (authType !== "JWT" || !r.authorizer) {
      out.push(
        problem(
          "http-route",
          key,
          `${key} has no JWT authorizer (authorizationType ${s(authType)}) and is not public`,
        ),
      );
      continue;
    }
    const jwt = r.authorizer.inputs.jwtConfiguration as { issuer?: string; audiences?: string[] } | undefined;
    if (
      r.authorizer.inputs.authorizerType !== "JWT" ||
      !jwt?.issuer?.includes("cognito-idp") ||
      !jwt.audiences?.length
    )
      out.push(
        problem(
          "http-route",
          key,
          `${key} uses authorizer ${r.authorizer.name}, which is not the Cognito JWT`,
        ),
      );
  }
  for (const key of rules.publicRoutes)
    if (!routes.some((r) => r.routeKey === key))
      out.push(problem("http-route", key, `public route ${key} is missing from the HTTP API`));
  return out;
}

export interface RouteTableRow {
  lambda: string;
  method: string;
  path: string;
  auth: "jwt" | "public";
}

export interface OpenApiPaths {
  paths?: Record<string, Record<string, unknown>>;
}

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** The HTTP API deploys exactly the route table (key, Lambda, JWT or none); the table is the OpenAPI document. */
export function checkRouteTable(
  graph: InfraGraph,
  table: readonly RouteTableRow[],
  document: OpenApiPaths,
): Problem[] {
  const out: Problem[] = [];
  const keyOf = (row: RouteTableRow) => `${row.method} ${row.path}`;
  const rows = new Map<string, RouteTableRow>(table.map((row) => [keyOf(row), row]));
  const deployed = graph.httpRoutes();
  for (const r of deployed) {
    const key = r.routeKey;
    const row = rows.get(key);
    if (!row) {
      out.push(problem("route-table", key, `${key} is deployed but not in the route table`));
      continue;
    }
    if (deployed.filter((d) => d.routeKey === key).length > 1)
      out.push(problem("route-table", key, `${key} is deployed more than once`));
    if (r.fn?.logicalName !== row.lambda)
      out.push(
        problem(
          "route-table",
          key,
          `${key} goes to ${s(r.fn?.logicalName)}, the route table says ${row.lambda}`,
        ),
      );
    const auth = r.route.inputs.authorizationType ?? "NONE";
    if (auth !== (row.auth === "jwt" ? "JWT" : "NONE"))
      out.push(
        problem("route-table", key, `${key} has authorization ${s(auth)}, the route table says ${row.auth}`),
      );
  }
  for (const key of rows.keys())
    if (!deployed.some((r) => r.routeKey === key))
      out.push(problem("route-table", key, `${key} is in the route table but not deployed`));

  const documented = new Map<string, RouteTableRow["auth"]>(
    Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => HTTP_METHODS.includes(method))
        .map(([method, operation]) => {
          const security = (operation as { security?: unknown[] }).security;
          return [`${method.toUpperCase()} ${path}`, security?.length ? "jwt" : "public"] as const;
        }),
    ),
  );
  for (const [key, row] of rows) {
    const auth = documented.get(key);
    if (!auth)
      out.push(problem("route-table", key, `${key} is in the route table but not in the OpenAPI document`));
    else if (auth !== row.auth)
      out.push(
        problem(
          "route-table",
          key,
          `${key} is ${row.auth} in the route table but ${auth} in the OpenAPI document`,
        ),
      );
  }
  for (const key of documented.keys())
    if (!rows.has(key))
      out.push(problem("route-table", key, `${key} is in the OpenAPI document but not in the route table`));
  return out;
}

/** CQRS: GET routes go to the Query Lambda; POST/PATCH/PUT/DELETE routes go to command Lambdas. */
export function checkCqrs(graph: InfraGraph, queryFunction = "Query"): Problem[] {
  const out: Problem[] = [];
  for (const r of graph.httpRoutes()) {
    if (!r.fn) continue;
    const method = r.routeKey.split(" ")[0];
    const fn = r.fn.logicalName;
    if (method === "GET" && fn !== queryFunction)
      out.push(
        problem(
          "cqrs",
          r.routeKey,
          `${r.routeKey} is a query but goes to ${fn}, not the ${queryFunction} Lambda`,
        ),
      );
    if (method !== "GET" && fn === queryFunction)
      out.push(
        problem("cqrs", r.routeKey, `${r.routeKey} is a command but goes to the ${queryFunction} Lambda`),
      );
  }
  return out;
}

/** The WebSocket `$connect` route uses a Lambda REQUEST authorizer fed by `?token=`; every route targets a Lambda. */
export function checkWebSocket(
  graph: InfraGraph,
  identitySource = "route.request.querystring.token",
): Problem[] {
  const out: Problem[] = [];
  for (const api of graph.webSocketApis()) {
    const routes = graph.routes(api);
    for (const r of routes)
      if (!r.fn)
        out.push(problem("websocket", r.routeKey, `WebSocket route ${r.routeKey} does not target a Lambda`));
    const connect = routes.find((r) => r.routeKey === "$connect");
    if (!connect) {
      out.push(problem("websocket", "$connect", `WebSocket API ${api.name} has no $connect route`));
      continue;
    }
    const a = connect.authorizer;
    if (connect.route.inputs.authorizationType !== "CUSTOM" || !a) {
      out.push(problem("websocket", "$connect", "$connect has no Lambda authorizer"));
      continue;
    }
    if (a.inputs.authorizerType !== "REQUEST")
      out.push(
        problem("websocket", "$connect", `$connect authorizer is ${s(a.inputs.authorizerType)}, not REQUEST`),
      );
    if (!graph.functionByLambdaRef(a.inputs.authorizerUri))
      out.push(problem("websocket", "$connect", "$connect authorizer does not invoke a Lambda of this app"));
    const sources = (a.inputs.identitySources as string[] | undefined) ?? [];
    if (!sources.includes(identitySource))
      out.push(
        problem(
          "websocket",
          "$connect",
          `$connect authorizer reads ${s(sources)}, expected ${identitySource}`,
        ),
      );
  }
  return out;
}

const reportsBatchFailures = (esm: MockedResource) =>
  ((esm.inputs.functionResponseTypes as string[] | undefined) ?? []).includes("ReportBatchItemFailures");

/** Subscriber components (`sst:aws:<Kind>LambdaSubscriber`) and the event source mapping each must own. */
function checkMappings(graph: InfraGraph, kind: string, componentType: string, sources: MockedResource[]) {
  const out: Problem[] = [];
  for (const sub of graph.findAll(componentType)) {
    const fnComponent = graph.childrenOf(sub).find((r) => r.type === T.sstFunction);
    const fn = fnComponent ? graph.functionFor(fnComponent.name) : undefined;
    const esms = graph.childrenOf(sub).filter((r) => r.type === T.eventSourceMapping);
    if (!fn || esms.length === 0) {
      out.push(problem(kind, sub.name, `${sub.name} has no event source mapping to its function`));
      continue;
    }
    for (const esm of esms) {
      if (
        esm.inputs.functionName !== fn.lambda.outputs.name &&
        esm.inputs.functionName !== fn.lambda.outputs.arn
      )
        out.push(problem(kind, sub.name, `${esm.name} does not invoke ${fn.logicalName}`));
      if (!sources.some((src) => graph.byRef(src.type, esm.inputs.eventSourceArn) === src))
        out.push(
          problem(kind, sub.name, `${esm.name} reads ${s(esm.inputs.eventSourceArn)}, not a ${kind} source`),
        );
      if (!reportsBatchFailures(esm))
        out.push(
          problem(
            kind,
            sub.name,
            `${esm.name} does not report partial batch failures (ReportBatchItemFailures)`,
          ),
        );
    }
  }
  return out;
}

/** Each table stream subscriber has an event source mapping on the table's stream (with partial batch responses). */
export function checkStreamSubscriptions(graph: InfraGraph): Problem[] {
  const out = checkMappings(graph, "stream", "sst:aws:DynamoLambdaSubscriber", graph.tables());
  for (const esm of graph.findAll(T.eventSourceMapping, (i) =>
    String(i.eventSourceArn).includes(":dynamodb:"),
  ))
    if (!graph.resources.some((r) => r.type === T.table && r.outputs.streamArn === esm.inputs.eventSourceArn))
      out.push(problem("stream", esm.name, `${esm.name} reads a stream of no table in this app`));
  for (const t of graph.tables())
    if (graph.findAll("sst:aws:DynamoLambdaSubscriber").length > 0 && !t.inputs.streamEnabled)
      out.push(problem("stream", t.name, `${t.name} has subscribers but no stream`));
  return out;
}

/** Each queue consumer has an event source mapping on its queue (with partial batch responses). */
export function checkQueueConsumers(graph: InfraGraph): Problem[] {
  return checkMappings(graph, "queue", "sst:aws:QueueLambdaSubscriber", graph.queues());
}

/** SNS → SQS: a subscription from the topic to the queue and a queue policy letting that topic send. */
export function checkTopicSubscriptions(graph: InfraGraph): Problem[] {
  const out: Problem[] = [];
  for (const sub of graph.findAll(T.subscription)) {
    const topic = graph.byRef(T.topic, sub.inputs.topic);
    if (!topic)
      out.push(problem("sns", sub.name, `${sub.name} subscribes to a topic that is not in this app`));
    if (sub.inputs.protocol === "sqs") {
      const queue = graph.byRef(T.queue, sub.inputs.endpoint);
      if (!queue) {
        out.push(problem("sns", sub.name, `${sub.name} delivers to a queue that is not in this app`));
        continue;
      }
      const allowed = graph
        .findAll(T.queuePolicy, (i) => i.queueUrl === queue.outputs.url)
        .flatMap((p) => parsePolicy(p.inputs.policy))
        .some(
          (st) =>
            st.Effect === "Allow" &&
            statementList(st, "Action").some((a) => a === "sqs:SendMessage" || a === "sqs:*") &&
            statementList(st, "Resource").includes(String(queue.outputs.arn)) &&
            JSON.stringify(st.Principal ?? "").includes("sns.amazonaws.com"),
        );
      if (!allowed)
        out.push(
          problem("sns", sub.name, `no policy on queue ${queue.name} lets topic ${topic?.name} send to it`),
        );
    }
    if (sub.inputs.protocol === "lambda") {
      const fn = graph.functionByLambdaRef(sub.inputs.endpoint);
      if (!fn) out.push(problem("sns", sub.name, `${sub.name} delivers to a Lambda that is not in this app`));
      else if (
        !graph.findAll(
          T.permission,
          (i) => i.principal === "sns.amazonaws.com" && i.function === fn.lambda.outputs.arn,
        ).length
      )
        out.push(problem("sns", sub.name, `${fn.logicalName} does not allow SNS to invoke it`));
    }
  }
  return out;
}

/** Bucket notifications name buckets of this app and targets that exist (and may be invoked by S3). */
export function checkBucketNotifications(graph: InfraGraph): Problem[] {
  const out: Problem[] = [];
  for (const n of graph.findAll(T.bucketNotification)) {
    const bucket = graph.byRef(T.bucket, n.inputs.bucket);
    if (!bucket) out.push(problem("bucket-notification", n.name, `${n.name} is on a bucket not in this app`));
    for (const target of (n.inputs.lambdaFunctions as { lambdaFunctionArn?: string }[] | undefined) ?? []) {
      const fn = graph.functionByLambdaRef(target.lambdaFunctionArn);
      if (!fn) out.push(problem("bucket-notification", n.name, `${n.name} targets a Lambda not in this app`));
      else if (
        !graph.findAll(
          T.permission,
          (i) => i.principal === "s3.amazonaws.com" && i.function === fn.lambda.outputs.arn,
        ).length
      )
        out.push(problem("bucket-notification", n.name, `${fn.logicalName} does not allow S3 to invoke it`));
    }
    for (const target of (n.inputs.queues as { queueArn?: string }[] | undefined) ?? [])
      if (!graph.byRef(T.queue, target.queueArn))
        out.push(problem("bucket-notification", n.name, `${n.name} targets a queue not in this app`));
    for (const target of (n.inputs.topics as { topicArn?: string }[] | undefined) ?? [])
      if (!graph.byRef(T.topic, target.topicArn))
        out.push(problem("bucket-notification", n.name, `${n.name} targets a topic not in this app`));
  }
  return out;
}

/** Each function links exactly what its code reads (`Resource.<Name>` in the files its handler bundles). */
export function checkLinks(graph: InfraGraph, readsByHandler: Record<string, CodeReads>): Problem[] {
  const out: Problem[] = [];
  for (const fn of graph.functions()) {
    const code = readsByHandler[fn.handler];
    if (!code) {
      out.push(problem("links", fn.logicalName, `${fn.logicalName}: no handler file for ${fn.handler}`));
      continue;
    }
    for (const name of code.reads)
      if (!fn.links.includes(name))
        out.push(
          problem(
            "links",
            fn.logicalName,
            `${fn.logicalName} reads Resource.${name} (${code.where[name]?.[0]}) but does not link ${name}`,
          ),
        );
    for (const name of fn.links)
      if (!code.reads.includes(name))
        out.push(
          problem(
            "links",
            fn.logicalName,
            `${fn.logicalName} links ${name} but its code never reads Resource.${name}`,
          ),
        );
  }
  return out;
}

// ---------------------------------------------------------------- posture

export interface PrivateBucketRules {
  /** Keys CloudFront may read (`public/*`); anything else in the bucket stays unreadable to it. */
  readable: string[];
}

/** Originals carry EXIF, so only this app's distribution may read, and only the served prefixes. */
export function checkPrivateBucket(
  graph: InfraGraph,
  component: string,
  rules: PrivateBucketRules = { readable: ["*"] },
): Problem[] {
  const out: Problem[] = [];
  const bucket = graph.findAll(T.bucket).find((b) => graph.componentOf(b) === component);
  if (!bucket) return [problem("bucket", component, `no bucket ${component}`)];
  const name = bucket.outputs.bucket;
  const pab = graph.findAll(T.publicAccessBlock, (i) => i.bucket === name)[0];
  for (const flag of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"])
    if (pab?.inputs[flag] !== true)
      out.push(problem("bucket", component, `${component} does not set ${flag}`));
  const statements = graph
    .findAll(T.bucketPolicy, (i) => i.bucket === name)
    .flatMap((p) => parsePolicy(p.inputs.policy));
  for (const st of statements.filter((x) => x.Effect === "Allow")) {
    const principal = JSON.stringify(st.Principal ?? "");
    if (principal !== JSON.stringify({ Service: ["cloudfront.amazonaws.com"] }))
      out.push(problem("bucket", component, `${component} policy allows ${principal}, not only CloudFront`));
    if (statementList(st, "Action").some((a) => a !== "s3:GetObject"))
      out.push(
        problem("bucket", component, `${component} policy allows ${s(st.Action)} beyond s3:GetObject`),
      );
    const distributions = graph.findAll(T.distribution).map((d) => String(d.outputs.arn));
    const conditions = (st.Condition ?? {}) as Record<string, Record<string, unknown> | undefined>;
    const sources = ["StringEquals", "ArnEquals"].flatMap((test) =>
      [conditions[test]?.["AWS:SourceArn"] ?? conditions[test]?.["aws:SourceArn"] ?? []].flat().map(String),
    );
    if (
      principal.includes("cloudfront") &&
      (sources.length === 0 || !sources.every((arn) => distributions.includes(arn)))
    )
      out.push(
        problem(
          "bucket",
          component,
          `${component} policy lets any CloudFront distribution read it (no AWS:SourceArn condition naming this app's distribution)`,
        ),
      );
    const readable = rules.readable.map((key) => `${bucket.outputs.arn}/${key}`);
    for (const resource of statementList(st, "Resource"))
      if (!readable.includes(resource))
        out.push(
          problem(
            "bucket",
            component,
            `${component} policy lets ${principal} read ${resource}, beyond ${rules.readable.join(", ")}`,
          ),
        );
  }
  if (!statements.some((x) => x.Effect === "Allow"))
    out.push(problem("bucket", component, `${component} policy does not let CloudFront (OAC) read it`));
  if (
    !statements.some(
      (x) => x.Effect === "Deny" && JSON.stringify(x.Condition ?? "").includes("aws:SecureTransport"),
    )
  )
    out.push(problem("bucket", component, `${component} policy does not deny requests without TLS`));
  // The Router's CloudFront function signs bucket routes with OAC (originAccessControlConfig, sigv4).
  const routed = graph
    .findAll("pulumi-nodejs:dynamic:Resource", (i) => typeof i.entries === "object")
    .some((kv) =>
      String((kv.inputs.entries as Record<string, string>).metadata ?? "").includes(String(name)),
    );
  if (!routed)
    out.push(problem("bucket", component, `${component} is not served through the Router (CloudFront)`));
  return out;
}

/** Encryption at rest: table SSE, queues not opting out of SSE, topics with a KMS key. Buckets: see below. */
export function checkEncryption(graph: InfraGraph): Problem[] {
  const out: Problem[] = [];
  for (const t of graph.tables())
    if ((t.inputs.serverSideEncryption as { enabled?: boolean } | undefined)?.enabled !== true)
      out.push(problem("encryption", t.name, `table ${t.name} does not enable server-side encryption (KMS)`));
  for (const q of graph.queues())
    if (q.inputs.sqsManagedSseEnabled === false && !q.inputs.kmsMasterKeyId)
      out.push(problem("encryption", q.name, `queue ${q.name} turns off server-side encryption`));
  for (const t of graph.topics())
    if (!t.inputs.kmsMasterKeyId)
      out.push(problem("encryption", t.name, `topic ${t.name} has no kmsMasterKeyId`));
  // S3 always encrypts (SSE-S3), so only a weaker explicit configuration is a problem.
  for (const c of graph.findAll(T.bucketEncryption)) {
    const rules = JSON.stringify(c.inputs.rules ?? "");
    if (!rules.includes("AES256") && !rules.includes("aws:kms"))
      out.push(problem("encryption", c.name, `${c.name} does not configure AES256 or aws:kms`));
  }
  return out;
}

export function checkPointInTimeRecovery(graph: InfraGraph): Problem[] {
  return graph
    .tables()
    .filter((t) => (t.inputs.pointInTimeRecovery as { enabled?: boolean } | undefined)?.enabled !== true)
    .map((t) => problem("pitr", t.name, `table ${t.name} has no point-in-time recovery`));
}

/** Every queue that is not itself a DLQ redrives to a DLQ of this app after a bounded maxReceiveCount. */
export function checkDeadLetterQueues(graph: InfraGraph): Problem[] {
  const out: Problem[] = [];
  const redrive = (q: MockedResource) => {
    const raw = q.inputs.redrivePolicy;
    if (!raw) return undefined;
    return (typeof raw === "string" ? JSON.parse(raw) : raw) as {
      deadLetterTargetArn?: string;
      maxReceiveCount?: number;
    };
  };
  const dlqArns = new Set(graph.queues().flatMap((q) => redrive(q)?.deadLetterTargetArn ?? []));
  for (const q of graph.queues()) {
    if (dlqArns.has(String(q.outputs.arn))) continue;
    const policy = redrive(q);
    if (!policy?.deadLetterTargetArn) {
      out.push(problem("dlq", q.name, `queue ${q.name} has no dead-letter queue`));
      continue;
    }
    if (!graph.byRef(T.queue, policy.deadLetterTargetArn))
      out.push(problem("dlq", q.name, `queue ${q.name} redrives to a queue not in this app`));
    const max = Number(policy.maxReceiveCount);
    if (!Number.isInteger(max) || max < 1 || max > 10)
      out.push(
        problem("dlq", q.name, `queue ${q.name} maxReceiveCount is ${s(policy.maxReceiveCount)}, not 1..10`),
      );
  }
  return out;
}

/** Queue policies that let AWS services send must say from where (aws:SourceArn / aws:SourceAccount). */
export function checkQueuePolicies(graph: InfraGraph): Problem[] {
  const out: Problem[] = [];
  for (const p of graph.findAll(T.queuePolicy)) {
    const queue = graph.byRef(T.queue, p.inputs.queueUrl);
    for (const st of parsePolicy(p.inputs.policy).filter((x) => x.Effect === "Allow")) {
      const services = (st.Principal as { Service?: string | string[] } | undefined)?.Service;
      const condition = JSON.stringify(st.Condition ?? "");
      if (services && !/aws:Source(Arn|Account)/i.test(condition))
        out.push(
          problem(
            "queue-policy",
            p.name,
            `${p.name} lets ${[services].flat().join(", ")} send to ${queue?.name ?? "a queue"} from any account (no aws:SourceArn or aws:SourceAccount condition)`,
          ),
        );
    }
  }
  return out;
}

/** SST's own defaults (sst.aws.Function): a value equal to these was most likely never chosen. */
export const SST_FUNCTION_DEFAULTS = { timeout: 20, memorySize: 1024 };

/** Active tracing, bounded log retention, deliberate timeout and memory on every function. */
export function checkFunctions(graph: InfraGraph): Problem[] {
  const out: Problem[] = [];
  for (const fn of graph.functions()) {
    const i = fn.lambda.inputs;
    const name = fn.logicalName;
    if ((i.tracingConfig as { mode?: string } | undefined)?.mode !== "Active")
      out.push(problem("function", name, `${name} has no active X-Ray tracing`));
    const retention = fn.logGroup?.inputs.retentionInDays;
    if (!fn.logGroup) out.push(problem("function", name, `${name} has no log group of its own`));
    else if (typeof retention !== "number" || retention <= 0)
      out.push(problem("function", name, `${name} keeps logs forever (no retentionInDays)`));
    if (i.timeout === undefined || i.timeout === SST_FUNCTION_DEFAULTS.timeout)
      out.push(
        problem("function", name, `${name} timeout is SST's default ${SST_FUNCTION_DEFAULTS.timeout} s`),
      );
    if (i.memorySize === undefined || i.memorySize === SST_FUNCTION_DEFAULTS.memorySize)
      out.push(
        problem("function", name, `${name} memory is SST's default ${SST_FUNCTION_DEFAULTS.memorySize} MB`),
      );
  }
  return out;
}

/** Security policies CloudFront offers that refuse TLS below 1.2 and weak ciphers (2021 and later). */
export const MODERN_TLS_POLICIES = ["TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"];

/** AWS fixes the TLS policy of the default *.cloudfront.net certificate, so the floor is for custom domains. */
export function checkCloudFront(graph: InfraGraph): Problem[] {
  const out: Problem[] = [];
  for (const d of graph.findAll(T.distribution)) {
    const cert = (d.inputs.viewerCertificate ?? {}) as Record<string, unknown>;
    if (cert.acmCertificateArn || cert.iamCertificateId) {
      if (!MODERN_TLS_POLICIES.includes(String(cert.minimumProtocolVersion)))
        out.push(
          problem(
            "cloudfront",
            d.name,
            `${d.name} accepts viewers on ${s(cert.minimumProtocolVersion ?? "TLSv1")}, not ${MODERN_TLS_POLICIES.join(" or ")}`,
          ),
        );
    } else if (cert.cloudfrontDefaultCertificate !== true)
      out.push(problem("cloudfront", d.name, `${d.name} has no viewer certificate`));
    const behaviors = [
      d.inputs.defaultCacheBehavior as Record<string, unknown>,
      ...((d.inputs.orderedCacheBehaviors as Record<string, unknown>[] | undefined) ?? []),
    ];
    for (const [index, b] of behaviors.entries()) {
      const where = index === 0 ? "default behavior" : `behavior ${s(b.pathPattern)}`;
      if (b.viewerProtocolPolicy !== "redirect-to-https" && b.viewerProtocolPolicy !== "https-only")
        out.push(problem("cloudfront", d.name, `${d.name} ${where} allows ${s(b.viewerProtocolPolicy)}`));
      const policy = graph.resources.find(
        (r) => r.type === T.responseHeadersPolicy && r.id === b.responseHeadersPolicyId,
      );
      if (!policy) {
        out.push(problem("cloudfront", d.name, `${d.name} ${where} has no response headers policy`));
        continue;
      }
      const h = (policy.inputs.securityHeadersConfig ?? {}) as Record<
        string,
        Record<string, unknown> | undefined
      >;
      if (Number(h.strictTransportSecurity?.accessControlMaxAgeSec ?? 0) < 31536000)
        out.push(problem("cloudfront", d.name, `${policy.name} has no HSTS of at least one year`));
      const csp = String(h.contentSecurityPolicy?.contentSecurityPolicy ?? "");
      for (const directive of ["default-src", "frame-ancestors", "object-src 'none'"])
        if (!csp.includes(directive))
          out.push(problem("cloudfront", d.name, `${policy.name} CSP lacks ${directive}`));
      if (!h.contentTypeOptions)
        out.push(problem("cloudfront", d.name, `${policy.name} does not send nosniff`));
      if (!["DENY", "SAMEORIGIN"].includes(String(h.frameOptions?.frameOption)))
        out.push(problem("cloudfront", d.name, `${policy.name} sends no X-Frame-Options`));
    }
  }
  return out;
}

// ---------------------------------------------------------------- IAM wildcards

export interface Wildcard {
  /** Who holds it: the function's logical name, or the role/policy resource name. */
  owner: string;
  kind: "action" | "resource" | "managed-policy";
  value: string;
}

export interface AllowedWildcard {
  owner: string | RegExp;
  kind: Wildcard["kind"];
  value: string | RegExp;
  reason: string;
}

const matches = (pattern: string | RegExp, value: string) =>
  typeof pattern === "string" ? pattern === value : pattern.test(value);

/** Every `*` in an Allow statement (action or resource) and every managed policy, per owner. */
export function findWildcards(graph: InfraGraph): Wildcard[] {
  const found: Wildcard[] = [];
  const fnByRole = new Map<string, FunctionView>();
  for (const fn of graph.functions()) if (fn.role) fnByRole.set(fn.role.name, fn);
  const add = (owner: string, statements: Statement[]) => {
    for (const st of statements.filter((x) => x.Effect === "Allow")) {
      for (const a of [...statementList(st, "Action"), ...statementList(st, "NotAction")])
        if (a.includes("*")) found.push({ owner, kind: "action", value: a });
      for (const r of [...statementList(st, "Resource"), ...statementList(st, "NotResource")])
        if (r.includes("*")) found.push({ owner, kind: "resource", value: r });
    }
  };
  for (const role of graph.findAll(T.role)) {
    const fn = fnByRole.get(role.name);
    const owner = fn?.logicalName ?? role.name;
    add(
      owner,
      fn
        ? graph.policiesOf(fn)
        : ((role.inputs.inlinePolicies as { policy?: string }[] | undefined) ?? []).flatMap((p) =>
            parsePolicy(p.policy),
          ),
    );
    for (const arn of (role.inputs.managedPolicyArns as string[] | undefined) ?? [])
      found.push({ owner, kind: "managed-policy", value: arn });
  }
  for (const p of graph.findAll(T.policy)) add(p.name, parsePolicy(p.inputs.policy));
  const unique = new Map(found.map((w) => [`${w.owner}|${w.kind}|${w.value}`, w]));
  return [...unique.values()];
}

/** Wildcards nobody explained: each needs an entry (with a reason) in the allow-list. */
export function checkWildcards(graph: InfraGraph, allowed: AllowedWildcard[]): Problem[] {
  return findWildcards(graph)
    .filter(
      (w) =>
        !allowed.some((a) => a.kind === w.kind && matches(a.owner, w.owner) && matches(a.value, w.value)),
    )
    .map((w) =>
      problem(
        "iam",
        w.owner,
        `${w.owner} is granted ${w.kind === "managed-policy" ? "managed policy" : `wildcard ${w.kind}`} ${w.value} with no reason in the allow-list`,
      ),
    );
}

// ---------------------------------------------------------------- stages

const isDataBucket = (graph: InfraGraph, b: MockedResource) => {
  const component = graph.byName("sst:aws:Bucket", graph.componentOf(b) ?? "");
  return !component?.parent; // a site's asset bucket (parent StaticSite) is rebuilt on every deploy
};

/** Production keeps its data (retain on delete, deletion protection); personal stages remove everything. */
export function checkRemoval(graph: InfraGraph, accountLevel: string[] = []): Problem[] {
  const out: Problem[] = [];
  const production = graph.stage === "production";
  const tables = graph.tables();
  const buckets = graph.buckets().filter((b) => isDataBucket(graph, b));
  const pools = graph.findAll(T.userPool);
  if (production) {
    for (const r of [...tables, ...buckets])
      if (r.retainOnDelete !== true)
        out.push(problem("removal", r.name, `${r.name} is not retained on delete in production`));
    for (const t of tables)
      if (t.inputs.deletionProtectionEnabled !== true)
        out.push(problem("removal", t.name, `${t.name} has no deletion protection in production`));
    for (const p of pools)
      if (p.inputs.deletionProtection !== "ACTIVE")
        out.push(problem("removal", p.name, `${p.name} has no deletion protection in production`));
    if (graph.app.app.protect !== true)
      out.push(problem("removal", "app", "production is not protected from sst remove"));
    return out;
  }
  for (const r of graph.resources)
    if ((r.retainOnDelete || r.protect) && !accountLevel.includes(r.type))
      out.push(problem("removal", r.name, `${r.name} would survive removing personal stage ${graph.stage}`));
  for (const t of tables)
    if (t.inputs.deletionProtectionEnabled === true)
      out.push(
        problem("removal", t.name, `${t.name} has deletion protection in personal stage ${graph.stage}`),
      );
  for (const b of buckets)
    if (b.inputs.forceDestroy !== true)
      out.push(
        problem("removal", b.name, `${b.name} cannot be removed while it holds objects (no forceDestroy)`),
      );
  for (const p of pools)
    if (p.inputs.deletionProtection === "ACTIVE")
      out.push(
        problem("removal", p.name, `${p.name} has deletion protection in personal stage ${graph.stage}`),
      );
  return out;
}

// ---------------------------------------------------------------- helpers

export function parsePolicy(doc: unknown): Statement[] {
  if (!doc) return [];
  const parsed = (typeof doc === "string" ? JSON.parse(doc) : doc) as { Statement?: Statement | Statement[] };
  const list = parsed.Statement ?? [];
  return Array.isArray(list) ? list : [list];
}
