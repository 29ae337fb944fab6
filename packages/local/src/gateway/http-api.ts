// API Gateway HTTP API (payload 2.0): route matching, event building and result translation.
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { HttpRoute } from "../topology";

export interface MatchedRoute {
  route: HttpRoute;
  pathParameters?: Record<string, string>;
}

interface CompiledRoute {
  route: HttpRoute;
  method: string;
  segments: string[];
  greedy: boolean;
  literals: number;
}

/** API Gateway picks the most specific route: literal segments beat {params}, {proxy+} comes last. */
export class RouteTable {
  private readonly compiled: CompiledRoute[];
  private readonly fallback?: HttpRoute;

  constructor(routes: HttpRoute[]) {
    this.fallback = routes.find((r) => r.routeKey === "$default");
    this.compiled = routes
      .filter((r) => r.routeKey !== "$default")
      .map((route) => {
        const [method = "ANY", path = "/"] = route.routeKey.split(" ");
        const segments = path.split("/").filter(Boolean);
        const greedy = /^\{[^}]+\+\}$/.test(segments.at(-1) ?? "");
        return {
          route,
          method,
          segments,
          greedy,
          literals: segments.filter((s) => !s.startsWith("{")).length,
        };
      })
      .sort(
        (a, b) =>
          Number(a.greedy) - Number(b.greedy) ||
          b.literals - a.literals ||
          b.segments.length - a.segments.length ||
          Number(a.method === "ANY") - Number(b.method === "ANY"),
      );
  }

  match(method: string, path: string): MatchedRoute | undefined {
    const parts = path.split("/").filter(Boolean);
    for (const c of this.compiled) {
      if (c.method !== "ANY" && c.method !== method) continue;
      const params = matchSegments(c, parts);
      if (params)
        return Object.keys(params).length ? { route: c.route, pathParameters: params } : { route: c.route };
    }
    return this.fallback ? { route: this.fallback } : undefined;
  }
}

function matchSegments(c: CompiledRoute, parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  const fixed = c.greedy ? c.segments.length - 1 : c.segments.length;
  if (c.greedy ? parts.length <= fixed : parts.length !== fixed) return undefined;
  for (let i = 0; i < fixed; i++) {
    const seg = c.segments[i]!;
    const part = parts[i]!;
    if (seg.startsWith("{")) params[seg.slice(1, -1)] = safeDecode(part);
    else if (seg !== part) return undefined;
  }
  if (c.greedy) params[c.segments.at(-1)!.slice(1, -2)] = safeDecode(parts.slice(fixed).join("/"));
  return params;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const TEXT_TYPES =
  /^(text\/|application\/(json|.*\+json|xml|.*\+xml|javascript|x-www-form-urlencoded|graphql))/i;

/** API Gateway-style request ids look like "JKJaXmPLvHcESHA=". */
export function requestId(): string {
  return randomBytes(11).toString("base64");
}

export function clfTime(d: Date): string {
  const m = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][
    d.getUTCMonth()
  ];
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(d.getUTCDate())}/${m}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(Object.assign(new Error("payload too large"), { status: 413 }));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export interface EventInput {
  req: IncomingMessage;
  url: URL;
  body: Buffer;
  match: MatchedRoute;
  sourceIp: string;
  authorizer?: unknown;
  apiId: string;
}

export function buildHttpEvent({ req, url, body, match, sourceIp, authorizer, apiId }: EventInput) {
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    const v = Array.isArray(value) ? value.join(",") : value;
    // Payload 2.0 moves cookies out of the headers into their own array.
    if (key === "cookie") cookies = v.split(/;\s*/).filter(Boolean);
    else headers[key] = v;
  }
  const rawQueryString = url.search.slice(1);
  let queryStringParameters: Record<string, string> | undefined;
  for (const [k, v] of url.searchParams) {
    queryStringParameters ??= {};
    queryStringParameters[k] = k in queryStringParameters ? `${queryStringParameters[k]},${v}` : v;
  }
  const now = new Date();
  const contentType = headers["content-type"] ?? "";
  const isText = body.length === 0 || TEXT_TYPES.test(contentType) || contentType === "";
  const event: Record<string, unknown> = {
    version: "2.0",
    routeKey: match.route.routeKey,
    rawPath: url.pathname,
    rawQueryString,
    ...(cookies ? { cookies } : {}),
    headers,
    ...(queryStringParameters ? { queryStringParameters } : {}),
    requestContext: {
      accountId: "000000000000",
      apiId,
      ...(authorizer ? { authorizer } : {}),
      domainName: headers.host ?? "localhost",
      domainPrefix: (headers.host ?? "localhost").split(".")[0],
      http: {
        method: req.method ?? "GET",
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp,
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: requestId(),
      routeKey: match.route.routeKey,
      stage: "$default",
      time: clfTime(now),
      timeEpoch: now.getTime(),
    },
    ...(match.pathParameters ? { pathParameters: match.pathParameters } : {}),
    ...(body.length ? { body: isText ? body.toString("utf8") : body.toString("base64") } : {}),
    isBase64Encoded: body.length > 0 && !isText,
  };
  return event;
}

/** Payload 2.0 response rules: a {statusCode,...} object, or anything else as a 200 JSON body. */
export function sendHttpResult(res: ServerResponse, result: unknown): void {
  if (result && typeof result === "object" && "statusCode" in result) {
    const r = result as {
      statusCode: number;
      headers?: Record<string, string | number | boolean>;
      multiValueHeaders?: Record<string, (string | number | boolean)[]>;
      cookies?: string[];
      body?: string;
      isBase64Encoded?: boolean;
    };
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(r.multiValueHeaders ?? {})) headers[k.toLowerCase()] = v.map(String);
    for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = String(v);
    if (r.cookies?.length) headers["set-cookie"] = r.cookies;
    const body =
      r.body === undefined || r.body === null
        ? Buffer.alloc(0)
        : Buffer.from(String(r.body), r.isBase64Encoded ? "base64" : "utf8");
    headers["content-length"] = String(body.length);
    res.writeHead(Number(r.statusCode), headers);
    res.end(body);
    return;
  }
  const body = Buffer.from(typeof result === "string" ? result : JSON.stringify(result ?? null));
  res.writeHead(200, { "content-type": "application/json", "content-length": String(body.length) });
  res.end(body);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}
