// Runs the real stand-ins (DynamoDB Local JVM, s3rver, cognito-local) and checks what the local cloud relies on.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import type { S3Event } from "aws-lambda";
import { createRemoteJWKSet, decodeJwt, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningStandIns, type StandInOptions, startStandIns } from "../src/standins";

const TABLE = "asyncsns-test-Table";
const BUCKET = "asyncsns-test-media";
const CODE = "424242";

const baseOptions = (dataDir: string): StandInOptions => ({
  dataDir,
  tables: [
    {
      name: TABLE,
      fields: { pk: "string", sk: "string", gsi1pk: "string", gsi1sk: "string", gsi2pk: "string" },
      primaryIndex: { hashKey: "pk", rangeKey: "sk" },
      globalIndexes: {
        gsi1: { hashKey: "gsi1pk", rangeKey: "gsi1sk" },
        gsi2: { hashKey: "gsi2pk", projection: "keys-only" },
      },
      stream: "new-and-old-images",
      ttl: "expiresAt",
    },
  ],
  buckets: [BUCKET],
  userPools: [{ name: "UserPool", usernames: ["email"], clients: [{ name: "Web" }] }],
  confirmationCode: CODE,
});

/** Stand-in processes whose working directory lies in this data dir (other runs on the machine are ignored). */
function standInPids(dataDir: string): number[] {
  const pids: number[] = [];
  for (const pattern of ["DynamoDBLocal", "cognito-local"]) {
    let out = "";
    try {
      out = execFileSync("pgrep", ["-f", pattern], { encoding: "utf8" });
    } catch {}
    for (const pid of out.split("\n").filter(Boolean).map(Number)) {
      try {
        if (readlinkSync(`/proc/${pid}/cwd`).startsWith(dataDir)) pids.push(pid);
      } catch {}
    }
  }
  return pids;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function eventually<T>(fn: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("stand-ins on a persisted data dir", () => {
  let dataDir: string;
  const codes: { username: string; code: string }[] = [];
  let standIns: RunningStandIns;
  let dynamo: DynamoDBClient;
  let s3: S3Client;
  let cognito: CognitoIdentityProviderClient;
  const email = "alice@example.com";
  const password = "Passw0rd!long";

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "asyncsns-standins-"));
    standIns = await startStandIns({ ...baseOptions(dataDir), onConfirmationCode: (c) => codes.push(c) });
    const { region, credentials } = standIns;
    dynamo = new DynamoDBClient({
      endpoint: standIns.dynamodb.endpoint,
      region,
      credentials: { ...credentials },
    });
    s3 = new S3Client({
      endpoint: standIns.s3.endpoint,
      region,
      credentials: { ...credentials },
      forcePathStyle: true,
      requestChecksumCalculation: "WHEN_REQUIRED",
    });
    cognito = new CognitoIdentityProviderClient({
      endpoint: standIns.cognito.endpoint,
      region,
      credentials: { ...credentials },
    });
  });

  afterAll(async () => {
    await standIns?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("creates the table with its keys, indexes, stream and TTL", async () => {
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: TABLE }));
    expect(Table?.KeySchema).toEqual([
      { AttributeName: "pk", KeyType: "HASH" },
      { AttributeName: "sk", KeyType: "RANGE" },
    ]);
    const gsis = Object.fromEntries((Table?.GlobalSecondaryIndexes ?? []).map((g) => [g.IndexName, g]));
    expect(gsis.gsi1?.KeySchema).toEqual([
      { AttributeName: "gsi1pk", KeyType: "HASH" },
      { AttributeName: "gsi1sk", KeyType: "RANGE" },
    ]);
    expect(gsis.gsi1?.Projection?.ProjectionType).toBe("ALL");
    expect(gsis.gsi2?.Projection?.ProjectionType).toBe("KEYS_ONLY");
    expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" });
    expect(Table?.BillingModeSummary?.BillingMode).toBe("PAY_PER_REQUEST");
    expect(standIns.dynamodb.tables?.[TABLE]?.streamArn).toBe(Table?.LatestStreamArn);
    const ttl = await dynamo.send(new DescribeTimeToLiveCommand({ TableName: TABLE }));
    expect(ttl.TimeToLiveDescription).toMatchObject({
      TimeToLiveStatus: "ENABLED",
      AttributeName: "expiresAt",
    });
  });

  it("round-trips an item", async () => {
    await dynamo.send(
      new PutItemCommand({
        TableName: TABLE,
        Item: { pk: { S: "user#1" }, sk: { S: "profile" }, n: { N: "7" } },
      }),
    );
    const { Item } = await dynamo.send(
      new GetItemCommand({ TableName: TABLE, Key: { pk: { S: "user#1" }, sk: { S: "profile" } } }),
    );
    expect(Item?.n).toEqual({ N: "7" });
  });

  it("stores objects and announces them like S3 bucket notifications", async () => {
    const events: S3Event[] = [];
    const unsubscribe = standIns.s3.onObjectEvent!((e) => events.push(e));
    await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: "a dir/hello world.txt",
        Body: "hi",
        ContentType: "text/plain",
      }),
    );
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: "a dir/hello world.txt" }));
    expect(await got.Body?.transformToString()).toBe("hi");
    const record = await eventually(() => events[0]?.Records[0]);
    expect(record.eventName).toBe("ObjectCreated:Put");
    expect(record.s3.bucket).toMatchObject({ name: BUCKET, arn: `arn:aws:s3:::${BUCKET}` });
    expect(record.s3.object.key).toBe("a+dir/hello+world.txt");
    expect(record.s3.object.size).toBe(2);
    unsubscribe();
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "after.txt", Body: "x" }));
    await new Promise((r) => setTimeout(r, 100));
    expect(events).toHaveLength(1);
  });

  it("announces each deleted object as ObjectRemoved:Delete, also several deleted at once from one folder", async () => {
    // Pairs of copies, as a post's image and thumbnail: each pair races s3rver's empty-folder cleanup.
    const keys = Array.from({ length: 10 }, (_, i) => [
      `public/med ${i}/image.jpg`,
      `public/med ${i}/thumb.webp`,
    ]).flat();
    for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: "x" }));
    const events: S3Event[] = [];
    const unsubscribe = standIns.s3.onObjectEvent!((e) => events.push(e));
    const deleted = await Promise.all(
      keys.map((Key) => s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key }))),
    );
    // One attempt each: a 500 retried by the SDK would find nothing left to announce.
    expect(deleted.map((d) => [d.$metadata.httpStatusCode, d.$metadata.attempts])).toEqual(
      keys.map(() => [204, 1]),
    );
    await eventually(() => (events.length >= keys.length ? events : undefined));
    unsubscribe();
    const records = events.flatMap((e) => e.Records);
    expect(records.map((r) => r.s3.object.key).sort()).toEqual(keys.map((k) => k.replace(/ /g, "+")).sort());
    for (const r of records) {
      expect(r).toMatchObject({
        eventName: "ObjectRemoved:Delete",
        s3: { bucket: { name: BUCKET, arn: `arn:aws:s3:::${BUCKET}` } },
      });
      expect(r.s3.object.sequencer).toMatch(/^[0-9A-F]+$/);
    }
  });

  it("accepts a browser-style presigned POST upload from another origin", async () => {
    const events: S3Event[] = [];
    const unsubscribe = standIns.s3.onObjectEvent!((e) => events.push(e));
    const key = "media/med_1.png";
    const { url, fields } = await createPresignedPost(s3 as never, {
      Bucket: BUCKET,
      Key: key,
      Conditions: [
        ["content-length-range", 1, 1024],
        ["eq", "$Content-Type", "image/png"],
      ],
      Fields: { "Content-Type": "image/png" },
      Expires: 60,
    });
    const origin = "http://localhost:5173";
    const preflight = await fetch(url, {
      method: "OPTIONS",
      headers: { Origin: origin, "Access-Control-Request-Method": "POST" },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-methods")).toContain("POST");
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append("file", new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], { type: "image/png" }), "x.png");
    const upload = await fetch(url, { method: "POST", body: form, headers: { Origin: origin } });
    expect(upload.status).toBeLessThan(300);
    expect(upload.headers.get("access-control-allow-origin")).toBe("*");
    const head = await fetch(`${standIns.s3.endpoint}/${BUCKET}/${key}`, { headers: { Origin: origin } });
    expect(head.headers.get("access-control-allow-origin")).toBe("*");
    expect(head.headers.get("content-type")).toBe("image/png");
    expect(new Uint8Array(await head.arrayBuffer())).toEqual(new Uint8Array([0x89, 0x50, 0x4e, 0x47]));
    const record = await eventually(() => events[0]?.Records[0]);
    expect(record).toMatchObject({ eventName: "ObjectCreated:Post", s3: { object: { key, size: 4 } } });
    unsubscribe();
  });

  it("signs a user up, confirms with the fixed code, signs in, refreshes and verifies the token", async () => {
    const pool = standIns.cognito.pools.UserPool!;
    const clientId = pool.clients.Web!.id;
    await cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: email,
        Password: password,
        UserAttributes: [{ Name: "email", Value: email }],
      }),
    );
    expect(await eventually(() => codes.find((c) => c.username === email))).toMatchObject({ code: CODE });
    await cognito.send(
      new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: CODE }),
    );
    const auth = await cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    );
    const accessToken = auth.AuthenticationResult?.AccessToken;
    const refreshToken = auth.AuthenticationResult?.RefreshToken;
    expect(accessToken && refreshToken).toBeTruthy();

    const issuer = `${standIns.cognito.endpoint}/${pool.id}`;
    const jwks = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`));
    const { payload } = await jwtVerify(accessToken!, jwks, { issuer });
    expect(payload).toMatchObject({ token_use: "access", client_id: clientId, iss: issuer });
    expect(payload.sub).toMatch(/^[0-9a-f-]{36}$/);
    expect(payload.exp).toBeGreaterThan(Date.now() / 1000);

    const refreshed = await cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "REFRESH_TOKEN_AUTH",
        AuthParameters: { REFRESH_TOKEN: refreshToken! },
      }),
    );
    const again = await jwtVerify(refreshed.AuthenticationResult!.AccessToken!, jwks, { issuer });
    expect(again.payload.sub).toBe(payload.sub);

    const user = await cognito.send(new GetUserCommand({ AccessToken: accessToken }));
    expect(user.UserAttributes).toContainEqual({ Name: "email", Value: email });

    await cognito.send(new GlobalSignOutCommand({ AccessToken: accessToken }));
    await expect(
      cognito.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "REFRESH_TOKEN_AUTH",
          AuthParameters: { REFRESH_TOKEN: refreshToken! },
        }),
      ),
    ).rejects.toThrow();
  });

  it("resends a confirmation code through the same channel, only to unconfirmed users", async () => {
    const clientId = standIns.cognito.pools.UserPool!.clients.Web!.id;
    const resendTo = `resend-${Date.now()}@example.com`;
    await cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: resendTo,
        Password: password,
        UserAttributes: [{ Name: "email", Value: resendTo }],
      }),
    );
    await eventually(() => codes.find((c) => c.username === resendTo));
    const resent = await cognito.send(
      new ResendConfirmationCodeCommand({ ClientId: clientId, Username: resendTo }),
    );
    expect(resent.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: "EMAIL", Destination: resendTo });
    await eventually(() => (codes.filter((c) => c.username === resendTo).length === 2 ? true : undefined));
    expect(codes.filter((c) => c.username === resendTo).map((c) => c.code)).toEqual([CODE, CODE]);
    await cognito.send(
      new ConfirmSignUpCommand({ ClientId: clientId, Username: resendTo, ConfirmationCode: CODE }),
    );
    await expect(
      cognito.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: resendTo })),
    ).rejects.toMatchObject({ name: "InvalidParameterException" });
    await expect(
      cognito.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: "nobody@example.com" })),
    ).rejects.toMatchObject({ name: "UserNotFoundException" });
  });

  it("answers CORS preflights from the web app's origin", async () => {
    const res = await fetch(`${standIns.cognito.endpoint}/`, {
      method: "OPTIONS",
      headers: {
        Origin: "http://localhost:3999",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type,x-amz-target,x-amz-user-agent",
      },
    });
    expect(res.status).toBeLessThan(300);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("x-amz-target");
  });

  it("restarts on the same data dir idempotently and leaves nothing running", async () => {
    const first = standIns;
    const pools = first.cognito.pools;
    await first.stop();
    await first.stop();
    expect(standInPids(dataDir)).toEqual([]);

    standIns = await startStandIns(baseOptions(dataDir));
    expect(standIns.cognito.pools).toEqual(pools);
    const client = new DynamoDBClient({
      endpoint: standIns.dynamodb.endpoint,
      region: standIns.region,
      credentials: { ...standIns.credentials },
    });
    const { Item } = await client.send(
      new GetItemCommand({ TableName: TABLE, Key: { pk: { S: "user#1" }, sk: { S: "profile" } } }),
    );
    expect(Item?.n).toEqual({ N: "7" });
    const s3b = new S3Client({
      endpoint: standIns.s3.endpoint,
      region: standIns.region,
      credentials: { ...standIns.credentials },
      forcePathStyle: true,
    });
    const got = await s3b.send(new GetObjectCommand({ Bucket: BUCKET, Key: "a dir/hello world.txt" }));
    expect(await got.Body?.transformToString()).toBe("hi");
    const cognitoB = new CognitoIdentityProviderClient({
      endpoint: standIns.cognito.endpoint,
      region: standIns.region,
      credentials: { ...standIns.credentials },
    });
    const auth = await cognitoB.send(
      new InitiateAuthCommand({
        ClientId: pools.UserPool!.clients.Web!.id,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    );
    // The issuer follows the new port, so tokens from this run verify against this run's endpoint.
    expect(decodeJwt(auth.AuthenticationResult!.AccessToken!).iss).toBe(
      `${standIns.cognito.endpoint}/${pools.UserPool!.id}`,
    );
    await standIns.stop();
    expect(standInPids(dataDir)).toEqual([]);
  });
});

describe("stand-ins in memory", () => {
  it("starts without touching the DynamoDB data dir and stops cleanly", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "asyncsns-standins-mem-"));
    const standIns = await startStandIns({ ...baseOptions(dataDir), inMemory: true });
    try {
      const client = new DynamoDBClient({
        endpoint: standIns.dynamodb.endpoint,
        region: standIns.region,
        credentials: { ...standIns.credentials },
      });
      const { Table } = await client.send(new DescribeTableCommand({ TableName: TABLE }));
      expect(Table?.TableStatus).toBe("ACTIVE");
      expect(execFileSync("ls", [join(dataDir, "dynamodb")], { encoding: "utf8" })).not.toContain(".db");
    } finally {
      await standIns.stop();
      expect(standInPids(dataDir)).toEqual([]);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe("cognito-local state", () => {
  it("comes up even when an earlier run left its state half-written, and keeps the broken file aside", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "asyncsns-standins-corrupt-"));
    const db = join(dataDir, "cognito", ".cognito", "db");
    mkdirSync(db, { recursive: true });
    writeFileSync(join(db, "clients.json"), '{"Clients": {"abc": {"ClientId"');
    const standIns = await startStandIns(baseOptions(dataDir));
    try {
      expect(Object.keys(standIns.cognito.pools)).toEqual(["UserPool"]);
      expect(readdirSync(db).some((f) => f.startsWith("clients.json.corrupt-"))).toBe(true);
    } finally {
      await standIns.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("starts with no users in memory mode, like the other stand-ins", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "asyncsns-standins-fresh-"));
    const first = await startStandIns({ ...baseOptions(dataDir), inMemory: true });
    const firstPool = first.cognito.pools.UserPool?.id;
    await first.stop();
    const second = await startStandIns({ ...baseOptions(dataDir), inMemory: true });
    try {
      expect(second.cognito.pools.UserPool?.id).not.toBe(firstPool);
    } finally {
      await second.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe("failures", () => {
  it("explains how to install Java when it is missing, and leaves nothing running", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "asyncsns-standins-nojava-"));
    try {
      const error = await startStandIns({ ...baseOptions(dataDir), javaPath: "/nonexistent/bin/java" }).catch(
        (e: Error) => e,
      );
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(/Java 17/);
      expect((error as Error).message).toContain("sudo apt-get install -y openjdk-17-jre-headless");
      expect((error as Error).message).toContain("brew install openjdk@17");
      expect(standInPids(dataDir)).toEqual([]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("names the stand-in and its log when it does not come up in time", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "asyncsns-standins-slow-"));
    try {
      const error = await startStandIns({ ...baseOptions(dataDir), inMemory: true, startTimeoutMs: 1 }).catch(
        (e: Error) => e,
      );
      expect((error as Error).message).toMatch(
        /^(DynamoDB Local|cognito-local) did not become healthy within 1 ms \(log: .*\/logs\/(dynamodb|cognito)\.log\)/,
      );
      expect(standInPids(dataDir)).toEqual([]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("kills a JVM left behind by a crashed parent on the next start", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "asyncsns-standins-crash-"));
    const script = join(dataDir, "parent.mts");
    const entry = new URL("../src/standins/index.ts", import.meta.url).pathname;
    writeFileSync(
      script,
      `import { startStandIns } from ${JSON.stringify(entry)};
const s = await startStandIns({ dataDir: ${JSON.stringify(dataDir)}, inMemory: true, tables: [], buckets: [], userPools: [] });
console.log(JSON.stringify(s.processes));
setInterval(() => {}, 1000);
`,
    );
    const parent = spawn(process.execPath, ["--import", "tsx", script], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = "";
        parent.stdout.on("data", (d: Buffer) => {
          out += d.toString();
          const json = out.split("\n").find((l) => l.startsWith("{"));
          if (json) resolve(json);
        });
        parent.once("exit", (code) => reject(new Error(`parent exited early (${code})`)));
      });
      const processes = JSON.parse(line) as NonNullable<RunningStandIns["processes"]>;
      parent.kill("SIGKILL");
      // cognito-local notices its IPC channel closing; the JVM does not and must be reaped later.
      await eventually(() => (alive(processes.cognito.pid) ? undefined : true));
      expect(alive(processes.dynamodb.pid)).toBe(true);

      const standIns = await startStandIns({ ...baseOptions(dataDir), inMemory: true });
      expect(alive(processes.dynamodb.pid)).toBe(false);
      await standIns.stop();
      expect(standInPids(dataDir)).toEqual([]);
    } finally {
      parent.kill("SIGKILL");
      for (const pid of standInPids(dataDir)) process.kill(pid, "SIGKILL");
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
