// Data posture: private buckets, encryption at rest, recovery, dead-letter queues, queue policies.
import { type InfraGraph, statementList, T } from "../graph";
import type { MockedResource } from "../types";
import { failureQueues } from "./failures";
import { type Problem, parsePolicy, problem, s } from "./shared";

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
  // An on-failure destination is itself the end of the line, like a DLQ.
  for (const q of failureQueues(graph)) dlqArns.add(String(q.outputs.arn));
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

/**
 * stream-view: the subscribers read both images (a deleted item's old image, a rename's before and after), so
 * the table's stream must carry NEW_AND_OLD_IMAGES. AWS: "Change data capture for DynamoDB Streams",
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html ("StreamViewType").
 */
export function checkStreamView(graph: InfraGraph, viewType = "NEW_AND_OLD_IMAGES"): Problem[] {
  const out: Problem[] = [];
  for (const t of graph.tables()) {
    if (t.inputs.streamEnabled !== true)
      out.push(problem("stream-view", t.name, `table ${t.name} has no stream`));
    else if (t.inputs.streamViewType !== viewType)
      out.push(
        problem(
          "stream-view",
          t.name,
          `table ${t.name} streams ${s(t.inputs.streamViewType)}, not ${viewType}`,
        ),
      );
  }
  return out;
}

/** What a stream subscriber is for: the handler it runs and the records (filter patterns) it is sent. */
export interface StreamSubscriberIntent {
  handler: string;
  /** Lambda event filter patterns, as objects; `[]` means every record. */
  filters: unknown[];
}

const patternsOf = (esm: MockedResource) =>
  ((esm.inputs.filterCriteria as { filters?: { pattern?: unknown }[] } | undefined)?.filters ?? []).map(
    (f) => (typeof f.pattern === "string" ? JSON.parse(f.pattern) : f.pattern),
  );

// Key order is not meaning: compare patterns with keys sorted.
const canonical = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(canonical)
    : v && typeof v === "object"
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([k, x]) => [k, canonical(x)]),
        )
      : v;
const same = (a: unknown[], b: unknown[]) =>
  JSON.stringify(a.map((x) => JSON.stringify(canonical(x))).sort()) ===
  JSON.stringify(b.map((x) => JSON.stringify(canonical(x))).sort());

/**
 * stream-subscribers: each reader of the table's stream runs the handler it is meant to and receives exactly the
 * records its filter names, and no other reader exists. AWS: "Control which events Lambda sends to your function",
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html
 */
export function checkStreamSubscribers(graph: InfraGraph, expected: StreamSubscriberIntent[]): Problem[] {
  const out: Problem[] = [];
  const streams = new Set(graph.tables().map((t) => String(t.outputs.streamArn)));
  const readers = graph
    .findAll(T.eventSourceMapping, (i) => streams.has(String(i.eventSourceArn)))
    .map((esm) => ({ esm, fn: graph.functionByLambdaRef(esm.inputs.functionName) }));
  for (const want of expected) {
    const found = readers.filter((r) => r.fn?.handler === want.handler);
    if (found.length !== 1)
      out.push(
        problem(
          "stream-subscribers",
          want.handler,
          `${found.length} stream readers run ${want.handler}, not 1`,
        ),
      );
    for (const { esm } of found)
      if (!same(patternsOf(esm), want.filters))
        out.push(
          problem(
            "stream-subscribers",
            want.handler,
            `${want.handler} is sent ${s(patternsOf(esm))}, not ${s(want.filters)}`,
          ),
        );
  }
  for (const { esm, fn } of readers)
    if (!expected.some((want) => want.handler === fn?.handler))
      out.push(
        problem(
          "stream-subscribers",
          esm.name,
          `${esm.name} reads the stream for ${fn?.handler ?? "no function"}`,
        ),
      );
  return out;
}

const ES_HTTP = /^es:ESHttp(Get|Head|Post|Put|Delete|Patch|\*)$/;

/**
 * search-iam-access: the search domain is reached with IAM (SigV4) only. No fine-grained access control internal
 * user (its master password would sit in every linked function), an access policy for this account's principals,
 * never "*", and only the functions meant to search or index hold es:ESHttp* on it. AWS: "Identity and Access
 * Management in Amazon OpenSearch Service", https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ac.html
 */
export function checkSearchAccess(graph: InfraGraph, handlers: string[]): Problem[] {
  const out: Problem[] = [];
  for (const domain of graph.findAll("aws:opensearch/domain:Domain")) {
    const security = (domain.inputs.advancedSecurityOptions ?? {}) as {
      enabled?: boolean;
      internalUserDatabaseEnabled?: boolean;
      masterUserOptions?: { masterUserPassword?: string };
    };
    if (
      security.enabled &&
      (security.internalUserDatabaseEnabled || security.masterUserOptions?.masterUserPassword)
    )
      out.push(
        problem("search-access", domain.name, `${domain.name} has an internal master user with a password`),
      );
    const names = [String(domain.inputs.domainName), String(domain.outputs.arn).split("domain/")[1]];
    const policies = graph
      .findAll("aws:opensearch/domainPolicy:DomainPolicy", (i) => names.includes(String(i.domainName)))
      .flatMap((p) => parsePolicy(p.inputs.accessPolicies));
    if (policies.length === 0)
      out.push(problem("search-access", domain.name, `${domain.name} has no access policy`));
    for (const st of policies.filter((x) => x.Effect === "Allow")) {
      const principals = [(st.Principal as { AWS?: unknown } | undefined)?.AWS ?? st.Principal].flat().map(s);
      if (
        principals.some(
          (p) => p === "*" || p.includes('"*"') || !/^arn:aws:iam::\d{12}:(root|role\/.+)$/.test(p),
        )
      )
        out.push(
          problem(
            "search-access",
            domain.name,
            `${domain.name} policy allows ${principals.join(", ")}, not IAM principals`,
          ),
        );
      if (statementList(st, "Action").some((a) => !ES_HTTP.test(a)))
        out.push(
          problem(
            "search-access",
            domain.name,
            `${domain.name} policy allows ${s(st.Action)} beyond es:ESHttp*`,
          ),
        );
    }
    const holders = graph
      .functions()
      .filter((fn) =>
        graph
          .policiesOf(fn)
          .some(
            (st) =>
              st.Effect === "Allow" &&
              statementList(st, "Action").some((a) => ES_HTTP.test(a) || a === "es:*" || a === "*") &&
              statementList(st, "Resource").some(
                (r) => names.some((n) => r.includes(`domain/${n}`)) || r === "*",
              ),
          ),
      )
      .map((fn) => fn.handler)
      .sort();
    if (JSON.stringify(holders) !== JSON.stringify([...handlers].sort()))
      out.push(
        problem(
          "search-access",
          domain.name,
          `${domain.name} is reachable by ${holders.join(", ") || "no function"}, not exactly ${[...handlers].sort().join(", ")}`,
        ),
      );
  }
  return out;
}

/**
 * search-replicas: a replica is never placed on its primary's node, so replicas beyond nodes - 1 leave the
 * cluster yellow. AWS: "Red or yellow cluster health status", https://docs.aws.amazon.com/opensearch-service/latest/developerguide/handling-errors.html#handling-errors-yellow-cluster-status
 */
export function checkSearchReplicas(graph: InfraGraph, replicasFor: (nodes: number) => number): Problem[] {
  const out: Problem[] = [];
  for (const domain of graph.findAll("aws:opensearch/domain:Domain")) {
    const nodes = Number(
      (domain.inputs.clusterConfig as { instanceCount?: number } | undefined)?.instanceCount ?? 1,
    );
    const replicas = replicasFor(nodes);
    if (replicas > nodes - 1)
      out.push(
        problem(
          "search-replicas",
          domain.name,
          `${domain.name} has ${nodes} node(s) but indexes ask for ${replicas} replica(s)`,
        ),
      );
  }
  return out;
}
