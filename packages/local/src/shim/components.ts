// Fake SST components that record what infra/*.ts declares instead of creating AWS resources.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { FunctionRecord, HttpAuth, SstType, Topology, Value, WsRoute } from "../topology";
import { logicalName, PULUMI_OUTPUT_TO_STRING, prettyHash } from "./naming";
import { COMPONENT, isComponent, output, parseRef, refToken, serialize, unwrap } from "./output";

type Args = Record<string, any>;
type TransformFn = (args: Args, opts: Args, name: string) => void;

export function unknownApi(what: string): Error {
  return new Error(`the local shim does not know ${what} — add it in packages/local/src/shim`);
}

const HANDLER_EXTENSIONS = [".ts", ".tsx", ".mts", ".js", ".mjs", ".jsx", ".cjs"];

/** Parses "packages/functions/src/api/profile.handler" into the file that exists and its export. */
export function resolveHandler(root: string, handler: string): { file: string; export: string } {
  const slash = handler.lastIndexOf("/");
  const dot = handler.lastIndexOf(".");
  if (dot <= slash) throw new Error(`handler "${handler}" must be "<path>.<export>"`);
  const base = handler.slice(0, dot).replace(/^\.\//, "");
  const exportName = handler.slice(dot + 1);
  const found = HANDLER_EXTENSIONS.map((ext) => base + ext).find((f) => existsSync(join(root, f)));
  return { file: found ?? `${base}.ts`, export: exportName };
}

function toSeconds(duration: string | number | undefined, fallback: number): number {
  if (duration === undefined) return fallback;
  if (typeof duration === "number") return duration;
  const [count = "0", unit = "seconds"] = duration.split(" ");
  const n = Number.parseInt(count, 10);
  const u = unit.toLowerCase();
  if (u.startsWith("minute")) return n * 60;
  if (u.startsWith("hour")) return n * 3600;
  if (u.startsWith("day")) return n * 86400;
  return n;
}

function toMBs(size: string | number | undefined, fallback: number): number {
  if (size === undefined) return fallback;
  if (typeof size === "number") return size;
  const [count = "0", unit = "MB"] = size.split(" ");
  const n = Number.parseFloat(count);
  return unit === "GB" ? n * 1024 : unit === "TB" ? n * 1024 * 1024 : n;
}

/** SST's `transform` helper: a callback mutates args, an object is merged over them. */
function applyTransform(t: unknown, name: string, args: Args, opts: Args = {}): Args {
  if (typeof t === "function") {
    (t as TransformFn)(args, opts, name);
    return args;
  }
  if (t && typeof t === "object") return { ...args, ...(t as Args) };
  return args;
}

function isFunctionSubscriber(v: unknown): boolean {
  const x = unwrap(v);
  return typeof x === "string" || (typeof x === "object" && x !== null && "handler" in x);
}

/** Everything one evaluation of sst.config.ts records, plus the fake `sst` namespace that records it. */
export function createRecorder(root: string) {
  const topology: Omit<Topology, "app" | "root" | "outputs"> = {
    resources: [],
    functions: [],
    httpRoutes: [],
    httpAuthorizers: [],
    wsRoutes: [],
    wsAuthorizers: [],
    streamSubscriptions: [],
    bucketNotifications: [],
    topicSubscriptions: [],
    queueSubscriptions: [],
    staticSites: [],
    routerRoutes: [],
    pulumiResources: [],
  };
  const transforms = new Map<string, TransformFn[]>();
  const pulumiTransforms = new Map<string, TransformFn[]>();
  const names = new Set<string>();

  const ALLOWED = new Set([
    "then",
    "toJSON",
    "constructor",
    "inspect",
    "asymmetricMatch",
    "$$typeof",
    "nodeType",
  ]);

  abstract class Component {
    static readonly sstType: SstType;
    readonly [COMPONENT]: { name: string; type: string };
    readonly args: Args;

    constructor(type: SstType, name: string, args: Args | undefined, opts: Args | undefined) {
      if (typeof name !== "string" || name.includes(" ")) throw new Error(`Invalid component name "${name}"`);
      const key = `${type}::${name}`;
      if (names.has(key)) throw new Error(`Duplicate resource name "${name}" (${type})`);
      names.add(key);
      this.args = args ?? {};
      // $transform(Component, fn) callbacks run before the component reads its args, as in SST.
      for (const t of transforms.get(type) ?? []) t(this.args, opts ?? {}, name);
      this[COMPONENT] = { name, type };
      const componentName = type.replace(/^sst\./, "");
      // Unknown members fail loudly so a gap in the shim never silently drops infrastructure.
      // biome-ignore lint/correctness/noConstructorReturn: the proxy is the component
      return new Proxy(this, {
        get(target, prop, receiver) {
          if (typeof prop === "symbol" || prop in target || ALLOWED.has(prop)) {
            return Reflect.get(target, prop, receiver);
          }
          throw unknownApi(`sst.${componentName}.${prop}`);
        },
      });
    }

    get name(): any {
      return output(refToken(this[COMPONENT].name, "name"));
    }

    protected ref(attribute: string): any {
      return output(refToken(this[COMPONENT].name, attribute));
    }

    protected record(link?: Record<string, unknown>, extra: Args = {}) {
      topology.resources.push({
        name: this[COMPONENT].name,
        type: this[COMPONENT].type as SstType,
        args: serialize(this.args),
        ...(link
          ? { link: Object.fromEntries(Object.entries(link).map(([k, v]) => [k, serialize(v)])) }
          : {}),
        ...extra,
      });
    }
  }

  function linkNames(link: unknown): string[] {
    const list = unwrap(link);
    if (list === undefined || list === null) return [];
    if (!Array.isArray(list)) throw new Error("link must be an array of resources");
    return list.map((item) => {
      if (isComponent(item)) return item[COMPONENT].name;
      throw new Error(`link only takes SST components here, got ${JSON.stringify(item)}`);
    });
  }

  const fnRefs = new Map<string, string>();

  class SstFunction extends Component {
    static override readonly sstType = "sst.aws.Function" as const;
    constructor(name: string, args: Args, opts?: Args, createdBy = "infra") {
      super("sst.aws.Function", name, args, opts);
      const a = this.args;
      const handler = unwrap(a.handler);
      if (typeof handler !== "string") throw new Error(`Function "${name}" needs a handler string`);
      const { file, export: exportName } = resolveHandler(root, handler);
      const memory = toMBs(unwrap(a.memory) as string | undefined, 1024);
      const timeout = toSeconds(unwrap(a.timeout) as string | undefined, 20);
      const environment = (unwrap(a.environment) ?? {}) as Args;
      // The Lambda resource args, so transform.function callbacks (tracing, memory) are honoured.
      const lambda: Args = {
        name: unwrap(a.name),
        description: unwrap(a.description) ?? "",
        handler,
        runtime: unwrap(a.runtime) ?? "nodejs20.x",
        timeout,
        memorySize: memory,
        environment: { variables: { ...environment } },
        architectures: [unwrap(a.architecture) ?? "x86_64"],
        tracingConfig: undefined,
      };
      const transformed = applyTransform(unwrap(a.transform)?.function, `${name}Function`, lambda);
      const tracingConfig = unwrap(transformed.tracingConfig) as { mode?: string } | undefined;
      const record: FunctionRecord = {
        name,
        handler,
        file,
        export: exportName,
        link: linkNames(a.link),
        environment: serialize(transformed.environment?.variables ?? environment) as Record<string, Value>,
        memory: Number(unwrap(transformed.memorySize) ?? memory),
        timeout: Number(unwrap(transformed.timeout) ?? timeout),
        tracing: tracingConfig?.mode === "Active" ? "Active" : "PassThrough",
        runtime: String(unwrap(transformed.runtime)),
        architecture: String((unwrap(transformed.architectures) as string[])[0]),
        createdBy,
        ...(unwrap(a.nodejs)?.install ? { install: [...unwrap(a.nodejs).install] } : {}),
        ...(unwrap(unwrap(a.nodejs)?.esbuild)?.external
          ? { external: [...unwrap(unwrap(a.nodejs).esbuild).external] }
          : {}),
      };
      topology.functions.push(record);
      fnRefs.set(refToken(name, "arn"), name);
      this.record({ name: this.ref("name"), ...(a.url ? { url: this.ref("url") } : {}) });
    }
    get arn() {
      return this.ref("arn");
    }
    get url() {
      return this.ref("url");
    }
  }

  /** SST's functionBuilder: an ARN of a function from infra, a handler string or FunctionArgs. */
  function buildFunction(
    name: string,
    definition: unknown,
    defaults: Args,
    argsTransform: unknown,
    createdBy: string,
  ): string {
    const def = unwrap(definition);
    if (typeof def === "string") {
      const ref = parseRef(def);
      if (ref) {
        const fn = fnRefs.get(refToken(ref.$ref, ref.attribute));
        if (!fn) throw new Error(`${createdBy}: "${ref.$ref}.${ref.attribute}" is not a function ARN`);
        return fn;
      }
      if (def.startsWith("arn:")) {
        throw new Error(
          `${createdBy}: a literal function ARN (${def}) cannot run locally; pass the Function`,
        );
      }
      const args = applyTransform(argsTransform, name, { handler: def, ...defaults });
      new SstFunction(name, args, {}, createdBy);
      return name;
    }
    if (def && typeof def === "object" && "handler" in def) {
      const d = def as Args;
      const args = applyTransform(argsTransform, name, {
        ...defaults,
        ...d,
        link: [...((unwrap(defaults.link) as unknown[]) ?? []), ...((unwrap(d.link) as unknown[]) ?? [])],
        environment: {
          ...((unwrap(defaults.environment) as Args) ?? {}),
          ...((unwrap(d.environment) as Args) ?? {}),
        },
      });
      new SstFunction(name, args, {}, createdBy);
      return name;
    }
    throw new Error(`${createdBy}: expected a handler, FunctionArgs or a function's arn`);
  }

  /** Runs sub-resource transform callbacks on a plain object so their intent is recorded too. */
  function recordTransforms(args: Args): Record<string, Value> | undefined {
    const t = unwrap(args.transform) as Args | undefined;
    if (!t) return undefined;
    const out: Record<string, Value> = {};
    for (const [key, fn] of Object.entries(t)) {
      if (key === "function") continue;
      out[key] = serialize(applyTransform(fn, key, {}));
    }
    return out;
  }

  class Dynamo extends Component {
    static override readonly sstType = "sst.aws.Dynamo" as const;
    constructor(name: string, args: Args, opts?: Args) {
      super("sst.aws.Dynamo", name, args, opts);
      this.record({ name: this.ref("name") }, { transformed: recordTransforms(this.args) });
    }
    get arn() {
      return this.ref("arn");
    }
    get nodes(): never {
      throw unknownApi("sst.aws.Dynamo.nodes");
    }
    subscribe(nameOrSubscriber: unknown, subscriberOrArgs?: unknown, maybeArgs?: unknown) {
      const table = this[COMPONENT].name;
      if (!unwrap(this.args.stream)) {
        throw new Error(`Cannot subscribe to "${table}" because stream is not enabled.`);
      }
      const named = isFunctionSubscriber(subscriberOrArgs);
      const subscriber = named ? subscriberOrArgs : nameOrSubscriber;
      const args = ((named ? unwrap(maybeArgs) : unwrap(subscriberOrArgs)) ?? {}) as Args;
      let subName: string;
      if (named) subName = `${table}Subscriber${nameOrSubscriber}`;
      else {
        const sub = unwrap(subscriber) as string | Args;
        const handler = typeof sub === "string" ? sub : sub.handler;
        const suffix = prettyHash(
          [PULUMI_OUTPUT_TO_STRING, JSON.stringify(args.filters ?? {}), handler].join(""),
          6,
        );
        subName = `${table}Subscriber${logicalName(suffix)}`;
      }
      const fn = buildFunction(
        `${subName}Function`,
        subscriber,
        { description: `Subscribed to ${subName}` },
        undefined,
        subName,
      );
      const filters = (args.filters ?? []) as unknown[];
      const esm = applyTransform(unwrap(args.transform)?.eventSourceMapping, `${subName}EventSourceMapping`, {
        eventSourceArn: this.ref("streamArn"),
        startingPosition: "LATEST",
        filterCriteria: filters.length
          ? { filters: filters.map((f) => ({ pattern: JSON.stringify(f) })) }
          : undefined,
      });
      topology.streamSubscriptions.push({
        name: subName,
        table,
        function: fn,
        filters: serialize(filters) as Value[],
        batchSize: Number(unwrap(esm.batchSize) ?? 100),
        maximumRetryAttempts: Number(unwrap(esm.maximumRetryAttempts) ?? -1),
        functionResponseTypes: (unwrap(esm.functionResponseTypes) as string[]) ?? [],
        startingPosition: String(unwrap(esm.startingPosition) ?? "LATEST"),
      });
      return output({ name: subName });
    }
  }

  class Bucket extends Component {
    static override readonly sstType = "sst.aws.Bucket" as const;
    private notified = false;
    constructor(name: string, args: Args, opts?: Args) {
      super("sst.aws.Bucket", name, args, opts);
      this.record({ name: this.ref("name") });
    }
    get arn() {
      return this.ref("arn");
    }
    get domain() {
      return this.ref("domain");
    }
    notify(args: Args) {
      const bucket = this[COMPONENT].name;
      if (this.notified) throw new Error(`Cannot call "notify" on the "${bucket}" bucket multiple times.`);
      this.notified = true;
      const base = `${bucket}Notifications`;
      for (const n of (unwrap(args.notifications) as Args[]) ?? []) {
        const fn =
          n.function !== undefined
            ? buildFunction(`${base}Notification${n.name}`, n.function, {}, undefined, base)
            : undefined;
        topology.bucketNotifications.push({
          name: `${base}Notification${n.name}`,
          bucket,
          ...(fn ? { function: fn } : {}),
          ...(n.queue ? { queue: serialize(n.queue) } : {}),
          ...(n.topic ? { topic: serialize(n.topic) } : {}),
          events: n.events ?? ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"],
          ...(n.filterPrefix ? { filterPrefix: n.filterPrefix } : {}),
          ...(n.filterSuffix ? { filterSuffix: n.filterSuffix } : {}),
        });
      }
      return output({ name: base });
    }
    subscribe(subscriber: unknown, maybeArgs?: unknown) {
      const bucket = this[COMPONENT].name;
      if (this.notified) throw new Error(`Cannot subscribe to the "${bucket}" bucket multiple times.`);
      this.notified = true;
      const args = (unwrap(maybeArgs) ?? {}) as Args;
      // SST hashes the deployed bucket ARN here; locally the logical name stands in for it.
      const subName = `${bucket}Subscriber${logicalName(prettyHash(`arn:aws:s3:::${bucket}`, 6))}`;
      const fn = buildFunction(`${subName}Function`, subscriber, {}, undefined, subName);
      topology.bucketNotifications.push({
        name: subName,
        bucket,
        function: fn,
        events: args.events ?? ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"],
        ...(args.filterPrefix ? { filterPrefix: args.filterPrefix } : {}),
        ...(args.filterSuffix ? { filterSuffix: args.filterSuffix } : {}),
      });
      return output({ name: subName });
    }
  }

  class CognitoUserPoolClient extends Component {
    static override readonly sstType = "sst.aws.CognitoUserPoolClient" as const;
    constructor(name: string, args: Args, opts?: Args) {
      super("sst.aws.CognitoUserPoolClient", name, args, opts);
      const pool = parseRef(this.args.userPool);
      this.record({ id: this.ref("id"), secret: this.ref("secret") }, {
        parent: pool?.$ref,
        transformed: recordTransforms(this.args),
      } as Args);
    }
    get id() {
      return this.ref("id");
    }
    get secret() {
      return this.ref("secret");
    }
  }

  class CognitoUserPool extends Component {
    static override readonly sstType = "sst.aws.CognitoUserPool" as const;
    constructor(name: string, args: Args, opts?: Args) {
      super("sst.aws.CognitoUserPool", name, args, opts);
      if (this.args.triggers) throw unknownApi("sst.aws.CognitoUserPool triggers");
      this.record({ id: this.ref("id") }, { transformed: recordTransforms(this.args) });
    }
    get id() {
      return this.ref("id");
    }
    get arn() {
      return this.ref("arn");
    }
    addClient(name: string, args?: Args) {
      return new CognitoUserPoolClient(name, { userPool: this.id, ...args });
    }
  }

  function parseHttpAuth(args: Args): HttpAuth {
    const auth = unwrap(args.auth) as Args | undefined;
    if (!auth) return { type: "none" };
    if (auth.iam) return { type: "iam" };
    if (auth.jwt) {
      const ref = parseRef(auth.jwt.authorizer);
      if (!ref) throw new Error("auth.jwt.authorizer must be the id of an authorizer from addAuthorizer");
      return { type: "jwt", authorizer: ref.$ref, ...(auth.jwt.scopes ? { scopes: auth.jwt.scopes } : {}) };
    }
    if (auth.lambda) throw unknownApi("sst.aws.ApiGatewayV2 lambda authorizers");
    return { type: "none" };
  }

  class ApiGatewayV2 extends Component {
    static override readonly sstType = "sst.aws.ApiGatewayV2" as const;
    constructor(name: string, args: Args, opts?: Args) {
      super("sst.aws.ApiGatewayV2", name, args, opts);
      this.record({ url: this.ref("url") });
    }
    get url() {
      return this.ref("url");
    }
    route(rawRoute: string, handler: unknown, args: Args = {}) {
      const api = this[COMPONENT].name;
      const routeKey = parseHttpRouteKey(rawRoute);
      const routeId = `${api}Route${logicalName(prettyHash(PULUMI_OUTPUT_TO_STRING + routeKey, 6))}`;
      const routeArgs = applyTransform(unwrap(this.args.transform)?.route?.args, routeId, { ...args });
      const fn = buildFunction(
        `${routeId}Handler`,
        handler,
        { description: `${api} route ${routeKey}`, link: this.args.link },
        unwrap(this.args.transform)?.route?.handler,
        `${api}.route("${routeKey}")`,
      );
      topology.httpRoutes.push({ api, routeKey, function: fn, auth: parseHttpAuth(routeArgs) });
      return output({ name: routeId });
    }
    addAuthorizer(args: Args) {
      const api = this[COMPONENT].name;
      const a = unwrap(args) as Args;
      const name = `${api}Authorizer${logicalName(a.name)}`;
      if (a.jwt) {
        topology.httpAuthorizers.push({
          api,
          name,
          authorizerName: a.name,
          type: "jwt",
          issuer: serialize(a.jwt.issuer),
          audiences: serialize(a.jwt.audiences ?? []) as Value[],
          identitySource: a.jwt.identitySource ?? "$request.header.Authorization",
        });
      } else if (a.lambda) {
        const fn = buildFunction(`${name}Handler`, a.lambda.function, {}, undefined, name);
        topology.httpAuthorizers.push({ api, name, authorizerName: a.name, type: "lambda", function: fn });
      } else throw new Error(`Please provide one of "lambda" or "jwt" for the ${a.name} authorizer.`);
      return {
        id: output(refToken(name, "id")),
        [COMPONENT]: { name, type: "sst.aws.ApiGatewayV2Authorizer" },
      };
    }
  }

  class ApiGatewayWebSocket extends Component {
    static override readonly sstType = "sst.aws.ApiGatewayWebSocket" as const;
    constructor(name: string, args?: Args, opts?: Args) {
      super("sst.aws.ApiGatewayWebSocket", name, args, opts);
      this.record({ url: this.ref("url"), managementEndpoint: this.ref("managementEndpoint") });
    }
    get url() {
      return this.ref("url");
    }
    get managementEndpoint() {
      return this.ref("managementEndpoint");
    }
    route(route: string, handler: unknown, args: Args = {}) {
      const api = this[COMPONENT].name;
      const special = ["$connect", "$disconnect", "$default"].includes(route);
      const suffix = logicalName(special ? route : prettyHash(`${PULUMI_OUTPUT_TO_STRING}${route}`, 6));
      const routeId = `${api}Route${suffix}`;
      const routeArgs = applyTransform(unwrap(this.args.transform)?.route?.args, routeId, { ...args });
      const fn = buildFunction(
        `${routeId}Handler`,
        handler,
        { description: `${api} route ${route}` },
        unwrap(this.args.transform)?.route?.handler,
        `${api}.route("${route}")`,
      );
      const auth = unwrap(routeArgs.auth) as Args | undefined;
      let recorded: WsRoute["auth"] = { type: "none" };
      // API Gateway only authorizes the $connect route of a WebSocket API.
      if (route === "$connect" && auth?.iam) recorded = { type: "iam" };
      else if (route === "$connect" && auth?.lambda) {
        const ref = parseRef(auth.lambda);
        if (!ref) throw new Error("auth.lambda must be the id of an authorizer from addAuthorizer");
        recorded = { type: "lambda", authorizer: ref.$ref };
      } else if (route === "$connect" && auth?.jwt) throw unknownApi("sst.aws.ApiGatewayWebSocket jwt auth");
      topology.wsRoutes.push({ api, route, function: fn, auth: recorded });
      return output({ name: routeId });
    }
    addAuthorizer(authName: string, args: Args) {
      const api = this[COMPONENT].name;
      const a = unwrap(args) as Args;
      const name = `${api}Authorizer${authName}`;
      if (!a.lambda) throw unknownApi("sst.aws.ApiGatewayWebSocket.addAuthorizer without lambda");
      const fn = buildFunction(`${name}Handler`, a.lambda.function, {}, undefined, name);
      topology.wsAuthorizers.push({
        api,
        name,
        authorizerName: authName,
        function: fn,
        identitySources: a.lambda.identitySources ?? ["route.request.header.Authorization"],
      });
      return {
        id: output(refToken(name, "id")),
        [COMPONENT]: { name, type: "sst.aws.ApiGatewayV2Authorizer" },
      };
    }
  }

  class StaticSite extends Component {
    static override readonly sstType = "sst.aws.StaticSite" as const;
    constructor(name: string, args: Args, opts?: Args) {
      super("sst.aws.StaticSite", name, args, opts);
      const a = this.args;
      const router = unwrap(a.router) as Args | undefined;
      const routerName =
        router?.instance && isComponent(router.instance) ? router.instance[COMPONENT].name : undefined;
      const build = unwrap(a.build) as { command: string; output: string } | undefined;
      topology.staticSites.push({
        name,
        path: String(unwrap(a.path) ?? "."),
        ...(build ? { build: { command: build.command, output: build.output } } : {}),
        ...(a.errorPage ? { errorPage: String(unwrap(a.errorPage)) } : {}),
        indexPage: String(unwrap(a.indexPage) ?? "index.html"),
        environment: serialize(a.environment ?? {}) as Record<string, Value>,
        ...(routerName ? { router: routerName } : {}),
      });
      if (routerName) {
        const path = String(unwrap(router?.path) ?? "/");
        topology.routerRoutes.push({
          router: routerName,
          pattern: path,
          kind: "site",
          target: serialize(this),
        });
      }
      this.record({ url: this.ref("url") });
    }
    get url() {
      return this.ref("url");
    }
  }

  class Router extends Component {
    static override readonly sstType = "sst.aws.Router" as const;
    constructor(name: string, args?: Args, opts?: Args) {
      super("sst.aws.Router", name, args, opts);
      if (this.args.routes) throw unknownApi("sst.aws.Router routes (inline); use router.route()");
      this.record({ url: this.ref("url") }, { transformed: recordTransforms(this.args) });
    }
    get url() {
      return this.ref("url");
    }
    /** The distribution (a bucket policy names its ARN, the CDN purge its id); the local cloud has a fixed one. */
    get nodes() {
      return {
        cdn: output({
          nodes: { distribution: { id: this.ref("distributionId"), arn: this.ref("distributionArn") } },
        }),
      };
    }
    route(pattern: string, url: unknown, args: Args = {}) {
      const rewrite = unwrap(args.rewrite) as { regex: string; to: string } | undefined;
      topology.routerRoutes.push({
        router: this[COMPONENT].name,
        pattern: String(unwrap(pattern)),
        kind: "url",
        target: serialize(url),
        ...(rewrite ? { rewrite } : {}),
      });
    }
    routeBucket(pattern: string, bucket: unknown, args: Args = {}) {
      const rewrite = unwrap(args.rewrite) as { regex: string; to: string } | undefined;
      topology.routerRoutes.push({
        router: this[COMPONENT].name,
        pattern: String(unwrap(pattern)),
        kind: "bucket",
        target: serialize(bucket),
        ...(rewrite ? { rewrite } : {}),
      });
    }
    routeSite(pattern: string, site: unknown) {
      topology.routerRoutes.push({
        router: this[COMPONENT].name,
        pattern: String(unwrap(pattern)),
        kind: "site",
        target: serialize(site),
      });
    }
  }

  class Queue extends Component {
    static override readonly sstType = "sst.aws.Queue" as const;
    private subscribed = false;
    constructor(name: string, args?: Args, opts?: Args) {
      super("sst.aws.Queue", name, args, opts);
      this.record({ url: this.ref("url") });
    }
    get url() {
      return this.ref("url");
    }
    get arn() {
      return this.ref("arn");
    }
    subscribe(subscriber: unknown, maybeArgs?: unknown) {
      const queue = this[COMPONENT].name;
      if (this.subscribed) throw new Error(`Cannot subscribe to the "${queue}" queue multiple times.`);
      this.subscribed = true;
      const args = (unwrap(maybeArgs) ?? {}) as Args;
      // SST hashes the deployed queue ARN; locally the logical name stands in for it.
      const subName = `${queue}Subscriber${logicalName(prettyHash(`arn:aws:sqs:local:${queue}`, 6))}`;
      const fn = buildFunction(`${subName}Function`, subscriber, {}, undefined, subName);
      const batch = (args.batch ?? {}) as Args;
      topology.queueSubscriptions.push({
        name: subName,
        queue,
        function: fn,
        batchSize: Number(batch.size ?? 10),
        partialResponses: Boolean(batch.partialResponses),
        ...(batch.window ? { window: toSeconds(String(unwrap(batch.window)), 0) } : {}),
        filters: serialize(args.filters ?? []) as Value[],
      });
      return output({ name: subName });
    }
  }

  class SnsTopic extends Component {
    static override readonly sstType = "sst.aws.SnsTopic" as const;
    constructor(name: string, args?: Args, opts?: Args) {
      super("sst.aws.SnsTopic", name, args, opts);
      this.record({ arn: this.ref("arn") });
    }
    get arn() {
      return this.ref("arn");
    }
    subscribe(nameOrSubscriber: unknown, subscriberOrArgs?: unknown, maybeArgs?: unknown) {
      const topic = this[COMPONENT].name;
      const named = isFunctionSubscriber(subscriberOrArgs);
      const subscriber = named ? subscriberOrArgs : nameOrSubscriber;
      const args = ((named ? unwrap(maybeArgs) : unwrap(subscriberOrArgs)) ?? {}) as Args;
      let subName: string;
      if (named) subName = `${topic}Subscriber${nameOrSubscriber}`;
      else {
        const sub = unwrap(subscriber) as string | Args;
        const handler = typeof sub === "string" ? sub : sub.handler;
        const suffix = prettyHash(
          [PULUMI_OUTPUT_TO_STRING, JSON.stringify(args.filter ?? {}), handler].join(""),
          6,
        );
        subName = `${topic}Subscriber${logicalName(suffix)}`;
      }
      const fn = buildFunction(`${subName}Function`, subscriber, {}, undefined, subName);
      topology.topicSubscriptions.push({
        name: subName,
        topic,
        function: fn,
        ...(args.filter ? { filter: serialize(args.filter) } : {}),
        ...subscriptionTransform(args, subName),
      });
      return output({ name: subName });
    }
    subscribeQueue(nameOrQueue: unknown, queueOrArgs?: unknown, maybeArgs?: unknown) {
      const topic = this[COMPONENT].name;
      const q = unwrap(queueOrArgs);
      const named = typeof nameOrQueue === "string" && (isComponent(q) || typeof q === "string");
      const queue = named ? q : unwrap(nameOrQueue);
      const args = ((named ? unwrap(maybeArgs) : q) ?? {}) as Args;
      const queueName = isComponent(queue) ? queue[COMPONENT].name : undefined;
      const subName = named
        ? `${topic}Subscriber${nameOrQueue}`
        : `${topic}Subscriber${logicalName(
            prettyHash(
              [PULUMI_OUTPUT_TO_STRING, JSON.stringify(args.filter ?? {}), String(serialize(queue))].join(""),
              6,
            ),
          )}`;
      topology.topicSubscriptions.push({
        name: subName,
        topic,
        queue: queueName ?? serialize(queue),
        ...(args.filter ? { filter: serialize(args.filter) } : {}),
        ...subscriptionTransform(args, subName),
      });
      return output({ name: subName });
    }
  }

  /** What `transform.subscription` sets on the sns.TopicSubscription that changes delivery. */
  function subscriptionTransform(args: Args, subName: string): { raw?: boolean; filterPolicyScope?: string } {
    const t = applyTransform(unwrap(args.transform)?.subscription, `${subName}Subscription`, {});
    const raw = unwrap(t.rawMessageDelivery);
    const scope = unwrap(t.filterPolicyScope);
    return { ...(raw ? { raw: Boolean(raw) } : {}), ...(scope ? { filterPolicyScope: String(scope) } : {}) };
  }

  class Linkable extends Component {
    static override readonly sstType = "sst.Linkable" as const;
    constructor(name: string, definition: Args) {
      super("sst.Linkable", name, definition, {});
      this.record(unwrap(this.args.properties) ?? {});
    }
    get properties() {
      return output(this.args.properties);
    }
  }

  class Secret extends Component {
    static override readonly sstType = "sst.Secret" as const;
    constructor(name: string, placeholder?: unknown) {
      super("sst.Secret", name, { placeholder: unwrap(placeholder) }, {});
      this.record({ value: this.ref("value") });
    }
    get value() {
      return this.ref("value");
    }
  }

  // Locally the url points at the search stand-in (the OpenSearch REST subset over an embedded engine).
  class OpenSearch extends Component {
    static override readonly sstType = "sst.aws.OpenSearch" as const;
    constructor(name: string, args?: Args, opts?: Args) {
      super("sst.aws.OpenSearch", name, args, opts);
      this.record({ url: this.ref("url"), username: this.ref("username"), password: this.ref("password") });
    }
    get url() {
      return this.ref("url");
    }
    get username() {
      return this.ref("username");
    }
    get password() {
      return this.ref("password");
    }
    get nodes(): never {
      throw unknownApi("sst.aws.OpenSearch.nodes");
    }
  }

  const aws: Record<string, unknown> = {
    Function: SstFunction,
    Dynamo,
    Bucket,
    CognitoUserPool,
    CognitoUserPoolClient,
    ApiGatewayV2,
    ApiGatewayWebSocket,
    StaticSite,
    Router,
    SnsTopic,
    Queue,
    OpenSearch,
    // Recorded with the Linkable that includes it; nothing enforces IAM locally.
    permission: (input: Args) => ({ type: "aws.permission", ...input }),
  };
  const strict = (prefix: string, target: Record<string, unknown>) =>
    new Proxy(target, {
      get(t, prop) {
        if (typeof prop === "symbol" || prop in t || ALLOWED.has(prop)) return t[prop as string];
        throw unknownApi(`${prefix}.${prop}`);
      },
    });
  const sst = strict("sst", { aws: strict("sst.aws", aws), Linkable, Secret });

  function $transform(component: { sstType?: string; pulumiType?: string }, cb: TransformFn) {
    // A Pulumi resource class: applied to the `new aws.*` infra declares, as SST's stack transformation
    // would; resources SST makes inside components are not emulated here, so they are not affected.
    if (component?.pulumiType) {
      const list = pulumiTransforms.get(component.pulumiType) ?? [];
      list.push(cb);
      pulumiTransforms.set(component.pulumiType, list);
      return;
    }
    const type = component?.sstType;
    if (!type)
      throw unknownApi("$transform on something that is neither an SST component nor a Pulumi resource");
    const list = transforms.get(type) ?? [];
    list.push(cb);
    transforms.set(type, list);
  }

  /** `new aws.<module>.<Resource>(name, args)`: recorded; every attribute is a ref the deploy would compute. */
  function pulumiClass(module: string, resource: string) {
    const type = `aws:${module}/${resource.charAt(0).toLowerCase()}${resource.slice(1)}:${resource}`;
    function PulumiResource(this: unknown, name: string, args: Args = {}, opts: Args = {}) {
      if (!new.target) throw new Error(`aws.${module}.${resource} must be called with new`);
      for (const t of pulumiTransforms.get(type) ?? []) t(args, opts, name);
      topology.pulumiResources.push({ type, name, args: serialize(args) });
      const target = { [COMPONENT]: { name, type } };
      return new Proxy(target, {
        get(t, prop) {
          if (typeof prop === "symbol" || prop in t) return Reflect.get(t, prop);
          if (prop === "then" || prop === "toJSON") return undefined;
          return output(refToken(name, prop));
        },
      });
    }
    return Object.assign(PulumiResource, { pulumiType: type });
  }

  return { topology, sst, $transform, pulumiClass };
}

function parseHttpRouteKey(raw: string): string {
  if (raw.toLowerCase() === "$default") return "$default";
  const parts = raw.split(" ");
  if (parts.length !== 2)
    throw new Error(`Invalid route ${raw}. A route must be in the format "METHOD /path".`);
  const method = parts[0]!.toUpperCase();
  const path = parts[1]!;
  if (!["ANY", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"].includes(method)) {
    throw new Error(`Invalid method ${parts[0]} in route ${raw}`);
  }
  if (!path.startsWith("/"))
    throw new Error(`Invalid path ${path} in route ${raw}. Path must start with "/".`);
  return `${method} ${path}`;
}
