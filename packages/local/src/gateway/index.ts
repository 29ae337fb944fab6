// One port for the browser, like the Router's CloudFront distribution: its sites, APIs, buckets and config file.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { RefResolver, Topology } from "../topology";
import { serveBucket } from "./bucket-route";
import { createEdge } from "./edge";
import { buildHttpEvent, RouteTable, readBody, sendHttpResult, sendJson } from "./http-api";
import { type JwtAuthorizerConfig, JwtRejected, verifyJwt } from "./jwt";
import { serveStatic } from "./static-site";
import { stageThrottle, TokenBucket } from "./throttle";
import { WebSocketApi } from "./websocket";

export interface GatewayOptions {
  port: number;
  host?: string;
  topology: Topology;
  resolve: RefResolver;
  invoke: (fn: string, event: unknown) => Promise<unknown>;
  s3Endpoint: string;
  /** Service (s3, cognito-idp) → stand-in endpoint: AWS hosts in the Router's policies become these. */
  awsEndpoints?: Record<string, string>;
  /** JWT authorizer settings per authorizer name, already pointing at cognito-local. */
  jwtAuthorizers: Record<string, JwtAuthorizerConfig>;
  webConfig: Record<string, unknown>;
  wsIdleTimeoutMs?: number;
  wsMaxLifetimeMs?: number;
  /** The functions' key pair: @connections calls must be signed with it. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  log: (line: string) => void;
}

type Mount =
  | { kind: "http"; prefix: string; api: string; routes: RouteTable; throttle?: TokenBucket }
  | { kind: "ws"; prefix: string; api: string; ws: WebSocketApi }
  | { kind: "bucket"; prefix: string; bucket: string; rewrite?: { regex: string; to: string } }
  | { kind: "site"; prefix: string; dir: string; errorPage?: string; indexPage: string };

export interface RunningGateway {
  port: number;
  /** True while the HTTP and WebSocket APIs are "down" (control port): see setOriginsDown. */
  readonly originsDown: boolean;
  /** Makes /api answer as CloudFront does when its origin fails, and /ws refuse and drop connections; or restores them. */
  setOriginsDown(down: boolean): void;
  /** Path the WebSocket API is served at (also its management endpoint's path). */
  wsPath: string;
  server: Server;
  close(): Promise<void>;
}

/**
 * What CloudFront answers when it cannot reach an origin: 502 with its own HTML page and `x-cache: Error from
 * cloudfront` ("HTTP 502 status code (Bad gateway)", https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/http-502-bad-gateway.html).
 */
export function sendOriginError(res: ServerResponse) {
  const body = [
    '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" "http://www.w3.org/TR/html4/loose.dtd">',
    '<HTML><HEAD><META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=iso-8859-1">',
    "<TITLE>ERROR: The request could not be satisfied</TITLE>",
    "</HEAD><BODY>",
    "<H1>502 ERROR</H1>",
    "<H2>The request could not be satisfied.</H2>",
    '<HR noshade size="1px">',
    "CloudFront wasn't able to connect to the origin.",
    "</BODY></HTML>",
    "",
  ].join("\n");
  res.writeHead(502, {
    "content-type": "text/html",
    "content-length": String(Buffer.byteLength(body)),
    "x-cache": "Error from cloudfront",
  });
  res.end(body);
}

// "Amazon API Gateway quotas" (HTTP API payload size, 10 MB): https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
const MAX_BODY = 10 * 1024 * 1024;

function matchesPrefix(path: string, prefix: string): boolean {
  if (prefix === "/" || prefix === "") return true;
  return path === prefix || path.startsWith(prefix.endsWith("/") ? prefix : `${prefix}/`);
}

/** Where each API, bucket and site is served: from the Router's routes, else under the API's own name. */
export function planMounts(
  topology: Topology,
): { kind: Mount["kind"]; prefix: string; target: string; rewrite?: { regex: string; to: string } }[] {
  const types = new Map(topology.resources.map((r) => [r.name, r.type]));
  const plan: {
    kind: Mount["kind"];
    prefix: string;
    target: string;
    rewrite?: { regex: string; to: string };
  }[] = [];
  for (const r of topology.routerRoutes) {
    const target = r.target;
    const ref =
      target && typeof target === "object" && "$ref" in target
        ? (target as { $ref: string }).$ref
        : target && typeof target === "object" && "$template" in target
          ? (
              (target as { $template: unknown[] }).$template.find((p) => typeof p === "object") as {
                $ref: string;
              }
            )?.$ref
          : undefined;
    if (!ref) continue;
    const type = types.get(ref);
    const prefix = r.pattern.replace(/\/\*$/, "");
    if (type === "sst.aws.ApiGatewayV2") plan.push({ kind: "http", prefix, target: ref });
    else if (type === "sst.aws.ApiGatewayWebSocket") plan.push({ kind: "ws", prefix, target: ref });
    else if (type === "sst.aws.Bucket")
      plan.push({ kind: "bucket", prefix, target: ref, ...(r.rewrite ? { rewrite: r.rewrite } : {}) });
    else if (type === "sst.aws.StaticSite") plan.push({ kind: "site", prefix, target: ref });
  }
  const has = (kind: string, target: string) => plan.some((p) => p.kind === kind && p.target === target);
  for (const r of topology.resources) {
    if (r.type === "sst.aws.ApiGatewayV2" && !has("http", r.name))
      plan.push({ kind: "http", prefix: `/${r.name.toLowerCase()}`, target: r.name });
    if (r.type === "sst.aws.ApiGatewayWebSocket" && !has("ws", r.name))
      plan.push({ kind: "ws", prefix: `/${r.name.toLowerCase()}`, target: r.name });
  }
  for (const s of topology.staticSites)
    if (!has("site", s.name)) plan.push({ kind: "site", prefix: "/", target: s.name });
  return plan.sort((a, b) => b.prefix.length - a.prefix.length);
}

function throttleOf(topology: Topology, api: string): { throttle?: TokenBucket } {
  const limits = stageThrottle(topology.resources.find((r) => r.name === api)?.transformed);
  return limits ? { throttle: new TokenBucket(limits) } : {};
}

export async function startGateway(o: GatewayOptions): Promise<RunningGateway> {
  const { topology } = o;
  const mounts: Mount[] = [];
  let wsPath = "";
  const webSockets: WebSocketApi[] = [];
  for (const p of planMounts(topology)) {
    if (p.kind === "http") {
      mounts.push({
        kind: "http",
        prefix: p.prefix,
        api: p.target,
        routes: new RouteTable(topology.httpRoutes.filter((r) => r.api === p.target)),
        ...throttleOf(topology, p.target),
      });
    } else if (p.kind === "ws") {
      wsPath = p.prefix;
      const ws = new WebSocketApi({
        api: p.target,
        routes: topology.wsRoutes.filter((r) => r.api === p.target),
        authorizers: topology.wsAuthorizers.filter((a) => a.api === p.target),
        invoke: o.invoke,
        idleTimeoutMs: o.wsIdleTimeoutMs ?? 10 * 60_000,
        maxLifetimeMs: o.wsMaxLifetimeMs ?? 2 * 60 * 60_000,
        credentials: o.credentials,
        log: (line) => o.log(`[ws] ${line}`),
      });
      webSockets.push(ws);
      mounts.push({ kind: "ws", prefix: p.prefix, api: p.target, ws });
    } else if (p.kind === "bucket") {
      mounts.push({
        kind: "bucket",
        prefix: p.prefix,
        bucket: o.resolve({ $ref: p.target, attribute: "name" }),
        ...(p.rewrite ? { rewrite: p.rewrite } : {}),
      });
    } else {
      const site = topology.staticSites.find((s) => s.name === p.target)!;
      mounts.push({
        kind: "site",
        prefix: p.prefix,
        dir: join(topology.root, site.path, site.build?.output ?? "."),
        ...(site.errorPage ? { errorPage: site.errorPage } : {}),
        indexPage: site.indexPage,
      });
    }
  }

  const route = (path: string) => mounts.find((m) => matchesPrefix(path, m.prefix));
  let originsDown = false;
  const edge = createEdge(topology, o.resolve, o.awsEndpoints ?? { s3: o.s3Endpoint });
  // The @connections API is API Gateway's own endpoint, never behind the distribution.
  const viaEdge = (path: string) => !/\/@connections\//.test(path);

  async function onHttp(req: IncomingMessage, res: ServerResponse, url: URL) {
    const path = url.pathname;
    const sourceIp = req.socket.remoteAddress?.replace(/^::ffff:/, "") ?? "127.0.0.1";
    // The deploy writes config.json into the site; here it is computed from the running stand-ins.
    if (path === "/config.json") {
      sendJson(res, 200, o.webConfig, { "cache-control": "no-store" });
      return;
    }
    const mount = route(path);
    if (!mount) {
      sendJson(res, 404, {
        message: "Not Found",
        error: { code: "not_found", message: `nothing serves ${path}` },
      });
      return;
    }
    // The distribution is up but its API origins are not (the control port's "stop").
    if (originsDown && mount.kind === "http") {
      req.resume();
      sendOriginError(res);
      return;
    }
    if (mount.kind === "ws") {
      const m = new RegExp(
        `^${mount.prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/@connections/([^/]+)$`,
      ).exec(path);
      if (m) return mount.ws.handleManagement(req, res, m[1]!);
      res.writeHead(426, { "content-type": "text/plain" });
      res.end("Upgrade Required\n");
      return;
    }
    if (mount.kind === "bucket") return serveBucket(req, res, url, { s3Endpoint: o.s3Endpoint, ...mount });
    if (mount.kind === "site") return serveStatic(req, res, url, mount);

    // The stage throttles before routing and auth, with API Gateway's own 429 body.
    if (mount.throttle && !mount.throttle.take()) {
      req.resume();
      sendJson(res, 429, { message: "Too Many Requests" });
      return;
    }
    const match = mount.routes.match(req.method ?? "GET", path);
    if (!match) {
      req.resume();
      sendJson(res, 404, {
        message: "Not Found",
        error: { code: "not_found", message: `no route matches ${req.method} ${path}` },
      });
      return;
    }
    let authorizer: unknown;
    const auth = match.route.auth;
    if (auth.type === "jwt") {
      const config = o.jwtAuthorizers[auth.authorizer];
      try {
        if (!config) throw new Error(`authorizer ${auth.authorizer} is not configured`);
        authorizer = await verifyJwt(req.headers.authorization, config, auth.scopes);
      } catch (err) {
        req.resume();
        const why = (err as Error).message;
        if ((err as { forbidden?: boolean }).forbidden) {
          sendJson(res, 403, { message: "Forbidden", error: { code: "forbidden", message: why } });
          return;
        }
        if (!(err instanceof JwtRejected)) o.log(`[api] JWT check failed: ${why}`);
        sendJson(
          res,
          401,
          { message: "Unauthorized", error: { code: "unauthorized", message: why } },
          { "www-authenticate": `Bearer scope="" error="invalid_token" error_description="${why}"` },
        );
        return;
      }
    } else if (auth.type === "iam") {
      req.resume();
      sendJson(res, 403, {
        message: "Forbidden",
        error: { code: "forbidden", message: "IAM-authorized routes are not emulated locally" },
      });
      return;
    }
    let body: Buffer;
    try {
      // A declared length over the quota is refused before a byte of the body is buffered.
      if (Number(req.headers["content-length"] ?? 0) > MAX_BODY) throw new Error("payload too large");
      body = await readBody(req, MAX_BODY);
    } catch {
      sendJson(res, 413, { message: "Request Entity Too Large" });
      return;
    }
    const event = buildHttpEvent({ req, url, body, match, sourceIp, authorizer, apiId: mount.api });
    try {
      sendHttpResult(res, await o.invoke(match.route.function, event));
    } catch (err) {
      // Function error, timeout or throttle: API Gateway's bare 500 ("How do I troubleshoot issues for API Gateway endpoints that integrate with Lambda?", https://repost.aws/knowledge-center/api-gateway-internal-server-error).
      o.log(`[api] ${match.route.routeKey} → ${match.route.function}: ${(err as Error).message}`);
      if (!res.headersSent) sendJson(res, 500, { message: "Internal Server Error" });
    }
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (viaEdge(url.pathname)) {
      edge?.toOrigin(req, url);
      edge?.withPolicyHeaders(res, url.pathname);
    }
    onHttp(req, res, url).catch((err: Error) => {
      o.log(`[gateway] ${req.method} ${url.pathname}: ${err.stack ?? err.message}`);
      if (!res.headersSent) sendJson(res, 500, { message: "Internal Server Error" });
      else res.destroy();
    });
  });
  server.on("upgrade", (req, socket, head) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    edge?.toOrigin(req, url);
    const mount = route(url.pathname);
    socket.on("error", () => undefined);
    if (mount?.kind !== "ws" || url.pathname !== mount.prefix) {
      socket.end("HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
      return;
    }
    if (originsDown) {
      socket.end(
        "HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\nx-cache: Error from cloudfront\r\nconnection: close\r\n\r\n",
      );
      return;
    }
    const sourceIp = req.socket.remoteAddress?.replace(/^::ffff:/, "") ?? "127.0.0.1";
    void mount.ws.handleUpgrade(req, socket, head, url, sourceIp);
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      if (err.code === "EADDRINUSE") {
        reject(
          Object.assign(new Error(`port ${o.port} is in use; set PORT=… to another port`), {
            code: "EADDRINUSE",
          }),
        );
      } else reject(err);
    };
    server.once("error", onError);
    server.listen(o.port, o.host ?? "127.0.0.1", () => {
      server.off("error", onError);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    wsPath,
    server,
    get originsDown() {
      return originsDown;
    },
    setOriginsDown(down: boolean) {
      originsDown = down;
      // Open sockets drop as they would with the API: clients see an abnormal close and reconnect with backoff.
      if (down) for (const ws of webSockets) ws.dropAll();
    },
    async close() {
      await Promise.all(webSockets.map((w) => w.close()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
