// Read by `npm run routes` and the route tests, never by a Lambda: it imports every Lambda's handlers.
import { OpenAPIHono } from "@hono/zod-openapi";

/** The API Lambdas by their `sst.aws.Function` names in infra/api.ts, with their entry files. */
const entries = {
  Profile: "./profile",
  Post: "./post",
  Chat: "./chat",
  Notification: "./notification",
  Call: "./call",
  Accounts: "./accounts",
  Moderation: "./moderation",
  Query: "./query",
} as const;

export type LambdaName = keyof typeof entries;
export type Lambdas = Record<LambdaName, OpenAPIHono>;

export interface RouteRow {
  lambda: LambdaName;
  method: string;
  path: string;
  auth: "jwt" | "public";
}

// Some modules read these links at load; callers only inspect the apps or refuse input before any store.
const placeholders = {
  App: { name: "asyncsns", stage: "routes" },
  Table: { name: "routes", type: "sst.aws.Dynamo" },
  Search: { url: "http://127.0.0.1:9", username: "routes", password: "routes" },
  Limits: { rules: {} },
};

/** Every API Lambda's Hono app, loaded with placeholder links. */
export async function loadLambdas(): Promise<Lambdas> {
  for (const [name, value] of Object.entries(placeholders))
    process.env[`SST_RESOURCE_${name}`] ??= JSON.stringify(value);
  const apps = await Promise.all(
    Object.entries(entries).map(
      async ([name, file]) => [name, ((await import(file)) as { app: OpenAPIHono }).app] as const,
    ),
  );
  return Object.fromEntries(apps) as Lambdas;
}

/** The routes a Lambda's app declares, as its registry holds them (OpenAPI paths: `{id}`). */
export function declaredRoutes(app: OpenAPIHono) {
  return app.openAPIRegistry.definitions.flatMap((d) => (d.type === "route" ? [d.route] : []));
}

const order = (a: RouteRow, b: RouteRow) =>
  Object.keys(entries).indexOf(a.lambda) - Object.keys(entries).indexOf(b.lambda) ||
  a.path.localeCompare(b.path) ||
  a.method.localeCompare(b.method);

/** One row per declared route: which Lambda serves it and whether the gateway checks the JWT. */
export function deriveRouteTable(lambdas: Lambdas): RouteRow[] {
  return (Object.entries(lambdas) as [LambdaName, OpenAPIHono][])
    .flatMap(([lambda, app]) =>
      declaredRoutes(app).map(
        (route): RouteRow => ({
          lambda,
          method: route.method.toUpperCase(),
          path: route.path,
          auth: route.security?.length ? "jwt" : "public",
        }),
      ),
    )
    .sort(order);
}

/** The union of the Lambdas' registries, with the bearer scheme their `security` names. */
export function deriveDocument(lambdas: Lambdas) {
  const docs = new OpenAPIHono();
  docs.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "A Cognito access token",
  });
  for (const app of Object.values(lambdas))
    for (const route of declaredRoutes(app)) docs.openAPIRegistry.registerPath(route);
  const document = docs.getOpenAPI31Document({
    openapi: "3.1.0",
    info: { title: "asyncsns API", version: "1.0.0", description: "Commands and queries of asyncsns." },
  });
  // Sorted paths keep the generated file's diff to what changed.
  const paths = Object.entries(document.paths ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return { ...document, paths: Object.fromEntries(paths) };
}
