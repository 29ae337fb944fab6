// Every secured route × every kind of bad token → 401, through the local gateway's JWT authorizer and the app.
// AWS rules encoded ("Controlling access to HTTP APIs with JWT authorizers",
// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html): signature by a
// key of the issuer's JWKS, RSA algorithms only, iss, aud (else client_id), exp, nbf, iat. The authorizer
// accepts an ID token whose aud is the client; the app refuses it, since only access tokens act for a user.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { PUBLIC_ROUTES } from "../../../tests/infra/rules";
import { createTestUser, type TestUser } from "../../../tests/support/test-user";
import { algNone, expired, forged, tamperedExp } from "../../../tests/support/tokens";

type Doc = { paths: Record<string, Record<string, { security?: unknown[] }>> };
const doc = JSON.parse(readFileSync(join(import.meta.dirname, "../src/api/openapi.json"), "utf8")) as Doc;

const routes = Object.entries(doc.paths).flatMap(([path, methods]) =>
  Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
);
const secured = routes.filter((r) => !PUBLIC_ROUTES.includes(r));

/** Any value fills a path parameter: the authorizer answers before the route looks at it. */
const concrete = (path: string) => path.replace(/\{[^}]+\}/g, "x1");

async function call(route: string, authorization?: string) {
  const [method, path] = route.split(" ") as [string, string];
  const hasBody = method === "POST" || method === "PATCH" || method === "PUT";
  const url = `${inject("localCloud").apiUrl.replace(/\/api$/, "")}${concrete(path)}`;
  return fetch(url, {
    method,
    headers: {
      ...(authorization ? { authorization } : {}),
      ...(hasBody ? { "content-type": "application/json" } : {}),
    },
    ...(hasBody ? { body: "{}" } : {}),
  });
}

describe("auth matrix: every secured route refuses every bad token", () => {
  let user: TestUser;
  let bad: Record<string, string | undefined>;
  beforeAll(async () => {
    user = await createTestUser();
    const t = user.accessToken;
    bad = {
      "no token": undefined,
      garbage: "Bearer garbage",
      "empty bearer": "Bearer ",
      "forged signature": `Bearer ${await forged(t)}`,
      "alg none": `Bearer ${algNone(t)}`,
      "tampered exp": `Bearer ${tamperedExp(t)}`,
      "expired, signed by the pool": `Bearer ${await expired(t)}`,
      "id token": `Bearer ${user.idToken}`,
    };
  });

  it("covers the routes the running API documents, and only PUBLIC_ROUTES are open", async () => {
    const served = (await (await fetch(`${inject("localCloud").apiUrl}/openapi.json`)).json()) as Doc;
    const servedRoutes = Object.entries(served.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(servedRoutes.sort()).toEqual([...routes].sort());
    const open = routes.filter(
      (r) => !doc.paths[r.split(" ")[1]!]![r.split(" ")[0]!.toLowerCase()]!.security,
    );
    expect(open.sort()).toEqual([...PUBLIC_ROUTES].sort());
    expect(secured.length).toBeGreaterThan(30);
  });

  it.each(secured)("%s", async (route) => {
    // Control: the good token gets past the authorizer, so each 401 below is about its token alone.
    expect((await call(route, `Bearer ${user.accessToken}`)).status).not.toBe(401);
    const answers = await Promise.all(
      Object.entries(bad).map(async ([kind, authorization]) => {
        const res = await call(route, authorization);
        const body = (await res.json().catch(() => ({}))) as {
          error?: { code?: unknown; message?: unknown };
        };
        return { kind, status: res.status, shaped: typeof body.error?.code === "string" };
      }),
    );
    expect(answers).toEqual(Object.keys(bad).map((kind) => ({ kind, status: 401, shaped: true })));
  });
});
