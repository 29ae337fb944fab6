// The recording shim: what sst.config.ts declares, as the local cloud will run it.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadTopology } from "../src/shim";
import { logicalName, prettyHash } from "../src/shim/naming";
import { renderSstEnv } from "../src/shim/sst-env";

const fixture = join(import.meta.dirname, "fixture", "sst.config.ts");

describe("loadTopology on the fixture app", async () => {
  const t = await loadTopology(fixture);

  it("records the app from app()", () => {
    expect(t.app).toMatchObject({ name: "fixture", stage: "local", removal: "remove", region: "eu-west-1" });
  });

  it("maps routes given a function's arn to that function, with JWT auth where declared", () => {
    const routes = Object.fromEntries(t.httpRoutes.map((r) => [r.routeKey, r]));
    expect(routes["GET /api/public/{id}"]).toMatchObject({ function: "Echo", auth: { type: "none" } });
    expect(routes["ANY /api/private/{proxy+}"]).toMatchObject({
      function: "Echo",
      auth: { type: "jwt", authorizer: "ApiAuthorizerCognito" },
    });
    expect(t.functions.filter((f) => f.name === "Echo")).toHaveLength(1);
  });

  it("names functions created by routes as SST does", () => {
    const route = t.httpRoutes.find((r) => r.routeKey === "GET /api/handler-string")!;
    const expected = `ApiRoute${logicalName(
      prettyHash(
        `Calling [toString] on an [Output<T>] is not supported.\n\nTo get the value of an Output<T> as an Output<string> consider either:\n1: o.apply(v => \`prefix\${v}suffix\`)\n2: pulumi.interpolate \`prefix\${v}suffix\`\n\nSee https://www.pulumi.com/docs/concepts/inputs-outputs for more details.\nThis function may throw in a future version of @pulumi/pulumi.GET /api/handler-string`,
        6,
      ),
    )}Handler`;
    expect(route.function).toBe(expected);
    const ws = Object.fromEntries(t.wsRoutes.map((r) => [r.route, r.function]));
    expect(ws.$connect).toBe("RealtimeRouteConnectHandler");
    expect(ws.$disconnect).toBe("RealtimeRouteDisconnectHandler");
    expect(ws.$default).toBe("RealtimeRouteDefaultHandler");
    expect(t.wsAuthorizers[0]).toMatchObject({
      name: "RealtimeAuthorizertoken",
      function: "RealtimeAuthorizertokenHandler",
      identitySources: ["route.request.querystring.token"],
    });
    expect(t.wsRoutes.find((r) => r.route === "$connect")!.auth).toEqual({
      type: "lambda",
      authorizer: "RealtimeAuthorizertoken",
    });
    expect(t.streamSubscriptions[0]!.function).toBe("TableSubscriberIndexerFunction");
  });

  it("resolves handler strings to files and exports", () => {
    const echo = t.functions.find((f) => f.name === "Echo")!;
    expect(echo).toMatchObject({ file: "functions/http.ts", export: "echo", handler: "functions/http.echo" });
  });

  it("records links as logical names, FunctionArgs links included", () => {
    const fns = Object.fromEntries(t.functions.map((f) => [f.name, f]));
    const linked = t.httpRoutes.find((r) => r.routeKey === "GET /api/linked")!;
    const unlinked = t.httpRoutes.find((r) => r.routeKey === "GET /api/unlinked")!;
    expect(fns[linked.function]!.link).toEqual(["Table"]);
    expect(fns[unlinked.function]!.link).toEqual([]);
    expect(fns.RealtimeRouteDefaultHandler!.link).toEqual(["Realtime"]);
  });

  it("applies $transform, including nested transform.function callbacks", () => {
    for (const fn of t.functions) {
      expect(fn.tracing, fn.name).toBe("Active");
      expect(fn.environment.FIXTURE_FUNCTION).toBe(fn.name);
    }
    const slow = t.httpRoutes.find((r) => r.routeKey === "GET /api/slow")!;
    const fns = Object.fromEntries(t.functions.map((f) => [f.name, f]));
    expect(fns[slow.function]).toMatchObject({ timeout: 1, memory: 256 });
    expect(fns.Echo).toMatchObject({ timeout: 5 });
  });

  it("keeps deploy-time values symbolic: the issuer refers to the pool", () => {
    const auth = t.httpAuthorizers[0]!;
    expect(auth.issuer).toEqual({
      $template: [
        "https://cognito-idp.",
        { $ref: "aws:region", attribute: "name" },
        ".amazonaws.com/",
        { $ref: "Pool", attribute: "id" },
      ],
    });
    expect(auth.audiences).toEqual([{ $ref: "Client", attribute: "id" }]);
  });

  it("records stream subscriptions with filters and event source mapping settings", () => {
    expect(t.streamSubscriptions[0]).toMatchObject({
      table: "Table",
      filters: [{ dynamodb: { NewImage: { kind: { S: ["post"] } } } }],
      batchSize: 10,
      maximumRetryAttempts: 3,
      functionResponseTypes: ["ReportBatchItemFailures"],
    });
  });

  it("settles what infra deferred ($output of a promise) to what it named once run() made it", () => {
    expect(t.resources.find((r) => r.name === "Cdn")?.link).toEqual({
      distributionId: { $ref: "Router", attribute: "distributionId" },
    });
    expect(JSON.stringify(t)).not.toContain("$deferred");
  });

  it("is plain JSON", () => {
    expect(JSON.parse(JSON.stringify(t))).toEqual(t);
  });

  it("renders sst-env.d.ts for linked resources with getSSTLink() properties", () => {
    const text = renderSstEnv(t);
    expect(text).toContain(
      'Realtime: { managementEndpoint: string; type: "sst.aws.ApiGatewayWebSocket"; url: string };',
    );
    expect(text).toContain('Table: { name: string; type: "sst.aws.Dynamo" };');
  });
});

describe("loadTopology errors", () => {
  it("names a component or method the shim does not know", async () => {
    const { mkdtemp, writeFile } = await import("node:fs/promises");
    const dir = await mkdtemp(join(import.meta.dirname, "fixture", ".asyncsns-tmp-"));
    const file = join(dir, "sst.config.ts");
    await writeFile(
      file,
      `export default $config({ app: () => ({ name: "x" }), async run() { new sst.aws.Nextjs("Site"); } });`,
    );
    try {
      await expect(loadTopology(file)).rejects.toThrow(
        "the local shim does not know sst.aws.Nextjs — add it in packages/local/src/shim",
      );
      await writeFile(
        file,
        `export default $config({ app: () => ({ name: "x" }), async run() { new sst.aws.Bucket("B").subscribeTopic("x"); } });`,
      );
      await expect(loadTopology(file)).rejects.toThrow(
        "the local shim does not know sst.aws.Bucket.subscribeTopic",
      );
    } finally {
      const { rm } = await import("node:fs/promises");
      await rm(dir, { recursive: true, force: true });
    }
  });
});
