// HTTP and WebSocket routes: targets, authorizers, the route table and OpenAPI, CQRS.
import type { InfraGraph } from "../graph";
import { type Problem, problem, s } from "./shared";

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
