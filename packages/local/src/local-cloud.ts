// The whole local cloud: the app's topology on stand-ins, worker-thread functions and one gateway port.
import { createHash } from "node:crypto";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join, resolve as resolvePath } from "node:path";
import { S3Client } from "@aws-sdk/client-s3";
import { asyncInvokeConfigs, startBucketNotifications } from "./bucket-notifications";
import { planMounts, type RunningGateway, startGateway } from "./gateway";
import { startControl } from "./gateway/control";
import type { Messaging } from "./messaging";
import { type ProvisionedMessaging, provisionMessaging } from "./messaging/provision";
import { localSecrets } from "./push-secrets";
import {
  createResolver,
  functionEnv,
  type LocalAddresses,
  localIssuer,
  physicalBucketName,
  physicalName,
} from "./resolve";
import { type Bundles, bundleFunctions } from "./runtime/bundle";
import { FAULTS_ENV, type FaultRule, parseFaults } from "./runtime/faults";
import { FunctionRuntime } from "./runtime/functions";
import { startLambdaApi } from "./runtime/lambda-api";
import { startSearchStandIn } from "./search";
import { loadTopology } from "./shim";
import { localDistributionId, startStandIns } from "./standins";
import { expirationRules, startLifecycle } from "./standins/s3-lifecycle";
import type { RunningStandIns, TableSpec } from "./standins/types";
import { type RunningStreamPollers, startStreamPollers } from "./streams/poller";
import { isRef, resolveValue, type Topology } from "./topology";

export interface LocalCloudOptions {
  root: string;
  configFile: string;
  /** 0 picks a free port. */
  port: number;
  dataDir: string;
  inMemory?: boolean;
  confirmationCode?: string;
  /** Rebuild and reload functions when their source changes. */
  dev?: boolean;
  /** Start every function's worker at once instead of on first invoke (more memory, no cold start). */
  warm?: boolean;
  /** Worker threads per function at most (Lambda scales out to the account limit; locally memory is the limit). */
  functionConcurrency?: number;
  /** Worker threads across all functions at most (memory); idle workers of other functions free a slot. */
  functionWorkers?: number;
  /** A function's worker idle this long is terminated (default 5 min). */
  functionIdleMs?: number;
  /** Injected invoke failures, e.g. `"Consumer*=0.3"` (logical name glob = probability); default: $ASYNCSNS_FAULTS. */
  faults?: string;
  /** Log only warnings and errors (tests). */
  quiet?: boolean;
  stage?: string;
  wsIdleTimeoutMs?: number;
  wsMaxLifetimeMs?: number;
  streamPollIntervalMs?: number;
  log?: (line: string) => void;
  /** Where function output goes; default: stdout/stderr prefixed with the function name. */
  functionOutput?: (fn: string, stream: "stdout" | "stderr", line: string) => void;
}

export interface LocalCloudUrls {
  webUrl: string;
  apiUrl: string;
  wsUrl: string;
  cognito: { endpoint: string; region: string; userPoolId: string; clientId: string };
  /** DynamoDB Local, for tools and tests that read items as the backend does (any credentials: -sharedDb). */
  dynamodb: { endpoint: string; region: string };
  /** The app's table (physical name), when it has exactly one. */
  table?: string;
  /** The WebSocket API's @connections endpoint (ApiGatewayManagementApiClient), when it has exactly one. */
  managementEndpoint?: string;
  /** The CloudFront API (CloudFrontClient) and the Router's distribution id, when it has exactly one Router. */
  cloudfront?: { endpoint: string; distributionId?: string };
  /** DynamoDB Streams (DynamoDBStreamsClient): DynamoDB Local serves it on its own endpoint. */
  dynamodbStreams?: { endpoint: string; region: string };
  /** SQS (SQSClient) and every queue's URL by logical name (tools such as a redrive read them). */
  sqs?: { endpoint: string; queues: Record<string, string> };
  /** SNS (SNSClient) and every topic's ARN by logical name. */
  sns?: { endpoint: string; topics: Record<string, string> };
  /** Lambda's Invoke API (LambdaClient), for tools that replay events. */
  lambda?: { endpoint: string; region: string };
  /** The local push service: `POST <url>/subscriptions` makes a subscription as a browser would. */
  push?: { url: string };
  /** Kinesis Video Streams signalling (KinesisVideoClient): channels and TURN credentials for the local coturn. */
  kvs?: { endpoint: string; region: string };
  /** The local coturn's TURN URIs (credentials come from GetIceServerConfig). */
  turn?: { urls: string[] };
  /**
   * Loopback-only control port (never through the public origin): `POST <url>/gateways/stop` takes the HTTP and
   * WebSocket APIs down as an API Gateway outage would, `/gateways/start` brings them back, `GET <url>/gateways`.
   */
  control?: { url: string };
}

export interface LocalCloud {
  urls: LocalCloudUrls;
  topology: Topology;
  standIns: RunningStandIns;
  port: number;
  invoke(fn: string, event: unknown): Promise<unknown>;
  /** The exact environment a function's worker gets (benchmarks call a handler in-process with it). */
  functionEnv(fn: string): Record<string, string>;
  /** Resolves when every stream record written so far (and every bucket notification) reached its subscribers. */
  drainStreams(): Promise<void>;
  /** drainStreams, then SNS deliveries and queue consumers until nothing visible is left to hand out. */
  drainAll(): Promise<void>;
  /** Local SNS + SQS: topics, subscriptions and queues (`store`), by physical name. */
  messaging: Messaging;
  /** Physical queue names and topic ARNs by logical name. */
  queues: Record<string, string>;
  topics: Record<string, string>;
  /** Project files each function's bundle includes (from esbuild's metafile). */
  bundleInputs: Record<string, string[]>;
  /** Replaces the injected-failure rules (`faults`); `undefined` turns them off. */
  setFaults(spec: string | undefined): FaultRule[];
  readyMs: number;
  stop(): Promise<void>;
}

/** The groups infra declares on a pool (`new aws.cognito.UserGroup(…, {userPoolId: pool.id, name})`). */
function userGroupsOf(topology: Topology, pool: string): string[] {
  return topology.pulumiResources.flatMap((r) => {
    if (r.type !== "aws:cognito/userGroup:UserGroup") return [];
    const args = r.args as { userPoolId?: unknown; name?: unknown };
    if (!isRef(args.userPoolId) || args.userPoolId.$ref !== pool) return [];
    if (typeof args.name !== "string") throw new Error(`${r.name}: a user group needs a literal name`);
    return [args.name];
  });
}

function tableSpecs(topology: Topology): TableSpec[] {
  return topology.resources
    .filter((r) => r.type === "sst.aws.Dynamo")
    .map((r) => {
      const a = r.args as Record<string, any>;
      return {
        name: physicalName(topology, r.name),
        fields: a.fields,
        primaryIndex: a.primaryIndex,
        ...(a.globalIndexes ? { globalIndexes: a.globalIndexes } : {}),
        ...(a.stream ? { stream: a.stream } : {}),
        ...(a.ttl ? { ttl: a.ttl } : {}),
      };
    });
}

/** `{[key]: value}` of the topology's one resource of this type; nothing when it has none or several. */
function single<K extends string>(
  key: K,
  topology: Topology,
  type: string,
  value: (name: string) => string,
): Partial<Record<K, string>> {
  const found = topology.resources.filter((r) => r.type === type);
  return found.length === 1 ? ({ [key]: value(found[0]!.name) } as Record<K, string>) : {};
}

export async function startLocalCloud(o: LocalCloudOptions): Promise<LocalCloud> {
  const t0 = performance.now();
  const info = o.log ?? ((line: string) => console.log(line));
  const log = (line: string) => {
    if (!o.quiet) info(line);
  };
  const warn = o.log ?? ((line: string) => console.error(line));
  await mkdir(o.dataDir, { recursive: true });

  // A busy port is the commonest start failure: find out before starting a JVM.
  if (o.port !== 0) await assertPortFree(o.port);
  // A misspelt fault spec fails here, not after a JVM started.
  const faultSpec = o.faults ?? process.env[FAULTS_ENV];
  const injected = parseFaults(faultSpec);
  const topology = await loadTopology(o.configFile, o.stage ?? "local");
  const cleanups: (() => Promise<void>)[] = [];
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
  };

  try {
    const pools = topology.resources.filter((r) => r.type === "sst.aws.CognitoUserPool");
    // Bundles live under the app root (node_modules resolution for installed packages); one folder per data dir.
    const defaultDataDir = resolvePath(o.root, ".asyncsns") === resolvePath(o.dataDir);
    const buildDir = defaultDataDir
      ? join(o.root, ".asyncsns", "build")
      : join(
          o.root,
          ".asyncsns",
          `build-${createHash("sha1").update(resolvePath(o.dataDir)).digest("hex").slice(0, 8)}`,
        );
    if (!defaultDataDir) cleanups.push(() => rm(buildDir, { recursive: true, force: true }));
    const standInsPromise = startStandIns({
      dataDir: o.dataDir,
      inMemory: o.inMemory,
      tables: tableSpecs(topology),
      buckets: topology.resources
        .filter((r) => r.type === "sst.aws.Bucket")
        .map((r) => physicalBucketName(topology, r.name)),
      distributions: topology.resources
        .filter((r) => r.type === "sst.aws.Router")
        .map((r) => localDistributionId(r.name)),
      userPools: pools.map((p) => ({
        name: p.name,
        usernames: (p.args as { usernames?: ("email" | "phone")[] }).usernames,
        clients: topology.resources
          .filter((c) => c.type === "sst.aws.CognitoUserPoolClient" && c.parent === p.name)
          .map((c) => ({ name: c.name })),
        groups: userGroupsOf(topology, p.name),
      })),
      ...(o.confirmationCode ? { confirmationCode: o.confirmationCode } : {}),
      onConfirmationCode: ({ username, code }) =>
        info(`[cognito] confirmation code for ${username}: ${code}`),
      log: (line) => log(`[stand-ins] ${line}`),
    });
    // Bundling overlaps the JVM's start-up.
    const bundlesPromise = bundleFunctions({
      root: o.root,
      outDir: buildDir,
      functions: topology.functions,
      watch: o.dev,
      onRebuild: (changed, errors) => {
        if (errors.length) warn(`[dev] build failed:\n${errors.join("\n")}`);
        else if (changed.length) {
          log(`[dev] reloading ${changed.join(", ")}`);
          void runtime?.reload(changed);
        }
      },
    });
    let runtime: FunctionRuntime | undefined;
    const [standInsResult, bundlesResult] = await Promise.allSettled([standInsPromise, bundlesPromise]);
    if (standInsResult.status === "fulfilled") cleanups.push(() => standInsResult.value.stop());
    if (bundlesResult.status === "fulfilled") cleanups.push(() => bundlesResult.value.dispose());
    if (standInsResult.status === "rejected") throw standInsResult.reason;
    if (bundlesResult.status === "rejected") throw bundlesResult.reason;
    const standIns = standInsResult.value;
    const bundles: Bundles = bundlesResult.value;

    const search = await startSearchStandIn(topology, standIns, {
      dataDir: o.dataDir,
      inMemory: o.inMemory,
      log: (line) => log(`[stand-ins] ${line}`),
    });
    if (search) cleanups.push(() => search.stop());

    // Paths come from the Router's routes, as the one distribution serves them.
    const mounts = planMounts(topology);
    const apiPath = mounts.find((m) => m.kind === "http")?.prefix ?? "";
    const addr: LocalAddresses = {
      publicOrigin: "",
      internalOrigin: "",
      wsPath: mounts.find((m) => m.kind === "ws")?.prefix ?? "",
    };
    const resolve = createResolver(topology, standIns, addr, await localSecrets(o.dataDir, standIns));

    const firstPool = pools[0];
    const poolInfo = firstPool ? standIns.cognito.pools[firstPool.name] : undefined;
    const firstClient = poolInfo ? Object.values(poolInfo.clients)[0] : undefined;
    const webConfig = buildWebConfig(topology, standIns, resolve);

    const jwtAuthorizers = Object.fromEntries(
      topology.httpAuthorizers
        .filter((a) => a.type === "jwt")
        .map((a) => [
          a.name,
          {
            issuer: localIssuer(topology, a.issuer, standIns, resolve),
            audiences: (a.audiences ?? []).map((x) => String(resolveValue(x, resolve))),
          },
        ]),
    );

    const gateway: RunningGateway = await startGateway({
      port: o.port,
      topology,
      resolve,
      invoke: (fn, event) => runtime!.invoke(fn, event),
      s3Endpoint: standIns.s3.endpoint,
      awsEndpoints: { s3: standIns.s3.endpoint, "cognito-idp": standIns.cognito.endpoint },
      credentials: standIns.credentials,
      jwtAuthorizers,
      webConfig,
      ...(o.wsIdleTimeoutMs ? { wsIdleTimeoutMs: o.wsIdleTimeoutMs } : {}),
      ...(o.wsMaxLifetimeMs ? { wsMaxLifetimeMs: o.wsMaxLifetimeMs } : {}),
      log: warn,
    });
    cleanups.push(() => gateway.close());
    const control = await startControl(gateway);
    cleanups.push(() => control.close());
    addr.publicOrigin = `http://localhost:${gateway.port}`;
    addr.internalOrigin = `http://127.0.0.1:${gateway.port}`;

    runtime = new FunctionRuntime({
      functions: topology.functions,
      bundles: bundles.files,
      workerScript: bundles.workerScript,
      env: (fn) => functionEnv(fn, { topology, standIns, resolve }),
      physicalName: (fn) => physicalName(topology, fn.name),
      region: standIns.region,
      ...(o.functionOutput ? { output: o.functionOutput } : {}),
      ...(o.functionConcurrency ? { maxInstances: o.functionConcurrency } : {}),
      ...(o.functionIdleMs ? { idleMs: o.functionIdleMs } : {}),
      ...(o.functionWorkers ? { maxWorkers: o.functionWorkers } : {}),
      ...(faultSpec ? { faults: faultSpec } : {}),
    });
    // Never silent: a developer who left the variable set should see why invokes fail.
    if (injected.length)
      warn(
        `[faults] injected invoke failures: ${injected.map((r) => `${r.pattern} ${r.probability * 100}%`).join(", ")}`,
      );
    // Validate every function's env now: a link to something unresolvable fails at start, not at request time.
    for (const fn of topology.functions) functionEnv(fn, { topology, standIns, resolve });
    // Like Lambda, a function's sandbox starts on its first invoke; `warm` starts them all now.
    if (o.warm) runtime.startAll();
    const rt = runtime;
    cleanups.push(() => rt.stop());

    const subscriptions = topology.streamSubscriptions.map((subscription) => ({
      subscription,
      streamArn: resolve({ $ref: subscription.table, attribute: "streamArn" }),
      ...(subscription.onFailure ? { onFailure: String(resolveValue(subscription.onFailure, resolve)) } : {}),
    }));
    // On-failure destinations are SQS queues of this app; they exist once messaging is provisioned below.
    const sendToDestination = async (arn: string, body: string) => {
      standIns.messaging.store.send(standIns.messaging.queueNameFromArn(arn), { body });
    };
    const functionArn = (fn: string) => resolve({ $ref: fn, attribute: "arn" });
    let pollers: RunningStreamPollers | undefined;
    if (subscriptions.length) {
      pollers = await startStreamPollers({
        endpoint: standIns.dynamodb.endpoint,
        region: standIns.region,
        credentials: standIns.credentials,
        subscriptions,
        invoke: (fn, event) => rt.invoke(fn, event),
        sendToDestination,
        functionArn,
        log: (line) => warn(`[streams] ${line}`),
        // Positions persist with the table, so a crashed cloud resumes its subscribers where they stopped.
        ...(o.inMemory ? {} : { checkpointDir: join(o.dataDir, "streams") }),
        ...(o.streamPollIntervalMs ? { intervalMs: o.streamPollIntervalMs } : {}),
      });
      const p = pollers;
      cleanups.push(() => p.stop());
    }

    const bucketSubs = topology.bucketNotifications.filter((n) => n.function);
    let bucketEvents: ReturnType<typeof startBucketNotifications> | undefined;
    if (bucketSubs.length && standIns.s3.onObjectEvent) {
      const asyncInvoke = asyncInvokeConfigs(topology, resolve);
      bucketEvents = startBucketNotifications({
        subscriptions: bucketSubs.map((n) => {
          const config = n.function ? asyncInvoke.get(n.function) : undefined;
          return {
            ...n,
            physicalBucket: physicalBucketName(topology, n.bucket),
            ...(config ? { asyncInvoke: config } : {}),
          };
        }),
        onObjectEvent: standIns.s3.onObjectEvent,
        invoke: (fn, event) => rt.invoke(fn, event),
        sendToDestination,
        functionArn,
        log: (line) => warn(`[s3] ${line}`),
      });
      const n = bucketEvents;
      cleanups.push(() => n.stop());
    }

    // Bucket lifecycle rules (expiration by prefix) run as they would in S3.
    const lifecycle = startLifecycle({
      client: new S3Client({
        endpoint: standIns.s3.endpoint,
        region: standIns.region,
        credentials: standIns.credentials,
        forcePathStyle: true,
      }),
      buckets: topology.resources
        .filter((r) => r.type === "sst.aws.Bucket")
        .map((r) => ({
          bucket: physicalBucketName(topology, r.name),
          rules: expirationRules((r.args as { lifecycle?: unknown }).lifecycle),
        })),
      log: (line) => warn(`[s3] ${line}`),
    });
    cleanups.push(async () => lifecycle.stop());

    // Topics and queues come after the functions they deliver to; queued messages from the last run resume.
    const provisioned: ProvisionedMessaging = provisionMessaging({
      topology,
      messaging: standIns.messaging,
      resolve,
      invoke: (fn, event) => rt.invoke(fn, event),
      log: (line) => warn(`[sqs] ${line}`),
    });
    cleanups.push(() => provisioned.pollers.stop());

    const functionByName = new Map(
      topology.functions.flatMap((f) => [
        [physicalName(topology, f.name), f.name],
        [functionArn(f.name), f.name],
      ]),
    );
    const lambdaApi = await startLambdaApi({
      functionFor: (name) => functionByName.get(name),
      invoke: (fn, event) => rt.invoke(fn, event),
    });
    cleanups.push(() => lambdaApi.close());

    const urls: LocalCloudUrls = {
      webUrl: `${addr.publicOrigin}/`,
      apiUrl: `${addr.publicOrigin}${apiPath}`,
      wsUrl: `${addr.publicOrigin.replace(/^http/, "ws")}${addr.wsPath}`,
      cognito: {
        endpoint: standIns.cognito.endpoint,
        region: standIns.region,
        userPoolId: poolInfo?.id ?? "",
        clientId: firstClient?.id ?? "",
      },
      dynamodb: { endpoint: standIns.dynamodb.endpoint, region: standIns.region },
      ...single("table", topology, "sst.aws.Dynamo", (name) => resolve({ $ref: name, attribute: "name" })),
      ...single("managementEndpoint", topology, "sst.aws.ApiGatewayWebSocket", (name) =>
        resolve({ $ref: name, attribute: "managementEndpoint" }),
      ),
      cloudfront: {
        endpoint: standIns.cloudfront.endpoint,
        ...single("distributionId", topology, "sst.aws.Router", (name) =>
          resolve({ $ref: name, attribute: "distributionId" }),
        ),
      },
      dynamodbStreams: { endpoint: standIns.dynamodb.endpoint, region: standIns.region },
      sqs: {
        endpoint: standIns.sqs.endpoint,
        queues: Object.fromEntries(
          Object.entries(provisioned.queues).map(([logical, name]) => [
            logical,
            standIns.messaging.queueUrl(name),
          ]),
        ),
      },
      sns: { endpoint: standIns.sns.endpoint, topics: provisioned.topics },
      lambda: { endpoint: lambdaApi.endpoint, region: standIns.region },
      push: { url: standIns.push.endpoint },
      kvs: { endpoint: standIns.kvs.endpoint, region: standIns.region },
      turn: { urls: standIns.turn.urls },
      control: { url: control.url },
    };
    await writeFile(join(o.dataDir, "local.json"), `${JSON.stringify(urls, null, 2)}\n`);
    const readyMs = Math.round(performance.now() - t0);
    log(
      `${topology.app.name} local cloud ready in ${(readyMs / 1000).toFixed(1)} s (${topology.functions.length} functions)`,
    );
    log(`  web      ${urls.webUrl}`);
    log(`  api      ${urls.apiUrl}`);
    log(`  ws       ${urls.wsUrl}`);
    log(
      `  cognito  ${urls.cognito.endpoint}  pool ${urls.cognito.userPoolId}  client ${urls.cognito.clientId}`,
    );
    log(`  push     ${standIns.push.endpoint}  (local push service: Web Push endpoints)`);
    log(`  kvs      ${standIns.kvs.endpoint}  (signalling channels; TURN ${standIns.turn.urls[0]})`);
    log(
      `  control  ${control.url}/gateways  (POST /gateways/stop|start: an API Gateway outage, loopback only)`,
    );
    // The same lines Lambda sends to CloudWatch: JSON logs with a correlationId per request, and EMF metrics.
    log("  logs     below, prefixed by function: JSON lines; a request's lines share its correlationId");
    log(
      '  metrics  below: EMF lines ("_aws", namespace asyncsns), as CloudWatch reads them from Lambda logs',
    );
    const topicCount = Object.keys(provisioned.topics).length;
    const queueCount = Object.keys(provisioned.queues).length;
    if (topicCount || queueCount)
      log(`  sns/sqs  ${standIns.sns.endpoint}  ${topicCount} topic(s), ${queueCount} queue(s)`);

    let stopping: Promise<void> | undefined;
    return {
      urls,
      topology,
      standIns,
      port: gateway.port,
      invoke: (fn, event) => rt.invoke(fn, event),
      functionEnv: (name) => {
        const fn = topology.functions.find((f) => f.name === name);
        if (!fn) throw new Error(`no function ${name}`);
        return functionEnv(fn, { topology, standIns, resolve });
      },
      drainStreams: async () => {
        await pollers?.drain();
        await bucketEvents?.drain();
      },
      drainAll: async () => {
        await pollers?.drain();
        await bucketEvents?.drain();
        await provisioned.pollers.drain();
      },
      messaging: standIns.messaging,
      queues: provisioned.queues,
      topics: provisioned.topics,
      bundleInputs: bundles.inputs,
      setFaults: (spec) => rt.setFaults(spec),
      readyMs,
      stop: () => {
        stopping ??= cleanup();
        return stopping;
      },
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (err: NodeJS.ErrnoException) =>
      reject(
        err.code === "EADDRINUSE"
          ? Object.assign(new Error(`port ${port} is in use; set PORT=… to another port`), {
              code: "EADDRINUSE",
            })
          : err,
      ),
    );
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve()));
  });
}

/** Public AWS endpoints by service, as https://<service>.<region>.amazonaws.com. */
const AWS_ENDPOINT = /^https:\/\/([a-z0-9-]+)\.[a-z0-9-]+\.amazonaws\.com\/?$/;

/** A site's config: the JSON in its environment, resolved; browsers call Cognito directly, so it is local. */
function buildWebConfig(
  topology: Topology,
  standIns: RunningStandIns,
  resolve: (ref: { $ref: string; attribute: string }) => string,
): Record<string, unknown> {
  const standInFor: Record<string, string> = { "cognito-idp": standIns.cognito.endpoint };
  const local = (v: unknown) => {
    const service = typeof v === "string" ? AWS_ENDPOINT.exec(v)?.[1] : undefined;
    return (service && standInFor[service]) ?? v;
  };
  for (const site of topology.staticSites) {
    for (const value of Object.values(site.environment)) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(String(resolveValue(value, resolve)));
      } catch {
        continue;
      }
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed))
        return Object.fromEntries(
          Object.entries(parsed as Record<string, unknown>).map(([k, v]) => [k, local(v)]),
        );
    }
  }
  return {};
}
