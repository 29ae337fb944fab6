// API Gateway WebSocket API: $connect and its authorizer, routing, @connections, idle and lifetime limits.
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { type RawData, WebSocket, WebSocketServer } from "ws";
import { InvokeError } from "../runtime/functions";
import type { WsAuthorizer, WsRoute } from "../topology";
import { clfTime, readBody, requestId, sendJson } from "./http-api";
import { checkSigV4 } from "./sigv4";

export interface WebSocketApiOptions {
  api: string;
  routes: WsRoute[];
  authorizers: WsAuthorizer[];
  invoke: (fn: string, event: unknown) => Promise<unknown>;
  /** API Gateway closes a socket idle this long (10 minutes). */
  idleTimeoutMs: number;
  /** ...and every socket after this long (2 hours). */
  maxLifetimeMs: number;
  /** The key pair the functions sign @connections calls with; anything else is refused. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  log: (line: string) => void;
}

interface Connection {
  id: string;
  ws: WebSocket;
  connectedAt: number;
  lastActiveAt: number;
  sourceIp: string;
  userAgent: string;
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  authorizer?: Record<string, unknown>;
  domainName: string;
  idleTimer?: NodeJS.Timeout;
  lifetimeTimer?: NodeJS.Timeout;
}

function connectionId(): string {
  return randomBytes(11).toString("base64");
}

function rejectUpgrade(socket: Duplex, status: number, message: string) {
  const body = JSON.stringify({ message });
  socket.end(
    `HTTP/1.1 ${status} ${statusText(status)}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

function statusText(status: number): string {
  return (
    {
      400: "Bad Request",
      401: "Unauthorized",
      403: "Forbidden",
      404: "Not Found",
      500: "Internal Server Error",
    }[status] ?? "Error"
  );
}

function headerMaps(req: IncomingMessage) {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const key = req.rawHeaders[i]!;
    const value = req.rawHeaders[i + 1]!;
    headers[key] = headers[key] === undefined ? value : `${headers[key]},${value}`;
    multiValueHeaders[key] = [...(multiValueHeaders[key] ?? []), value];
  }
  return { headers, multiValueHeaders };
}

function queryMaps(url: URL) {
  let queryStringParameters: Record<string, string> | undefined;
  let multiValueQueryStringParameters: Record<string, string[]> | undefined;
  for (const [k, v] of url.searchParams) {
    queryStringParameters ??= {};
    multiValueQueryStringParameters ??= {};
    queryStringParameters[k] = v;
    multiValueQueryStringParameters[k] = [...(multiValueQueryStringParameters[k] ?? []), v];
  }
  return { queryStringParameters, multiValueQueryStringParameters };
}

function findHeader(headers: Record<string, string>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/** An authorizer result allows when it is a simple {isAuthorized: true} or an IAM policy with Allow. */
function authorizerVerdict(
  result: unknown,
  methodArn: string,
): { allow: boolean; context?: Record<string, unknown> } {
  if (!result || typeof result !== "object") return { allow: false };
  const r = result as {
    isAuthorized?: boolean;
    principalId?: string;
    context?: Record<string, unknown>;
    policyDocument?: {
      Statement?: { Effect?: string; Action?: string | string[]; Resource?: string | string[] }[];
    };
  };
  if (typeof r.isAuthorized === "boolean") return { allow: r.isAuthorized, context: { ...r.context } };
  const statements = r.policyDocument?.Statement ?? [];
  const matches = (pattern: string) =>
    new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".")}$`,
    ).test(methodArn);
  const applies = (s: (typeof statements)[number]) =>
    [s.Resource ?? []].flat().some(matches) &&
    [s.Action ?? []].flat().some((a) => a === "*" || a === "execute-api:*" || a === "execute-api:Invoke");
  const deny = statements.some((s) => s.Effect === "Deny" && applies(s));
  const allow = !deny && statements.some((s) => s.Effect === "Allow" && applies(s));
  return { allow, context: { ...r.context, ...(r.principalId ? { principalId: r.principalId } : {}) } };
}

export class WebSocketApi {
  // "Amazon API Gateway quotas" (WebSocket message payload size, 128 KB): https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 128 * 1024 });
  private readonly connections = new Map<string, Connection>();
  private readonly routes: Map<string, WsRoute>;
  private warnedSimple = false;

  constructor(private readonly opts: WebSocketApiOptions) {
    this.routes = new Map(opts.routes.map((r) => [r.route, r]));
  }

  get size(): number {
    return this.connections.size;
  }

  private baseContext(
    conn: Pick<Connection, "id" | "connectedAt" | "sourceIp" | "userAgent" | "domainName">,
  ) {
    const now = new Date();
    return {
      extendedRequestId: requestId(),
      requestTime: clfTime(now),
      messageDirection: "IN",
      stage: "$default",
      connectedAt: conn.connectedAt,
      requestTimeEpoch: now.getTime(),
      identity: { sourceIp: conn.sourceIp, userAgent: conn.userAgent },
      requestId: requestId(),
      domainName: conn.domainName,
      connectionId: conn.id,
      apiId: this.opts.api,
    };
  }

  async handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL, sourceIp: string) {
    const { headers, multiValueHeaders } = headerMaps(req);
    const { queryStringParameters, multiValueQueryStringParameters } = queryMaps(url);
    const conn = {
      id: connectionId(),
      connectedAt: Date.now(),
      sourceIp,
      userAgent: findHeader(headers, "user-agent") ?? "",
      domainName: findHeader(headers, "host") ?? "localhost",
    };
    const connect = this.routes.get("$connect");
    let authorizer: Record<string, unknown> | undefined;
    try {
      if (connect?.auth.type === "lambda") {
        const auth = this.opts.authorizers.find(
          (a) => a.name === (connect.auth as { authorizer: string }).authorizer,
        );
        if (!auth) throw new Error(`authorizer ${connect.auth.authorizer} is not recorded`);
        // A missing identity source is refused by API Gateway itself; the authorizer never runs.
        for (const source of auth.identitySources) {
          const [, where, name = ""] = /^route\.request\.(header|querystring)\.(.+)$/.exec(source) ?? [];
          const value =
            where === "header"
              ? findHeader(headers, name)
              : where === "querystring"
                ? url.searchParams.get(name)
                : "x";
          if (!value) {
            rejectUpgrade(socket, 401, "Unauthorized");
            return;
          }
        }
        const methodArn = `arn:aws:execute-api:local:000000000000:${this.opts.api}/$default/$connect`;
        let result: unknown;
        try {
          result = await this.opts.invoke(auth.function, {
            type: "REQUEST",
            methodArn,
            headers,
            multiValueHeaders,
            queryStringParameters: queryStringParameters ?? {},
            multiValueQueryStringParameters: multiValueQueryStringParameters ?? {},
            stageVariables: {},
            requestContext: { routeKey: "$connect", eventType: "CONNECT", ...this.baseContext(conn) },
          });
        } catch (err) {
          // Throwing "Unauthorized" is the documented way for an authorizer to answer 401.
          if (err instanceof InvokeError && err.error.errorMessage === "Unauthorized") {
            rejectUpgrade(socket, 401, "Unauthorized");
            return;
          }
          throw err;
        }
        if (result && typeof result === "object" && "isAuthorized" in result && !this.warnedSimple) {
          this.warnedSimple = true;
          this.opts.log(
            `warning: ${auth.function} returned a simple response; AWS WebSocket authorizers must return an IAM policy`,
          );
        }
        const verdict = authorizerVerdict(result, methodArn);
        if (!verdict.allow) {
          rejectUpgrade(socket, 403, "Forbidden");
          return;
        }
        authorizer = verdict.context;
      }
      if (connect) {
        const result = (await this.opts.invoke(connect.function, {
          headers,
          multiValueHeaders,
          ...(queryStringParameters ? { queryStringParameters, multiValueQueryStringParameters } : {}),
          requestContext: {
            routeKey: "$connect",
            eventType: "CONNECT",
            ...this.baseContext(conn),
            ...(authorizer ? { authorizer } : {}),
          },
          isBase64Encoded: false,
        })) as { statusCode?: number } | null;
        const status = Number(result?.statusCode ?? 200);
        if (status < 200 || status > 299) {
          rejectUpgrade(socket, status >= 400 && status < 600 ? status : 403, "Forbidden");
          return;
        }
      }
    } catch (err) {
      this.opts.log(`$connect failed: ${(err as Error).message}`);
      rejectUpgrade(socket, 500, "Internal server error");
      return;
    }
    if (socket.destroyed) return;
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const c: Connection = { ...conn, ws, lastActiveAt: Date.now(), headers, multiValueHeaders, authorizer };
      this.connections.set(c.id, c);
      this.touch(c);
      c.lifetimeTimer = setTimeout(() => ws.close(1001, "Going away"), this.opts.maxLifetimeMs);
      c.lifetimeTimer.unref();
      ws.on("message", (data, isBinary) => {
        this.touch(c);
        void this.onMessage(c, data, isBinary);
      });
      ws.on("pong", () => this.touch(c));
      ws.on("close", (code, reason) => void this.onClose(c, code, reason.toString()));
      ws.on("error", () => undefined);
    });
  }

  private touch(c: Connection) {
    c.lastActiveAt = Date.now();
    clearTimeout(c.idleTimer);
    c.idleTimer = setTimeout(() => c.ws.close(1001, "Going away"), this.opts.idleTimeoutMs);
    c.idleTimer.unref();
  }

  private async onMessage(c: Connection, data: RawData, isBinary: boolean) {
    const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    const body = isBinary ? buf.toString("base64") : buf.toString("utf8");
    let routeKey = "$default";
    if (!isBinary) {
      try {
        const action = (JSON.parse(body) as { action?: unknown })?.action;
        if (typeof action === "string" && this.routes.has(action) && !action.startsWith("$"))
          routeKey = action;
      } catch {}
    }
    const route = this.routes.get(routeKey);
    const ctx = this.baseContext(c);
    if (!route) {
      this.sendTo(c, JSON.stringify({ message: "Forbidden", connectionId: c.id, requestId: ctx.requestId }));
      return;
    }
    try {
      const result = (await this.opts.invoke(route.function, {
        requestContext: {
          routeKey,
          messageId: requestId(),
          eventType: "MESSAGE",
          ...ctx,
          ...(c.authorizer ? { authorizer: c.authorizer } : {}),
        },
        body,
        isBase64Encoded: isBinary,
      })) as { body?: unknown } | null;
      // With a route response, API Gateway sends the integration's body back on the socket.
      if (result && typeof result === "object" && typeof result.body === "string")
        this.sendTo(c, result.body);
    } catch (err) {
      this.opts.log(`${routeKey} failed: ${(err as Error).message}`);
      this.sendTo(
        c,
        JSON.stringify({ message: "Internal server error", connectionId: c.id, requestId: ctx.requestId }),
      );
    }
  }

  private sendTo(c: Connection, text: string) {
    if (c.ws.readyState === WebSocket.OPEN) c.ws.send(text);
  }

  private async onClose(c: Connection, code: number, reason: string) {
    clearTimeout(c.idleTimer);
    clearTimeout(c.lifetimeTimer);
    // Gone before $disconnect runs: posting to it from there answers 410, as on AWS.
    this.connections.delete(c.id);
    const route = this.routes.get("$disconnect");
    if (!route) return;
    try {
      await this.opts.invoke(route.function, {
        headers: c.headers,
        multiValueHeaders: c.multiValueHeaders,
        requestContext: {
          routeKey: "$disconnect",
          disconnectStatusCode: code,
          eventType: "DISCONNECT",
          disconnectReason: reason,
          ...this.baseContext(c),
          ...(c.authorizer ? { authorizer: c.authorizer } : {}),
        },
        isBase64Encoded: false,
      });
    } catch (err) {
      this.opts.log(`$disconnect failed: ${(err as Error).message}`);
    }
  }

  /** POST/GET/DELETE {managementEndpoint}/@connections/{id}, as ApiGatewayManagementApiClient calls them. */
  async handleManagement(req: IncomingMessage, res: ServerResponse, rawId: string) {
    const body = await readBody(req, 128 * 1024).catch(() => undefined);
    if (!body) {
      sendJson(res, 413, { message: "Message too long" }, { "x-amzn-errortype": "PayloadTooLargeException" });
      return;
    }
    // Only callers holding the credentials may send: AWS checks the IAM SigV4 signature of every call.
    const refused = checkSigV4(req, body, this.opts.credentials, "execute-api");
    if (refused) {
      sendJson(res, refused.status, { message: refused.message }, { "x-amzn-errortype": refused.type });
      return;
    }
    let id: string;
    try {
      id = decodeURIComponent(rawId);
    } catch {
      id = rawId;
    }
    const c = this.connections.get(id);
    if (!c || c.ws.readyState !== WebSocket.OPEN) {
      sendJson(res, 410, { message: null }, { "x-amzn-errortype": "GoneException" });
      return;
    }
    if (req.method === "POST") {
      const text = body.toString("utf8");
      c.ws.send(Buffer.from(text, "utf8").equals(body) ? text : body);
      res.writeHead(200, { "content-length": "0" });
      res.end();
      return;
    }
    if (req.method === "GET") {
      sendJson(res, 200, {
        connectedAt: new Date(c.connectedAt).toISOString(),
        identity: { sourceIp: c.sourceIp, userAgent: c.userAgent },
        lastActiveAt: new Date(c.lastActiveAt).toISOString(),
      });
      return;
    }
    if (req.method === "DELETE") {
      c.ws.close(1000, "");
      res.writeHead(204);
      res.end();
      return;
    }
    sendJson(res, 405, { message: "Method Not Allowed" });
  }

  /** Ends every open socket abruptly (no close frame), as an outage of the API would. */
  dropAll(): void {
    for (const c of this.connections.values()) c.ws.terminate();
  }

  async close(): Promise<void> {
    const closing = [...this.connections.values()].map(
      (c) =>
        new Promise<void>((resolve) => {
          c.ws.once("close", () => resolve());
          c.ws.terminate();
        }),
    );
    await Promise.race([Promise.all(closing), new Promise((r) => setTimeout(r, 2000))]);
    this.wss.close();
  }
}
