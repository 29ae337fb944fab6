import { beforeAll, describe, expect, it } from "vitest";
import { PUBLIC_ROUTES } from "../../../tests/infra/rules";
import document from "../src/api/openapi.json";
import {
  declaredRoutes,
  deriveDocument,
  deriveRouteTable,
  type LambdaName,
  type Lambdas,
  loadLambdas,
} from "../src/api/registry";
import { routeTable } from "../src/api/route-table";

// One declaration per route: what infra deploys, what the document says and what the handlers serve agree.
let lambdas: Lambdas;
beforeAll(async () => {
  lambdas = await loadLambdas();
});

const each = () => Object.entries(lambdas) as [LambdaName, Lambdas[LambdaName]][];
const declared = (app: Lambdas[LambdaName]) =>
  declaredRoutes(app).map((r) => `${r.method.toUpperCase()} ${r.path}`);
// `app.use` middleware is registered for every method ("ALL"); Hono writes path parameters as `:id`.
const served = (app: Lambdas[LambdaName]) => [
  ...new Set(
    app.routes
      .filter((r) => r.method !== "ALL")
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, "{$1}")}`),
  ),
];

describe("the route table and the OpenAPI document", () => {
  it("are what the Lambdas declare now", () => {
    expect(routeTable, "route-table.ts is stale: run npm run routes").toEqual(deriveRouteTable(lambdas));
    expect(document, "openapi.json is stale: run npm run routes").toEqual(deriveDocument(lambdas));
  });

  it("the document holds every route of every Lambda", () => {
    const paths = document.paths as Record<string, Record<string, unknown>>;
    const inDocument = Object.entries(paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const everyRoute = each().flatMap(([, app]) => declared(app));
    expect(inDocument.sort()).toEqual(everyRoute.sort());
  });
});

describe("each Lambda", () => {
  it("serves exactly the routes it declares", () => {
    for (const [name, app] of each()) expect(served(app).sort(), name).toEqual(declared(app).sort());
  });

  it("shares no method and path with another Lambda", () => {
    const owners = new Map<string, LambdaName[]>();
    for (const [name, app] of each())
      for (const key of served(app)) owners.set(key, [...(owners.get(key) ?? []), name]);
    expect([...owners].filter(([, names]) => names.length > 1)).toEqual([]);
  });

  it("requires the bearer token on every route but the public ones", () => {
    const routes = each().flatMap(([, app]) => declaredRoutes(app));
    for (const route of routes) {
      const key = `${route.method.toUpperCase()} ${route.path}`;
      if (PUBLIC_ROUTES.includes(key)) expect(route.security, key).toBeUndefined();
      else expect(route.security, key).toEqual([{ bearer: [] }]);
    }
    const keys = routes.map((r) => `${r.method.toUpperCase()} ${r.path}`);
    for (const key of PUBLIC_ROUTES) expect(keys, key).toContain(key);
  });

  it("answers a mounted route's bad request and an unknown route in the shared error shape", async () => {
    const invalid = await lambdas.Query.request("/api/timelines/home?limit=0");
    expect(invalid.status).toBe(400);
    const body = await invalid.json();
    expect(body.error.code).toBe("request.invalid");
    expect(body.error.details[0].path).toBe("limit");

    const malformed = await lambdas.Post.request("/api/posts", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{",
    });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error.code).toBe("request.invalid");

    const unknown = await lambdas.Chat.request("/api/posts", { method: "POST" });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.code).toBe("route.not_found");
  });
});
