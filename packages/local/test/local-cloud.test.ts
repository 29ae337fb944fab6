// The local cloud end to end on the fixture app: real stand-ins, real workers, real sockets.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GetConnectionCommand,
  PostToConnectionCommand,
} from "@aws-sdk/client-apigatewaymanagementapi";
import {
  CloudFrontClient,
  GetInvalidationCommand,
  ListInvalidationsCommand,
} from "@aws-sdk/client-cloudfront";
import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  BatchWriteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import { DeleteObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { decodeJwt, exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { type LocalCloud, startLocalCloud } from "../src/local-cloud";
import { localDistributionId } from "../src/standins";
import { startStreamPollers } from "../src/streams/poller";

const fixtureDir = join(import.meta.dirname, "fixture");
const CODE = "654321";
const output: string[] = [];
let cloud: LocalCloud;
let dataDir: string;
let origin: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "asyncsns-local-cloud-"));
  cloud = await startLocalCloud({
    root: fixtureDir,
    configFile: join(fixtureDir, "sst.config.ts"),
    port: 0,
    dataDir,
    inMemory: true,
    confirmationCode: CODE,
    quiet: true,
    wsIdleTimeoutMs: 2500,
    streamPollIntervalMs: 50,
    log: (line) => output.push(line),
    functionOutput: (fn, _stream, line) => output.push(`[${fn}] ${line}`),
  });
  origin = `http://127.0.0.1:${cloud.port}`;
});

afterAll(async () => {
  if (process.env.ASYNCSNS_TEST_LOG) await writeFile(process.env.ASYNCSNS_TEST_LOG, output.join("\n"));
  await cloud?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

async function signIn() {
  const cognito = new CognitoIdentityProviderClient({
    endpoint: cloud.urls.cognito.endpoint,
    region: cloud.urls.cognito.region,
    credentials,
  });
  const email = `u${Date.now()}@example.com`;
  const ClientId = cloud.urls.cognito.clientId;
  await cognito.send(
    new SignUpCommand({
      ClientId,
      Username: email,
      Password: "Passw0rd!x",
      UserAttributes: [{ Name: "email", Value: email }],
    }),
  );
  await cognito.send(new ConfirmSignUpCommand({ ClientId, Username: email, ConfirmationCode: CODE }));
  const auth = await cognito.send(
    new InitiateAuthCommand({
      ClientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: email, PASSWORD: "Passw0rd!x" },
    }),
  );
  return auth.AuthenticationResult!;
}

describe("HTTP API", () => {
  it("builds a payload 2.0 event and translates the result", async () => {
    const res = await fetch(`${origin}/api/public/a%20b?x=1&x=2&y=z`, {
      headers: { cookie: "c1=v1; c2=v2", "X-Custom": "Yes" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-fixture")).toBe("echo");
    expect(res.headers.getSetCookie()).toEqual(["a=1; Path=/", "b=2; Path=/"]);
    const { event, functionName, remaining, env } = await res.json();
    expect(event).toMatchObject({
      version: "2.0",
      routeKey: "GET /api/public/{id}",
      rawPath: "/api/public/a%20b",
      rawQueryString: "x=1&x=2&y=z",
      cookies: ["c1=v1", "c2=v2"],
      queryStringParameters: { x: "1,2", y: "z" },
      pathParameters: { id: "a b" },
      isBase64Encoded: false,
      requestContext: {
        http: { method: "GET", path: "/api/public/a%20b", sourceIp: "127.0.0.1" },
        routeKey: "GET /api/public/{id}",
        stage: "$default",
      },
    });
    expect(event.headers["x-custom"]).toBe("Yes");
    expect(event.headers.cookie).toBeUndefined();
    expect(event.requestContext.authorizer).toBeUndefined();
    expect(typeof event.requestContext.timeEpoch).toBe("number");
    expect(functionName).toBe("fixture-local-Echo");
    expect(remaining).toBeGreaterThan(3000);
    expect(remaining).toBeLessThanOrEqual(5000);
    expect(env).toEqual({ fn: "Echo", memory: "256" });
  });

  it("base64-encodes binary bodies", async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 251, 252]);
    const res = await fetch(`${origin}/api/upload`, {
      method: "POST",
      headers: { "content-type": "application/octet-stream" },
      body: bytes,
    });
    const { event } = await res.json();
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body, "base64")).toEqual(bytes);
    const json = await (
      await fetch(`${origin}/api/upload`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: '{"a":1}',
      })
    ).json();
    expect(json.event).toMatchObject({ body: '{"a":1}', isBase64Encoded: false });
  });

  // "Amazon API Gateway quotas" (HTTP API payload size, 10 MB): https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
  it("refuses a body declared over the 10 MB payload quota with 413 before reading it", async () => {
    const req = request(`${origin}/api/upload`, {
      method: "POST",
      headers: { "content-type": "application/octet-stream", "content-length": String(10 * 1024 * 1024 + 1) },
    });
    const status = new Promise<number>((resolve, reject) => {
      req.once("response", (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.once("error", reject);
    });
    // One byte of the eleven million declared: the answer cannot have waited for the rest.
    req.write("x");
    expect(await status).toBe(413);
    req.destroy();
  });

  it("answers unknown routes with 404", async () => {
    const res = await fetch(`${origin}/api/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ message: "Not Found", error: { code: "not_found" } });
  });

  it("runs functions created from a handler string under SST's name", async () => {
    const res = await fetch(`${origin}/api/handler-string`);
    const { functionName } = await res.json();
    expect(functionName).toMatch(/^fixture-local-ApiRoute[A-Z][a-z]{5}Handler$/);
  });

  it("returns 500 for a throwing handler and keeps the worker serving", async () => {
    expect((await fetch(`${origin}/api/crash`)).status).toBe(500);
    expect(output.some((l) => l.includes("TypeError: boom"))).toBe(true);
    expect((await fetch(`${origin}/api/crash`)).status).toBe(500);
  });

  it("times a function out at its timeout and gives the next invoke a fresh sandbox", async () => {
    const t0 = Date.now();
    const first = await fetch(`${origin}/api/slow?sleep=1`);
    expect(first.status).toBe(500);
    expect(Date.now() - t0).toBeLessThan(2500);
    // Module state starts over: the killed sandbox had counted one call.
    expect(await (await fetch(`${origin}/api/slow`)).json()).toEqual({ calls: 1 });
  });

  it("answers a throttled function (reserved concurrency 0) with API Gateway's bare 500", async () => {
    const res = await fetch(`${origin}/api/off`);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ message: "Internal Server Error" });
    expect(output.some((l) => l.includes("TooManyRequestsException"))).toBe(true);
  });
});

describe("JWT authorizer", () => {
  let tokens: { AccessToken?: string; IdToken?: string };
  beforeAll(async () => {
    tokens = await signIn();
  });

  it("passes verified claims to the function", async () => {
    const res = await fetch(`${origin}/api/private/a/b`, {
      headers: { authorization: `Bearer ${tokens.AccessToken}` },
    });
    expect(res.status).toBe(200);
    const { event } = await res.json();
    const claims = decodeJwt(tokens.AccessToken!);
    expect(event.pathParameters).toEqual({ proxy: "a/b" });
    expect(event.requestContext.authorizer.jwt.claims).toMatchObject({
      sub: claims.sub,
      client_id: cloud.urls.cognito.clientId,
      exp: String(claims.exp),
    });
    expect(event.requestContext.authorizer.jwt.scopes).toEqual(["aws.cognito.signin.user.admin"]);
  });

  it("accepts id tokens by audience", async () => {
    const res = await fetch(`${origin}/api/private/x`, { headers: { authorization: tokens.IdToken! } });
    expect(res.status).toBe(200);
  });

  it("forwards what the Router's behavior forwards: the default one drops Authorization on GET, the uncached one keeps it", async () => {
    const authorization = `Bearer ${tokens.AccessToken}`;
    const dropped = await fetch(`${origin}/api/default-behavior/x`, { headers: { authorization } });
    expect(dropped.status).toBe(401);
    expect((await dropped.json()).error.message).toMatch(/missing/);
    const head = await fetch(`${origin}/api/default-behavior/x`, {
      method: "HEAD",
      headers: { authorization },
    });
    expect(head.status).toBe(401);
    // Other methods get every viewer header through the origin request policy.
    const posted = await fetch(`${origin}/api/default-behavior/x`, {
      method: "POST",
      headers: { authorization },
    });
    expect(posted.status).toBe(200);
    const kept = await fetch(`${origin}/api/private/x?a=1`, { headers: { authorization } });
    expect(kept.status).toBe(200);
    expect((await kept.json()).event.rawQueryString).toBe("a=1");
  });

  async function expect401(authorization: string | undefined, why: RegExp) {
    const res = await fetch(`${origin}/api/private/x`, {
      method: "POST",
      headers: authorization ? { authorization } : {},
    });
    expect(res.status).toBe(401);
    const body = await res.json();
    expect(body).toMatchObject({ message: "Unauthorized", error: { code: "unauthorized" } });
    expect(body.error.message).toMatch(why);
  }

  it("rejects a missing token", () => expect401(undefined, /missing/));

  it("rejects a token signed by another key", async () => {
    const claims = decodeJwt(tokens.AccessToken!);
    const header = JSON.parse(Buffer.from(tokens.AccessToken!.split(".")[0]!, "base64url").toString());
    const { privateKey } = await generateKeyPair("RS256");
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: "RS256", kid: header.kid })
      .sign(privateKey);
    await expect401(`Bearer ${forged}`, /signature/);
  });

  it("rejects an expired token and a token for another client", async () => {
    // cognito-local signs with a key shipped in its package: sign like it, only the claims differ.
    const keyFile = join(
      import.meta.dirname,
      "../../../node_modules/cognito-local/lib/keys/cognitoLocal.private.json",
    );
    const { jwk } = JSON.parse(await readFile(keyFile, "utf8")) as { jwk: JWK };
    const key = await importJWK(jwk, "RS256");
    const header = JSON.parse(Buffer.from(tokens.AccessToken!.split(".")[0]!, "base64url").toString());
    const claims = decodeJwt(tokens.AccessToken!);
    const now = Math.floor(Date.now() / 1000);
    const sign = (c: object) => new SignJWT({ ...claims, ...c }).setProtectedHeader(header).sign(key);
    await expect401(`Bearer ${await sign({ iat: now - 7200, exp: now - 3600 })}`, /expired/);
    await expect401(`Bearer ${await sign({ client_id: "someone-else" })}`, /audience/);
    await expect401(`Bearer ${await sign({ iss: "http://127.0.0.1:1/other" })}`, /issuer/);
    // Sanity: the same signer with untouched claims is accepted, so the rejections above are about the claims.
    expect(
      (await fetch(`${origin}/api/private/x`, { headers: { authorization: `Bearer ${await sign({})}` } }))
        .status,
    ).toBe(200);
    void exportJWK;
  });
});

describe("link isolation", () => {
  it("gives a function only the resources it links", async () => {
    const linked = await (await fetch(`${origin}/api/linked`)).json();
    expect(linked).toEqual({ table: "fixture-local-Table", app: "fixture" });
    const unlinked = await (await fetch(`${origin}/api/unlinked`)).json();
    expect(unlinked.error).toMatch(/"Table" is not linked/);
    expect(unlinked.keys.filter((k: string) => k.startsWith("SST_RESOURCE_"))).toEqual(["SST_RESOURCE_App"]);
    // Nothing of the developer's shell leaks into a function.
    expect(unlinked.keys).not.toContain("HOME");
    expect(unlinked.keys).not.toContain("PATH");
    expect(unlinked.keys).toContain("AWS_ENDPOINT_URL_DYNAMODB");
    // The ICE adapter's KinesisVideoClient reaches the KVS stand-in through its service endpoint variable.
    expect(unlinked.keys).toContain("AWS_ENDPOINT_URL_KINESIS_VIDEO");
  });
});

function open(query: string): Promise<{ ws: WebSocket; messages: unknown[]; next: () => Promise<unknown> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${cloud.urls.wsUrl.replace("localhost", "127.0.0.1")}${query}`);
    const messages: unknown[] = [];
    const waiters: ((m: unknown) => void)[] = [];
    ws.on("message", (data) => {
      const text = data.toString();
      let m: unknown = text;
      try {
        m = JSON.parse(text);
      } catch {}
      const w = waiters.shift();
      if (w) w(m);
      else messages.push(m);
    });
    const next = () =>
      messages.length ? Promise.resolve(messages.shift()) : new Promise<unknown>((r) => waiters.push(r));
    ws.once("open", () => resolve({ ws, messages, next }));
    ws.once("unexpected-response", (_req, res) =>
      reject(Object.assign(new Error("refused"), { status: res.statusCode })),
    );
    ws.once("error", reject);
  });
}

async function refusedWith(query: string): Promise<number> {
  try {
    const { ws } = await open(query);
    ws.close();
    return 101;
  } catch (err) {
    return (err as { status: number }).status;
  }
}

describe("WebSocket API", () => {
  it("refuses the upgrade without the identity source, on a thrown Unauthorized, a Deny, or a non-2xx $connect", async () => {
    const before = output.filter((l) => l.startsWith("[RealtimeAuthorizertokenHandler]")).length;
    expect(await refusedWith("")).toBe(401);
    expect(await refusedWith("?token=bad")).toBe(401);
    expect(await refusedWith("?token=deny")).toBe(403);
    expect(await refusedWith("?token=good&reject=1")).toBe(403);
    void before;
  });

  it("routes actions, $default and @connections posts between live sockets", async () => {
    const a = await open("?token=good");
    const b = await open("?token=good");
    a.ws.send(JSON.stringify({ action: "echo", n: 1 }));
    expect(await a.next()).toEqual({
      route: "echo",
      authorizer: { userId: "user-1", principalId: "user-1" },
      body: JSON.stringify({ action: "echo", n: 1 }),
    });
    a.ws.send("not json");
    const self = (await a.next()) as { route: string; connectionId: string };
    expect(self.route).toBe("$default");
    b.ws.send("who am i");
    const bId = ((await b.next()) as { connectionId: string }).connectionId;

    a.ws.send(JSON.stringify({ to: bId }));
    expect(await b.next()).toEqual({ from: self.connectionId, route: "$default" });
    expect(await a.next()).toEqual({ delivered: bId });

    // The connection item written by $connect (with the authorizer's context) is removed by $disconnect.
    const dynamo = new DynamoDBClient({
      endpoint: cloud.standIns.dynamodb.endpoint,
      region: "us-east-1",
      credentials,
    });
    const item = await dynamo.send(
      new GetItemCommand({ TableName: "fixture-local-Table", Key: { pk: { S: "conn" }, sk: { S: bId } } }),
    );
    expect(item.Item?.userId?.S).toBe("user-1");
    const closed = new Promise((r) => b.ws.once("close", r));
    b.ws.close();
    await closed;
    await expect
      .poll(
        async () =>
          (
            await dynamo.send(
              new GetItemCommand({
                TableName: "fixture-local-Table",
                Key: { pk: { S: "conn" }, sk: { S: bId } },
              }),
            )
          ).Item,
      )
      .toBeUndefined();

    a.ws.send(JSON.stringify({ to: bId }));
    expect(await a.next()).toEqual({ gone: bId, error: "GoneException", status: 410 });
    a.ws.close();
  });

  it("serves GetConnection and DeleteConnection to the management API client", async () => {
    const a = await open("?token=good");
    a.ws.send("id?");
    const { connectionId } = (await a.next()) as { connectionId: string };
    const management = new ApiGatewayManagementApiClient({
      endpoint: `${origin}/ws`,
      region: "us-east-1",
      credentials,
    });
    const info = await management.send(new GetConnectionCommand({ ConnectionId: connectionId }));
    expect(info.ConnectedAt).toBeInstanceOf(Date);
    expect(info.Identity?.SourceIp).toBe("127.0.0.1");
    const closed = new Promise((r) => a.ws.once("close", r));
    await management.send(new DeleteConnectionCommand({ ConnectionId: connectionId }));
    await closed;
    await expect(
      management.send(new GetConnectionCommand({ ConnectionId: connectionId })),
    ).rejects.toMatchObject({
      name: "GoneException",
    });
  });

  it("refuses @connections calls that are unsigned or signed with another key, as AWS does", async () => {
    const a = await open("?token=good");
    a.ws.send("id?");
    const { connectionId } = (await a.next()) as { connectionId: string };
    const url = `${origin}/ws/@connections/${encodeURIComponent(connectionId)}`;
    const unsigned = await fetch(url, { method: "POST", body: "unsigned" });
    expect(unsigned.status).toBe(403);
    expect(unsigned.headers.get("x-amzn-errortype")).toBe("MissingAuthenticationTokenException");
    const client = (secretAccessKey: string, accessKeyId = credentials.accessKeyId) =>
      new ApiGatewayManagementApiClient({
        endpoint: `${origin}/ws`,
        region: "us-east-1",
        credentials: { accessKeyId, secretAccessKey },
      });
    const data = (text: string) => ({ ConnectionId: connectionId, Data: Buffer.from(text) });
    await expect(
      client("not-the-secret").send(new PostToConnectionCommand(data("wrong secret"))),
    ).rejects.toMatchObject({
      name: "InvalidSignatureException",
      $metadata: { httpStatusCode: 403 },
    });
    await expect(
      client(credentials.secretAccessKey, "AKIDOTHER").send(new PostToConnectionCommand(data("other key"))),
    ).rejects.toMatchObject({
      name: "UnrecognizedClientException",
      $metadata: { httpStatusCode: 403 },
    });
    await expect(
      client("not-the-secret").send(new DeleteConnectionCommand({ ConnectionId: connectionId })),
    ).rejects.toMatchObject({
      $metadata: { httpStatusCode: 403 },
    });
    // The first frame to arrive is the signed one: none of the refused calls reached the socket.
    await client(credentials.secretAccessKey).send(new PostToConnectionCommand(data("signed")));
    expect(await a.next()).toBe("signed");
    expect(a.ws.readyState).toBe(WebSocket.OPEN);
    a.ws.close();
  });

  it("closes a socket idle past the idle timeout", async () => {
    const a = await open("?token=good");
    const code = await new Promise<number>((r) => a.ws.once("close", (c) => r(c)));
    expect(code).toBe(1001);
  });
});

describe("DynamoDB stream subscriber", () => {
  it("delivers filtered batches with eventSourceARN and retries from a reported item failure", async () => {
    const dynamo = new DynamoDBClient({
      endpoint: cloud.standIns.dynamodb.endpoint,
      region: "us-east-1",
      credentials,
    });
    const TableName = "fixture-local-Table";
    const put = (sk: string, kind: string) =>
      dynamo.send(
        new PutItemCommand({ TableName, Item: { pk: { S: "post" }, sk: { S: sk }, kind: { S: kind } } }),
      );
    await put("p1", "post");
    await put("fail-once-1", "post");
    await put("c1", "comment");
    await cloud.drainStreams();
    const seen = async (sk: string) =>
      (await dynamo.send(new GetItemCommand({ TableName, Key: { pk: { S: "seen" }, sk: { S: sk } } }))).Item;
    const p1 = await seen("p1");
    expect(p1?.deliveries?.N).toBe("1");
    expect(p1?.arn?.S).toBe(cloud.standIns.dynamodb.tables?.[TableName]?.streamArn);
    expect(p1?.arn?.S).toMatch(/^arn:aws:dynamodb:/);
    expect((await seen("fail-once-1"))?.deliveries?.N).toBe("2");
    // The filter keeps comments (and the subscriber's own "seen" writes) away from it.
    expect(await seen("c1")).toBeUndefined();
  });

  it("drains past a backlog longer than one GetRecords page that built up during an invoke", async () => {
    const dynamo = new DynamoDBClient({
      endpoint: cloud.standIns.dynamodb.endpoint,
      region: "us-east-1",
      credentials,
    });
    const TableName = "fixture-local-Table";
    // A second mapping on the fixture table whose function we hold: the backlog grows while it runs.
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    let started = () => {};
    const invoked = new Promise<void>((r) => {
      started = r;
    });
    const delivered: string[] = [];
    const pollers = await startStreamPollers({
      endpoint: cloud.standIns.dynamodb.endpoint,
      region: "us-east-1",
      credentials,
      subscriptions: [
        {
          streamArn: cloud.standIns.dynamodb.tables![TableName]!.streamArn!,
          subscription: {
            name: "Backlog",
            table: "Table",
            function: "Backlog",
            filters: [{ dynamodb: { Keys: { pk: { S: ["backlog-post"] } } } }],
            batchSize: 10,
            maximumRetryAttempts: 0,
            functionResponseTypes: [],
            startingPosition: "LATEST",
          },
        },
      ],
      invoke: async (_fn, event) => {
        const records = (event as { Records: { dynamodb: { Keys: { sk: { S: string } } } }[] }).Records;
        delivered.push(...records.map((r) => r.dynamodb.Keys.sk.S));
        started();
        await held;
        return null;
      },
      log: () => {},
      intervalMs: 50,
    });
    try {
      const put = (pk: string, sk: string) =>
        dynamo.send(new PutItemCommand({ TableName, Item: { pk: { S: pk }, sk: { S: sk } } }));
      await put("backlog-post", "first");
      await invoked;
      // 2,500 filtered-out records, then a matching one: three pages of 1,000 past the held invoke.
      const items = Array.from({ length: 2500 }, (_, i) => ({
        PutRequest: { Item: { pk: { S: "backlog" }, sk: { S: `c${i}` } } },
      }));
      for (let i = 0; i < items.length; i += 25)
        await dynamo.send(
          new BatchWriteItemCommand({ RequestItems: { [TableName]: items.slice(i, i + 25) } }),
        );
      await put("backlog-post", "last");
      release();
      await pollers.drain(20_000);
      expect(delivered).toEqual(["first", "last"]);
    } finally {
      release();
      await pollers.stop();
    }
  });
});

describe("router, media, site and config.json", () => {
  it("answers with the Router's response headers policy, its AWS hosts resolved to the stand-ins", async () => {
    const page = await fetch(`${origin}/`);
    const csp = page.headers.get("content-security-policy");
    expect(csp).toBe(
      `default-src 'self'; img-src 'self' ${new URL(cloud.standIns.s3.endpoint).origin}; connect-src 'self' ${cloud.urls.wsUrl}`,
    );
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    expect(page.headers.get("x-served-by")).toBe("router");
    // The API's own header wins where the policy does not override; cookies survive the merge.
    const api = await fetch(`${origin}/api/public/a`);
    expect(api.headers.get("x-frame-options")).toBe("DENY");
    expect(api.headers.get("x-fixture")).toBe("echo");
    expect(api.headers.getSetCookie()).toEqual(["a=1; Path=/", "b=2; Path=/"]);
  });

  it("serves /config.json with the site's keys and local values", async () => {
    const res = await fetch(`${origin}/config.json`);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({ region: cloud.urls.cognito.region, apiUrl: "/api", extra: "kept" });
  });

  it("serves bucket objects under the routed path with ranges and etags", async () => {
    const s3 = new S3Client({
      endpoint: cloud.standIns.s3.endpoint,
      region: "us-east-1",
      credentials,
      forcePathStyle: true,
    });
    await s3.send(
      new PutObjectCommand({
        Bucket: "fixture-local-files",
        Key: "a/b.txt",
        Body: "hello media",
        ContentType: "text/plain",
      }),
    );
    const full = await fetch(`${origin}/files/a/b.txt`);
    expect(full.status).toBe(200);
    expect(full.headers.get("content-type")).toBe("text/plain");
    expect(full.headers.get("content-length")).toBe("11");
    expect(full.headers.get("etag")).toBeTruthy();
    expect(await full.text()).toBe("hello media");
    const part = await fetch(`${origin}/files/a/b.txt`, { headers: { range: "bytes=6-10" } });
    expect(part.status).toBe(206);
    expect(await part.text()).toBe("media");
    expect((await fetch(`${origin}/files/missing.txt`)).status).toBe(403);
  });

  it("invokes the bucket's notification function for matching new objects only", async () => {
    const s3 = new S3Client({
      endpoint: cloud.standIns.s3.endpoint,
      region: "us-east-1",
      credentials,
      forcePathStyle: true,
    });
    await s3.send(new PutObjectCommand({ Bucket: "fixture-local-files", Key: "uploads/a b.txt", Body: "x" }));
    await s3.send(new PutObjectCommand({ Bucket: "fixture-local-files", Key: "other/c.txt", Body: "x" }));
    const dynamo = new DynamoDBClient({
      endpoint: cloud.standIns.dynamodb.endpoint,
      region: "us-east-1",
      credentials,
    });
    const get = (sk: string) =>
      dynamo.send(
        new GetItemCommand({ TableName: "fixture-local-Table", Key: { pk: { S: "s3" }, sk: { S: sk } } }),
      );
    await expect.poll(async () => (await get("uploads/a b.txt")).Item?.bucket?.S).toBe("fixture-local-files");
    await cloud.drainStreams();
    expect((await get("other/c.txt")).Item).toBeUndefined();
  });

  it("delivers removals to ObjectRemoved subscribers only, whose CloudFront calls reach the Router's distribution", async () => {
    const s3 = new S3Client({
      endpoint: cloud.standIns.s3.endpoint,
      region: "us-east-1",
      credentials,
      forcePathStyle: true,
    });
    const Bucket = "fixture-local-files";
    for (const Key of ["uploads/gone.txt", "other/gone.txt"])
      await s3.send(new PutObjectCommand({ Bucket, Key, Body: "x" }));
    for (const Key of ["uploads/gone.txt", "other/gone.txt"])
      await s3.send(new DeleteObjectCommand({ Bucket, Key }));
    await cloud.drainStreams();

    // The Linkable's deferred distribution id became the Router's fixed local id, which the stand-in knows.
    const DistributionId = cloud.urls.cloudfront?.distributionId;
    expect(DistributionId).toBe(localDistributionId("Router"));
    const cloudfront = new CloudFrontClient({
      endpoint: cloud.urls.cloudfront?.endpoint,
      region: "us-east-1",
      credentials,
    });
    const { InvalidationList } = await cloudfront.send(new ListInvalidationsCommand({ DistributionId }));
    const paths = await Promise.all(
      (InvalidationList?.Items ?? []).map(
        async ({ Id }) =>
          (await cloudfront.send(new GetInvalidationCommand({ DistributionId, Id }))).Invalidation
            ?.InvalidationBatch?.Paths?.Items,
      ),
    );
    expect(paths).toEqual([["/files/uploads/gone.txt"]]);

    // The created-only subscriber recorded the upload and was not invoked again for its removal.
    const dynamo = new DynamoDBClient({
      endpoint: cloud.standIns.dynamodb.endpoint,
      region: "us-east-1",
      credentials,
    });
    const { Item } = await dynamo.send(
      new GetItemCommand({
        TableName: "fixture-local-Table",
        Key: { pk: { S: "s3" }, sk: { S: "uploads/gone.txt" } },
      }),
    );
    expect(Item?.event?.S).toBe("ObjectCreated:Put");
  });

  it("serves the static export like CloudFront + S3", async () => {
    const home = await fetch(`${origin}/`);
    expect(home.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await home.text()).toContain("home");
    const redirect = await fetch(`${origin}/about?x=1`, { redirect: "manual" });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get("location")).toBe("/about/?x=1");
    expect(await (await fetch(`${origin}/about/`)).text()).toContain("about");
    const missing = await fetch(`${origin}/nowhere`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain("not found");
    const chunk = await fetch(`${origin}/_next/static/chunks/app.js`);
    expect(chunk.headers.get("cache-control")).toContain("immutable");
    expect(chunk.headers.get("content-type")).toContain("javascript");
  });

  it("writes local.json", async () => {
    const local = JSON.parse(await readFile(join(dataDir, "local.json"), "utf8"));
    expect(local).toEqual(cloud.urls);
    expect(local.apiUrl).toBe(`http://localhost:${cloud.port}/api`);
    // What a test needs to act as the backend: read Connection items, then call @connections.
    expect(local.dynamodb).toEqual({ endpoint: cloud.standIns.dynamodb.endpoint, region: "us-east-1" });
    expect(Object.keys(cloud.standIns.dynamodb.tables ?? {})).toContain(local.table);
    expect(local.managementEndpoint).toBe(`http://127.0.0.1:${cloud.port}/ws`);
    // Calls: the KVS signalling stand-in, and the coturn its credentials are for.
    expect(local.kvs).toEqual({ endpoint: cloud.standIns.kvs.endpoint, region: "us-east-1" });
    expect(local.turn.urls).toEqual([
      `turn:127.0.0.1:${cloud.standIns.turn.port}?transport=udp`,
      `turn:127.0.0.1:${cloud.standIns.turn.port}?transport=tcp`,
    ]);
  });
});

describe("API Gateway outage (control port)", () => {
  const control = (action: string) =>
    fetch(`${cloud.urls.control!.url}/gateways${action ? `/${action}` : ""}`, {
      method: action ? "POST" : "GET",
    }).then((r) => r.json());

  it("is loopback-only on its own port, and listed in local.json", async () => {
    const url = new URL(cloud.urls.control!.url);
    expect(url.hostname).toBe("127.0.0.1");
    expect(Number(url.port)).not.toBe(cloud.port);
    const written = JSON.parse(await readFile(join(dataDir, "local.json"), "utf8"));
    expect(written.control).toEqual({ url: cloud.urls.control!.url });
    // Nothing of it through the public origin.
    expect((await fetch(`${origin}/gateways/stop`, { method: "POST" })).status).toBe(404);
    expect(await control("")).toEqual({ api: "up", ws: "up" });
  });

  it("takes only the HTTP and WebSocket APIs down, as CloudFront shows a dead origin, then brings them back", async () => {
    const live = await open("?token=good");
    const closed = new Promise<number>((resolve) => live.ws.once("close", (code) => resolve(code)));
    try {
      expect(await control("stop")).toEqual({ api: "down", ws: "down" });
      const res = await fetch(`${origin}/api/public/x`);
      expect(res.status).toBe(502);
      expect(res.headers.get("x-cache")).toBe("Error from cloudfront");
      expect(await res.text()).toContain("The request could not be satisfied.");
      // Open sockets drop without a close frame; new ones are refused.
      expect(await closed).toBe(1006);
      expect(await refusedWith("?token=good")).toBe(502);
      // The rest of the distribution still answers.
      expect((await fetch(`${origin}/config.json`)).status).toBe(200);
    } finally {
      expect(await control("start")).toEqual({ api: "up", ws: "up" });
    }
    expect((await fetch(`${origin}/api/public/x`)).status).toBe(200);
    expect(await refusedWith("?token=good")).toBe(101);
  });
});
