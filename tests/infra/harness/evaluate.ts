// One evaluation per process: the platform keeps global state and auto/run.ts calls process.chdir.
import { mkdirSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { EvaluatedApp, FunctionBuild, MockedCall, MockedResource } from "./types";

export const ACCOUNT = "123456789012";

export interface EvaluateOptions {
  /** Absolute path of the sst.config.ts to evaluate. */
  config: string;
  stage: string;
  /** The project root holding `.sst/platform` (default: the repository root). */
  root?: string;
}

type Json = Record<string, unknown>;
type Loose = Record<string, unknown>;

const repoRoot = path.resolve(import.meta.dirname, "../../..");

export async function evaluate(options: EvaluateOptions): Promise<EvaluatedApp> {
  const started = performance.now();
  const root = options.root ?? repoRoot;
  const platform = path.join(root, ".sst/platform");
  const configDir = path.dirname(options.config);
  const work = path.join(
    root,
    ".sst/infra-test",
    options.stage,
    path.relative(root, configDir).replace(/[^\w-]+/g, "_") || "app",
  );
  mkdirSync(work, { recursive: true });
  const load = (rel: string): Promise<Loose> => import(pathToFileURL(path.join(platform, rel)).href);

  const builds: FunctionBuild[] = [];
  const calls: MockedCall[] = [];
  const unknownRpc: string[] = [];
  const server = await startRpcServer(work, builds, unknownRpc);

  // Set before @pulumi/pulumi loads: the aws provider reads its region from the stack config.
  let region = "ap-northeast-1";
  process.env.SST_SERVER = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.SST_AWS_REGION = region;

  try {
    const pulumi = (await load("node_modules/@pulumi/pulumi/index.js")) as unknown as PulumiModule;
    const g = globalThis as unknown as Loose;
    g.$dev = false;
    g.$cli = {
      command: "deploy",
      dev: false,
      rpc: process.env.SST_SERVER,
      paths: { root: configDir, work, platform, home: path.join(work, "home") },
      state: { version: {} },
    };
    g.$config = (await load("src/config.ts")).$config;

    const mod = (await import(pathToFileURL(options.config).href)) as { default: SstConfig };
    const config = mod.default;
    const appInput = await config.app({ stage: options.stage });
    region = appInput.providers?.aws?.region ?? region;
    process.env.SST_AWS_REGION = region;
    process.env.PULUMI_CONFIG = JSON.stringify({ "aws:region": region });
    const providers = { ...(appInput.providers ?? {}) };
    const home = appInput.home ?? "aws";
    if (home !== "local" && !(home in providers)) providers[home] = {};
    const app = {
      name: appInput.name,
      stage: options.stage,
      removal: appInput.removal ?? "retain",
      providers,
      home,
      version: "",
      protect: appInput.protect ?? false,
      watch: [],
    };
    g.$app = app;

    const resources: MockedResource[] = [];
    const byUrnKey = new Map<string, MockedResource>();
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          const outputs = mockOutputs(args.type, args.name, args.inputs, region);
          const id = String(outputs.id ?? `${args.name}-id`);
          const resource: MockedResource = {
            type: args.type,
            name: args.name,
            inputs: args.inputs,
            outputs,
            id,
            custom: args.custom ?? true,
          };
          const key = `${args.type}::${args.name}`;
          const opts = pendingOpts.get(key);
          if (opts) Object.assign(resource, opts);
          byUrnKey.set(key, resource);
          resources.push(resource);
          return { id, state: { ...args.inputs, ...outputs } };
        },
        call: (args) => {
          calls.push({ token: args.token, inputs: args.inputs });
          return mockCall(args.token, args.inputs, region);
        },
      },
      app.name,
      options.stage,
      false,
    );
    // What Pulumi keeps out of the mocks (parent, retainOnDelete, protect), captured on the way in.
    const pendingOpts = new Map<string, Partial<MockedResource>>();
    const record = (args: TransformationArgs) => {
      const parent = args.opts.parent as { __pulumiType?: string; __name?: string } | undefined;
      const opts: Partial<MockedResource> = {};
      if (parent?.__name && parent.__pulumiType !== "pulumi:pulumi:Stack")
        opts.parent = `${parent.__pulumiType}::${parent.__name}`;
      if (args.opts.retainOnDelete !== undefined) opts.retainOnDelete = Boolean(args.opts.retainOnDelete);
      if (args.opts.protect !== undefined) opts.protect = Boolean(args.opts.protect);
      const provider = (args.opts as { provider?: { __name?: string } }).provider;
      if (provider?.__name) opts.provider = provider.__name;
      pendingOpts.set(`${args.type}::${args.name}`, opts);
      return undefined;
    };

    // Globals in the order the CLI's bundle defines them (see src/shim/run.js), after $app exists.
    const component = await load("src/components/component.ts");
    const link = (await load("src/components/link.ts")) as { Link: { makeLinkable: unknown } };
    const sst = await load("src/components/index.ts");
    const aws = await load("node_modules/@pulumi/aws/index.js");
    Object.assign(g, {
      sst,
      aws,
      $transform: component.$transform,
      $asset: component.$asset,
      $linkable: link.Link.makeLinkable,
      $output: pulumi.output,
      $apply: pulumi.apply,
      $resolve: pulumi.all,
      $interpolate: pulumi.interpolate,
      $concat: pulumi.concat,
      $jsonParse: pulumi.jsonParse,
      $jsonStringify: pulumi.jsonStringify,
      $util: pulumi,
      $secrets: {},
    });
    const { run } = (await load("src/auto/run.ts")) as {
      run: (program: () => Promise<Json | undefined>) => Promise<Json>;
    };
    const transform = component.$transform as (
      type: unknown,
      cb: (args: { build?: { output?: string }; path?: string }) => void,
    ) => void;

    const stackOutputs = await pulumi.runtime.runInPulumiStack(() =>
      run(async () => {
        // Registered after auto/run.ts's own transformations, so retainOnDelete is already decided.
        pulumi.runtime.registerStackTransformation(record);
        // The mocks never run the build, so a placeholder keeps the graph the same with or without one.
        transform((sst as { aws: { StaticSite: unknown } }).aws.StaticSite, (args) => {
          if (!args.build?.output) return;
          const placeholder = path.join(work, "static-site", path.basename(args.path ?? "site"));
          mkdirSync(placeholder, { recursive: true });
          for (const file of ["index.html", "404.html"])
            writeFileSync(path.join(placeholder, file), "<!doctype html><title>placeholder</title>\n");
          args.build = {
            ...args.build,
            output: path.relative(path.join(configDir, args.path ?? "."), placeholder),
          };
        });
        return config.run();
      }),
    );
    // Late apply() registrations settle slowly on a busy machine; what is left after that counts as leaks.
    const store = (await load("node_modules/@pulumi/pulumi/runtime/state.js")) as unknown as {
      getStore(): { leakCandidates: Set<unknown> };
    };
    const pending = () => store.getStore().leakCandidates.size;
    let last = "";
    let stableSince = performance.now();
    const deadline = performance.now() + 60_000;
    while (performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      const now = `${resources.length}/${pending()}`;
      if (now !== last) {
        last = now;
        stableSince = performance.now();
      }
      const quiet = performance.now() - stableSince;
      if (quiet >= 400 && (pending() === 0 || quiet >= 3000)) break;
    }
    const pendingPromises = pending();
    // Forget them so Pulumi's exit hook does not fail the process; the count is reported instead.
    store.getStore().leakCandidates.clear();
    for (const resource of resources) {
      const opts = pendingOpts.get(`${resource.type}::${resource.name}`);
      if (opts) Object.assign(resource, opts);
      resource.inputs = (await toJson(resource.inputs)) as Json;
      resource.outputs = (await toJson(resource.outputs)) as Json;
    }
    return {
      config: path.relative(root, options.config),
      stage: options.stage,
      app: { name: app.name, stage: app.stage, removal: app.removal, protect: app.protect, home },
      resources,
      builds,
      calls: (await toJson(calls)) as MockedCall[],
      outputs: (await toJson(stackOutputs ?? {})) as Json,
      unknownRpc,
      pendingPromises,
      elapsedMs: Math.round(performance.now() - started),
    };
  } finally {
    server.close();
  }
}

// ---- the stub of the sst CLI's JSON-RPC server (components/rpc/rpc.ts posts to $SST_SERVER/rpc) ----

function startRpcServer(work: string, builds: FunctionBuild[], unknownRpc: string[]) {
  const handlers: Record<string, (args: Loose) => unknown> = {
    "Provider.Aws.Bootstrap": () => ({
      asset: "sst-asset-mock",
      assetEcrRegistryId: ACCOUNT,
      assetEcrUrl: `${ACCOUNT}.dkr.ecr.ap-northeast-1.amazonaws.com/sst-asset`,
      state: "sst-state-mock",
      appsyncHttp: "mock.appsync-api.ap-northeast-1.amazonaws.com",
      appsyncRealtime: "mock.appsync-realtime-api.ap-northeast-1.amazonaws.com",
    }),
    "Provider.Aws.Appsync": () => ({ http: "mock-appsync-http", realtime: "mock-appsync-realtime" }),
    "Runtime.AddTarget": () => null,
    "Runtime.Build": (args) => {
      const functionID = String(args.functionID);
      const handler = String(args.handler);
      const properties = (args.properties as { install?: string[] } | undefined) ?? {};
      builds.push({
        functionID,
        handler,
        links: Object.keys((args.links as Loose | undefined) ?? {}).sort(),
        ...(properties.install?.length ? { install: [...properties.install] } : {}),
      });
      // A stub bundle: the Function component zips this folder and points Lambda at handler.
      const out = path.join(work, "artifacts", functionID);
      const parsed = path.posix.parse(handler);
      mkdirSync(path.join(out, parsed.dir), { recursive: true });
      writeFileSync(path.join(out, parsed.dir, `${parsed.name}.mjs`), "export const handler = () => {};\n");
      return { handler, out, errors: [], sourcemaps: [] };
    },
  };
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      const { method, params } = JSON.parse(body) as { method: string; params: Loose[] };
      const handler = handlers[method];
      res.setHeader("content-type", "application/json");
      // No keep-alive: a busy machine let the 5 s idle close race a reused socket (ECONNRESET in the child).
      res.setHeader("connection", "close");
      if (!handler) {
        unknownRpc.push(method);
        res.end(JSON.stringify({ result: null, error: `rpc: can't find method ${method}` }));
        return;
      }
      try {
        res.end(JSON.stringify({ result: handler(params[0] ?? {}), error: null }));
      } catch (error) {
        res.end(JSON.stringify({ result: null, error: String(error) }));
      }
    });
  });
  return new Promise<http.Server>((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

// ---- mock outputs: well-formed ARNs and the attributes components read back ----

function physical(name: string, inputs: Loose): string {
  for (const key of ["name", "bucket", "functionName", "tableName", "roleName"]) {
    const value = inputs[key];
    if (typeof value === "string" && value) return value;
  }
  return `${name.toLowerCase()}-mock`;
}

export function mockOutputs(type: string, name: string, inputs: Loose, region: string): Json {
  const id = `${name.toLowerCase()}-id`;
  const phys = physical(name, inputs);
  const [pkg = "", mod = ""] = type.split(":");
  const service = mod.split("/")[0] ?? "";
  const arn = (svc: string, resource: string, r = region, account = ACCOUNT) =>
    `arn:aws:${svc}:${r}:${account}:${resource}`;
  if (pkg !== "aws") {
    if (type === "random:index/randomBytes:RandomBytes")
      return { id, base64: Buffer.alloc(Number(inputs.length ?? 32), 7).toString("base64"), hex: "07" };
    if (
      type === "random:index/randomString:RandomString" ||
      type === "random:index/randomPassword:RandomPassword"
    )
      return { id, result: "mockrandom" };
    if (type === "command:local:Command") return { id, stdout: "", stderr: "" };
    return { id };
  }
  switch (type) {
    case "aws:lambda/function:Function": {
      const fnArn = arn("lambda", `function:${phys}`);
      return {
        id: phys,
        name: phys,
        arn: fnArn,
        qualifiedArn: `${fnArn}:$LATEST`,
        invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${fnArn}/invocations`,
        version: "$LATEST",
      };
    }
    case "aws:dynamodb/table:Table": {
      const tableArn = arn("dynamodb", `table/${phys}`);
      return { id: phys, name: phys, arn: tableArn, streamArn: `${tableArn}/stream/2024-01-01T00:00:00.000` };
    }
    case "aws:apigatewayv2/api:Api": {
      const ws = inputs.protocolType === "WEBSOCKET";
      return {
        id,
        arn: `arn:aws:apigateway:${region}::/apis/${id}`,
        apiEndpoint: `${ws ? "wss" : "https"}://${id}.execute-api.${region}.amazonaws.com`,
        executionArn: arn("execute-api", id),
      };
    }
    case "aws:apigatewayv2/stage:Stage":
      return {
        id,
        arn: `arn:aws:apigateway:${region}::/apis/${String(inputs.apiId)}/stages/${id}`,
        invokeUrl: `https://${String(inputs.apiId)}.execute-api.${region}.amazonaws.com/${String(inputs.name ?? "")}`,
        executionArn: arn("execute-api", `${String(inputs.apiId)}/${String(inputs.name ?? "")}`),
      };
    case "aws:sqs/queue:Queue":
      return {
        id: `https://sqs.${region}.amazonaws.com/${ACCOUNT}/${phys}`,
        name: phys,
        arn: arn("sqs", phys),
        url: `https://sqs.${region}.amazonaws.com/${ACCOUNT}/${phys}`,
      };
    case "aws:sns/topic:Topic":
      return { id: arn("sns", phys), name: phys, arn: arn("sns", phys) };
    case "aws:s3/bucketV2:BucketV2":
    case "aws:s3/bucket:Bucket":
      return {
        id: phys,
        bucket: phys,
        arn: `arn:aws:s3:::${phys}`,
        bucketDomainName: `${phys}.s3.amazonaws.com`,
        bucketRegionalDomainName: `${phys}.s3.${region}.amazonaws.com`,
        hostedZoneId: "Z2M4EHUR26P7ZW",
        region,
      };
    case "aws:cloudfront/distribution:Distribution":
      return {
        id: "E1MOCK",
        arn: `arn:aws:cloudfront::${ACCOUNT}:distribution/E1MOCK`,
        domainName: "d111111abcdef8.cloudfront.net",
        hostedZoneId: "Z2FDTNDATAQYW2",
        etag: "ETAGMOCK",
        status: "Deployed",
      };
    case "aws:cloudfront/keyValueStore:KeyValueStore":
      return { id, arn: `arn:aws:cloudfront::${ACCOUNT}:key-value-store/${id}`, etag: "ETAGMOCK" };
    case "aws:cloudfront/function:Function":
      return { id: phys, arn: `arn:aws:cloudfront::${ACCOUNT}:function/${phys}`, etag: "ETAGMOCK" };
    case "aws:cloudfront/originAccessControl:OriginAccessControl":
    case "aws:cloudfront/cachePolicy:CachePolicy":
    case "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy":
      return { id, etag: "ETAGMOCK" };
    case "aws:cognito/userPool:UserPool": {
      const poolId = `${region}_MockPool`;
      return {
        id: poolId,
        arn: arn("cognito-idp", `userpool/${poolId}`),
        endpoint: `cognito-idp.${region}.amazonaws.com/${poolId}`,
        name: phys,
      };
    }
    case "aws:cognito/userPoolClient:UserPoolClient":
      return { id: `${name.toLowerCase()}clientid`, clientSecret: "" };
    case "aws:iam/role:Role":
      return { id: phys, name: phys, arn: `arn:aws:iam::${ACCOUNT}:role/${phys}`, uniqueId: "AROAMOCK" };
    case "aws:iam/policy:Policy":
      return { id: `arn:aws:iam::${ACCOUNT}:policy/${phys}`, arn: `arn:aws:iam::${ACCOUNT}:policy/${phys}` };
    case "aws:cloudwatch/logGroup:LogGroup":
      return { id: phys, name: phys, arn: arn("logs", `log-group:${phys}`) };
    case "aws:kinesis/stream:Stream":
      return { id: phys, name: phys, arn: arn("kinesis", `stream/${phys}`) };
    case "aws:opensearch/domain:Domain":
      return {
        id: phys,
        arn: arn("es", `domain/${phys}`),
        endpoint: `search-${phys}.${region}.es.amazonaws.com`,
      };
    case "aws:lambda/eventSourceMapping:EventSourceMapping":
      return { id, uuid: id, functionArn: inputs.functionName };
    case "aws:sns/topicSubscription:TopicSubscription":
      return { id: `${arn("sns", "mock-topic")}:${id}`, arn: `${arn("sns", "mock-topic")}:${id}` };
    default:
      return { id, arn: arn(service, `${mod.split(":")[0]?.split("/")[1] ?? "resource"}/${phys}`) };
  }
}

function mockCall(token: string, inputs: Loose, region: string): Json {
  switch (token) {
    case "aws:index/getRegion:getRegion":
      return {
        name: region,
        id: region,
        description: "Asia Pacific (Tokyo)",
        endpoint: `ec2.${region}.amazonaws.com`,
      };
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return {
        accountId: ACCOUNT,
        arn: `arn:aws:iam::${ACCOUNT}:user/mock`,
        userId: "AIDAMOCK",
        id: ACCOUNT,
      };
    case "aws:index/getPartition:getPartition":
      return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws", reverseDnsPrefix: "com.amazonaws" };
    case "aws:iam/getPolicyDocument:getPolicyDocument":
      return { json: policyJson(inputs), statements: inputs.statements ?? [], id: "policy" };
    default:
      return {};
  }
}

/** The IAM JSON `getPolicyDocument` would render, so inline policies can be asserted. */
function policyJson(inputs: Loose): string {
  const statements = ((inputs.statements as Loose[] | undefined) ?? []).map((s) => {
    const out: Loose = { Effect: s.effect ?? "Allow" };
    if (s.sid) out.Sid = s.sid;
    if (s.actions) out.Action = s.actions;
    if (s.notActions) out.NotAction = s.notActions;
    if (s.resources) out.Resource = s.resources;
    if (s.notResources) out.NotResource = s.notResources;
    if (s.principals)
      out.Principal = Object.fromEntries(
        (s.principals as { type: string; identifiers: string[] }[]).map((p) => [p.type, p.identifiers]),
      );
    if (s.conditions)
      out.Condition = Object.fromEntries(
        (s.conditions as { test: string; variable: string; values: string[] }[]).map((c) => [
          c.test,
          { [c.variable]: c.values },
        ]),
      );
    return out;
  });
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

// ---- plain JSON out of Pulumi's deserialised values (assets, secrets, promises) ----

const SIG = "4dabf18193072939515e22adb298388d";

async function toJson(value: unknown): Promise<unknown> {
  const v = await value;
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return Promise.all(v.map(toJson));
  const o = v as Loose;
  if (o[SIG] === "1b47061264138c4ac30d75fd1eb44270") return { secret: await toJson(o.value) };
  if (o.__pulumiAsset || o.__pulumiArchive) {
    const kind = o.__pulumiAsset ? "asset" : "archive";
    for (const key of ["path", "text", "uri"]) if (o[key] !== undefined) return { [kind]: await o[key] };
    if (o.assets !== undefined) return { [kind]: await toJson(o.assets) };
    return { [kind]: "?" };
  }
  const out: Loose = {};
  // A dynamic resource's provider is serialised code (kilobytes of closures): keep only its kind.
  for (const [key, inner] of Object.entries(o))
    out[key] = key === "__provider" ? "<dynamic provider>" : await toJson(inner);
  return out;
}

// ---- the few shapes of the platform this file relies on ----

interface TransformationArgs {
  type: string;
  name: string;
  opts: { parent?: unknown; retainOnDelete?: boolean; protect?: boolean };
}

interface PulumiModule {
  runtime: {
    setMocks(
      mocks: {
        newResource(args: { type: string; name: string; inputs: Loose; custom?: boolean }): {
          id: string;
          state: Loose;
        };
        call(args: { token: string; inputs: Loose }): Loose;
      },
      project: string,
      stack: string,
      preview: boolean,
    ): Promise<void>;
    runInPulumiStack(init: () => Promise<unknown>): Promise<Json | undefined>;
    registerStackTransformation(t: (args: TransformationArgs) => undefined): void;
  };
  output: unknown;
  apply: unknown;
  all: unknown;
  interpolate: unknown;
  concat: unknown;
  jsonParse: unknown;
  jsonStringify: unknown;
}

interface SstConfig {
  app(input: { stage: string }): Promise<AppConfig> | AppConfig;
  run(): Promise<Json | undefined>;
}

interface AppConfig {
  name: string;
  removal?: string;
  protect?: boolean;
  home?: string;
  providers?: Record<string, { region?: string } & Loose> & { aws?: { region?: string } };
}
