// Wiring: routes, authorizers, CQRS split, subscriptions and links, as the real components would deploy them.
import { beforeAll, describe, expect, it } from "vitest";
import document from "../../packages/functions/src/api/openapi.json";
import { routeTable } from "../../packages/functions/src/api/route-table";
import { type CodeReads, codeReads } from "./harness/code-reads";
import {
  appGraph,
  checkBucketNotifications,
  checkCqrs,
  checkHttpRoutes,
  checkLinks,
  checkQueueConsumers,
  checkRouteTable,
  checkStreamSubscriptions,
  checkTopicSubscriptions,
  checkWebSocket,
  type Problem,
  repoRoot,
} from "./harness/index";
import { LINKED_AHEAD, PUBLIC_ROUTES } from "./rules";

const graph = appGraph("dev-ci");

describe("HTTP API", () => {
  it("every route targets a Lambda and uses the Cognito JWT authorizer, except the public ones", () => {
    expect(checkHttpRoutes(graph, { publicRoutes: PUBLIC_ROUTES })).toEqual([]);
  });

  it("deploys exactly the route table the Lambdas declare, which is the OpenAPI document", () => {
    expect(checkRouteTable(graph, routeTable, document)).toEqual([]);
  });

  it("names a route the table and the deployed API or the document disagree on", () => {
    const [first, second, third, ...rest] = routeTable;
    const tampered = [{ ...second, lambda: "Query" }, { ...third, auth: "public" as const }, ...rest];
    const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`;
    // Sorted: Pulumi registers the routes in no fixed order.
    expect(
      checkRouteTable(graph, tampered, document)
        .map((p) => p.message)
        .sort(),
    ).toEqual(
      [
        `${key(first)} is deployed but not in the route table`,
        `${key(second)} goes to ${second.lambda}, the route table says Query`,
        `${key(third)} has authorization JWT, the route table says public`,
        `${key(third)} is public in the route table but jwt in the OpenAPI document`,
        `${key(first)} is in the OpenAPI document but not in the route table`,
      ].sort(),
    );
  });

  it("sends commands to command Lambdas and every GET to the Query Lambda", () => {
    expect(checkCqrs(graph)).toEqual([]);
  });

  it("POST /api/me: Profile Lambda behind the JWT authorizer of the web client", () => {
    const route = graph.routeFor("POST /api/me");
    expect(route.fn?.logicalName).toBe("Profile");
    expect(route.route.inputs.authorizationType).toBe("JWT");
    expect(route.authorizer?.inputs.identitySources).toEqual(["$request.header.Authorization"]);
    const pool = graph.findOne("aws:cognito/userPool:UserPool");
    const client = graph.findOne("aws:cognito/userPoolClient:UserPoolClient");
    expect(route.authorizer?.inputs.jwtConfiguration).toEqual({
      issuer: `https://cognito-idp.ap-northeast-1.amazonaws.com/${pool.id}`,
      audiences: [client.id],
    });
  });

  it("public routes carry no authorizer", () => {
    for (const key of PUBLIC_ROUTES) {
      const route = graph.routeFor(key);
      expect(route.route.inputs.authorizationType, key).toBe("NONE");
      expect(route.fn?.logicalName, key).toBe("Query");
    }
  });
});

describe("WebSocket API", () => {
  it("$connect uses the Lambda REQUEST authorizer reading ?token=, every route targets a Lambda", () => {
    expect(checkWebSocket(graph)).toEqual([]);
    const connect = graph.routeFor("$connect", graph.webSocketApis()[0]);
    expect(connect.fn?.handler).toBe("packages/functions/src/realtime/connect.handler");
    expect(graph.functionByLambdaRef(connect.authorizer?.inputs.authorizerUri)?.handler).toBe(
      "packages/functions/src/realtime/authorizer.handler",
    );
  });
});

describe("events", () => {
  it("every table stream subscriber has an event source mapping on the stream", () => {
    expect(checkStreamSubscriptions(graph)).toEqual([]);
    // And no mapping invokes a function this app does not define.
    const owned = graph.functions().flatMap((fn) => graph.eventSourceMappingsOf(fn));
    for (const esm of graph.findAll("aws:lambda/eventSourceMapping:EventSourceMapping"))
      expect(owned, esm.name).toContain(esm);
  });

  it("SNS → SQS subscriptions have a queue policy for their topic; queues have their consumer mapping", () => {
    expect(checkTopicSubscriptions(graph)).toEqual([]);
    expect(checkQueueConsumers(graph)).toEqual([]);
  });

  it("bucket notifications target functions, queues or topics of this app", () => {
    expect(checkBucketNotifications(graph)).toEqual([]);
  });
});

describe("links", () => {
  let reads: Record<string, CodeReads>;
  let problems: Problem[];
  beforeAll(async () => {
    reads = {};
    // A handler whose file is missing gets no entry: checkLinks reports it by name.
    for (const fn of graph.functions())
      reads[fn.handler] ??= await codeReads(repoRoot, fn.handler).catch(
        () => undefined as unknown as CodeReads,
      );
    problems = checkLinks(graph, reads);
  });

  it("every function links exactly what its code reads (Resource.<Name>)", () => {
    const unexplained = problems.filter(
      (p) => !LINKED_AHEAD.some((a) => p.subject === a.fn && p.message.includes(`links ${a.link} but`)),
    );
    expect(unexplained).toEqual([]);
  });

  it("every link held ahead of its code is still unread (drop the entry once the code reads it)", () => {
    for (const a of LINKED_AHEAD)
      expect(
        problems.some((p) => p.subject === a.fn && p.message.includes(`links ${a.link} but`)),
        `${a.fn} → ${a.link}`,
      ).toBe(true);
  });

  it("every function's link set comes from SST's build request", () => {
    for (const fn of graph.functions()) expect(fn.build, fn.logicalName).toBeDefined();
  });
});
