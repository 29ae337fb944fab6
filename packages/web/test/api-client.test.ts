import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryApp } from "../../../scripts/api-types";
import { ApiError, api, apiClient, ok } from "../src/lib/api";
import { connectivity } from "../src/lib/connectivity";
import { postsApi } from "../src/lib/posts-api";
import { session } from "../src/lib/session";

// Serves a fetch handler over real HTTP, as the browser's client will meet it.
async function serve(handler: (request: Request) => Response | Promise<Response>): Promise<Server> {
  const server = createServer(async (req, res) => {
    const answer = await handler(new Request(`http://${req.headers.host}${req.url}`, { method: req.method }));
    res.writeHead(answer.status, answer.statusText, Object.fromEntries(answer.headers));
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

const origin = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

async function useApi(apiUrl: string) {
  await session.restore({
    region: "us-east-1",
    userPoolId: "unit",
    userPoolClientId: "unit",
    cognitoEndpoint: "http://127.0.0.1:9",
    apiUrl,
    wsUrl: "ws://127.0.0.1:9",
    mediaUrl: "http://127.0.0.1:9",
  });
}

const failure = (pending: Promise<unknown>) =>
  pending.then(
    () => expect.fail("the call succeeded"),
    (err: unknown) => {
      expect(err).toBeInstanceOf(ApiError);
      return err as ApiError;
    },
  );

describe("the web API client", () => {
  let query: Server;
  let gateway: Server;
  beforeAll(async () => {
    const app = await queryApp();
    query = await serve((request) => app.fetch(request));
    gateway = await serve(
      () => new Response("<html>Bad gateway</html>", { status: 502, statusText: "Bad Gateway" }),
    );
  });
  afterAll(() => {
    query.close();
    gateway.close();
  });

  it("reaches the document's paths under the configured apiUrl", async () => {
    await useApi(`${origin(query)}/api`);
    expect(await ok(apiClient().GET("/api/health"))).toEqual({ ok: true });
  });

  it("turns the API's error body into an ApiError with its code, status and message", async () => {
    await useApi(`${origin(query)}/api`);
    const err = await failure(api.getUser("x".repeat(65)));
    expect(err.status).toBe(400);
    expect(err.code).toBe("request.invalid");
    expect(err.message).not.toBe("");
  });

  it("takes a gateway's 5xx without the API's error shape as the server unreachable, and says the app is offline", async () => {
    await useApi(`${origin(gateway)}/api`);
    const err = await failure(api.getMe());
    expect([err.code, err.status, err.message]).toEqual(["network", 502, "Bad Gateway"]);
    expect(connectivity.state).toBe("down");
  });

  it("carries a 429's Retry-After and the limit it names, so the UI can say how long to wait", async () => {
    const limited = await serve(() =>
      Response.json(
        {
          error: {
            code: "rate.limited",
            message: "You're posting too fast — try again in 5 minutes.",
            details: { action: "post", retryAfter: 281 },
          },
        },
        { status: 429, headers: { "Retry-After": "281" } },
      ),
    );
    await useApi(`${origin(limited)}/api`);
    const err = await failure(api.getMe());
    limited.close();
    expect([err.code, err.status, err.retryAfter, err.action]).toEqual(["rate.limited", 429, 281, "post"]);
  });

  it("reads a follower list only after a follow still in flight has landed (read your writes)", async () => {
    const order: string[] = [];
    let land: () => void = () => undefined;
    const landed = new Promise<void>((resolve) => {
      land = resolve;
    });
    const server = await serve(async (request) => {
      if (request.method === "POST") {
        await landed;
        order.push("follow");
        return new Response(null, { status: 204 });
      }
      order.push("list");
      return Response.json({ items: [], cursor: null });
    });
    await useApi(`${origin(server)}/api`);
    const follow = postsApi.follow("bob_1", true);
    const list = postsApi.followers("bob_1", null);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(order).toEqual([]);
    land();
    await Promise.all([follow, list]);
    server.close();
    expect(order).toEqual(["follow", "list"]);
  });

  it("reports a request that got no answer as a network error", async () => {
    const closed = await serve(() => new Response());
    const url = `${origin(closed)}/api`;
    await new Promise((resolve) => closed.close(resolve));
    await useApi(url);
    const err = await failure(api.getMe());
    expect([err.code, err.status]).toEqual(["network", 0]);
  });
});
