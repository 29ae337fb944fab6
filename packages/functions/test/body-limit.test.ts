import type { APIGatewayProxyEventV2 } from "aws-lambda";
import type { LambdaContext } from "hono/aws-lambda";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { type Lambdas, loadLambdas } from "../src/api/registry";

const LIMIT = 64 * 1024;
let post: Lambdas["Post"];
let handler: (event: APIGatewayProxyEventV2, context: LambdaContext) => Promise<unknown>;
beforeAll(async () => {
  ({ Post: post } = await loadLambdas());
  ({ handler } = (await import("../src/api/post")) as unknown as { handler: typeof handler });
});
afterEach(() => vi.restoreAllMocks());

// The shape API Gateway HTTP API (payload 2.0) hands the Lambda, with a verified JWT.
function event(body: string, contentType = "application/json"): APIGatewayProxyEventV2 {
  return {
    version: "2.0",
    routeKey: "POST /api/posts",
    rawPath: "/api/posts",
    rawQueryString: "",
    headers: { "content-type": contentType, "content-length": String(Buffer.byteLength(body)) },
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      domainName: "localhost",
      domainPrefix: "localhost",
      http: {
        method: "POST",
        path: "/api/posts",
        protocol: "HTTP/1.1",
        sourceIp: "127.0.0.1",
        userAgent: "t",
      },
      requestId: "r",
      routeKey: "POST /api/posts",
      stage: "$default",
      time: "07/Dec/2026:00:00:00 +0000",
      timeEpoch: 0,
      authorizer: { jwt: { claims: { sub: "u-1", token_use: "access" }, scopes: [] } },
    } as APIGatewayProxyEventV2["requestContext"],
    body,
    isBase64Encoded: false,
  };
}

const oneMegabytePost = JSON.stringify({ text: "a".repeat(1024 * 1024) });

describe("the whole-request budget (64 KB of JSON)", () => {
  it("refuses a 1 MB body from API Gateway with 413 request.too_large, before parsing or counting it", async () => {
    const parse = vi.spyOn(JSON, "parse");
    const segment = vi.spyOn(Intl.Segmenter.prototype, "segment");
    const res = (await handler(event(oneMegabytePost), {} as LambdaContext)) as {
      statusCode: number;
      body: string;
    };
    expect(parse.mock.calls.filter(([text]) => String(text).length > 1024)).toEqual([]);
    expect(segment).not.toHaveBeenCalled();
    expect(res.statusCode).toBe(413);
    expect(JSON.parse(res.body)).toEqual({
      error: { code: "request.too_large", message: "A request body is at most 64 KB." },
    });
  });

  it("measures bytes, not characters: 22,000 kana (66,000 bytes) are over, 21,000 (63,000) are validated", async () => {
    const over = (await handler(
      event(JSON.stringify({ text: "あ".repeat(22_000) })),
      {} as LambdaContext,
    )) as {
      statusCode: number;
    };
    expect(over.statusCode).toBe(413);
    const under = (await handler(
      event(JSON.stringify({ text: "あ".repeat(21_000) })),
      {} as LambdaContext,
    )) as {
      statusCode: number;
      body: string;
    };
    expect(under.statusCode).toBe(400);
    expect(JSON.parse(under.body).error.code).toBe("post.too_long");
  });

  it("also holds without a Lambda event or a Content-Length (app.request)", async () => {
    const res = await post.request("/api/posts", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: `${" ".repeat(LIMIT)}{}`,
    });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe("request.too_large");
  });

  it("a body at the limit still reaches validation", async () => {
    const body = JSON.stringify({ text: 5 });
    const res = await post.request("/api/posts", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: body.padEnd(LIMIT, " "),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe("request.invalid");
  });
});
