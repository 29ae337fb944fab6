// Measured in the same run and interleaved, so the gateway overhead is not the machine's noise.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { Agent, request } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startLocalCloud } from "../../packages/local/src/local-cloud";
import { median, ms, percentile } from "./stats";
import { cognitoUser } from "./users";

const root = resolve(import.meta.dirname, "../..");

async function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

function descendants(pid: number): number[] {
  const out = execFileSync("ps", ["-e", "-o", "pid=,ppid="], { encoding: "utf8" });
  const children = new Map<number, number[]>();
  for (const line of out.trim().split("\n")) {
    const [p, pp] = line.trim().split(/\s+/).map(Number) as [number, number];
    children.set(pp, [...(children.get(pp) ?? []), p]);
  }
  const all: number[] = [];
  const walk = (p: number) => {
    all.push(p);
    for (const c of children.get(p) ?? []) walk(c);
  };
  walk(pid);
  return all;
}

async function rssMiB(pids: number[]): Promise<number> {
  let kib = 0;
  for (const pid of pids) {
    const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
    kib += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  }
  return kib / 1024;
}

/** One cold start of `npm run local`: ms until it prints ready and until /api/health answers, then idle RSS. */
async function coldStart(): Promise<{ readyMs: number; healthMs: number; rss: number }> {
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), "asyncsns-bench-"));
  const started = performance.now();
  const child: ChildProcess = spawn("npx", ["tsx", "packages/local/src/cli.ts", "start"], {
    cwd: root,
    env: { ...process.env, PORT: String(port), ASYNCSNS_DATA_DIR: dataDir, ASYNCSNS_IN_MEMORY: "1" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const readyMs = await new Promise<number>((done, fail) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/local cloud ready in/.test(output)) done(performance.now() - started);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (c: Buffer) => (output += c.toString()));
    child.once("exit", (code) => fail(new Error(`local cloud exited ${code}:\n${output}`)));
  });
  let healthMs = Number.NaN;
  for (;;) {
    const res = await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => undefined);
    if (res?.ok) {
      healthMs = performance.now() - started;
      break;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 3000));
  const rss = await rssMiB(descendants(child.pid!));
  process.kill(-child.pid!, "SIGTERM");
  await new Promise((r) => child.once("exit", r));
  await rm(dataDir, { recursive: true, force: true });
  return { readyMs, healthMs, rss };
}

// node:http with keep-alive, as a browser keeps its connection: undici's fetch adds ~1 ms of its own per call.
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
function get(url: string, headers: Record<string, string>): Promise<{ status: number }> {
  return new Promise((done, fail) => {
    request(url, { headers, agent }, (res) => {
      res.resume();
      res.once("end", () => done({ status: res.statusCode ?? 0 }));
    })
      .once("error", fail)
      .end();
  });
}

async function gatewayOverhead(calls: number) {
  const dataDir = await mkdtemp(join(tmpdir(), "asyncsns-bench-"));
  const cloud = await startLocalCloud({
    root,
    configFile: join(root, "sst.config.ts"),
    port: 0,
    dataDir,
    inMemory: true,
    confirmationCode: "123456",
    quiet: true,
    functionOutput: () => {},
  });
  try {
    const { token, claims } = await cognitoUser(cloud.urls.cognito);
    const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    const created = await fetch(`${cloud.urls.apiUrl}/me`, {
      method: "POST",
      headers,
      body: JSON.stringify({ handle: `bench${Date.now() % 1e8}`, displayName: "Bench" }),
    });
    if (created.status !== 201) throw new Error(`profile: ${created.status} ${await created.text()}`);

    // The same handler in this process, with exactly the env the local cloud gives its worker.
    const query = cloud.topology.functions.find((f) => f.handler.endsWith("api/query.handler"))!;
    Object.assign(process.env, cloud.functionEnv(query.name));
    const { handler } = await import("../../packages/functions/src/api/query");
    const event = {
      version: "2.0",
      routeKey: "GET /api/me",
      rawPath: "/api/me",
      rawQueryString: "",
      headers: { authorization: `Bearer ${token}`, host: "localhost" },
      requestContext: {
        accountId: "000000000000",
        apiId: "local",
        domainName: "localhost",
        domainPrefix: "localhost",
        http: {
          method: "GET",
          path: "/api/me",
          protocol: "HTTP/1.1",
          sourceIp: "127.0.0.1",
          userAgent: "bench",
        },
        requestId: "bench",
        routeKey: "GET /api/me",
        stage: "$default",
        time: new Date().toISOString(),
        timeEpoch: Date.now(),
        authorizer: { jwt: { claims, scopes: null } },
      },
      isBase64Encoded: false,
    };
    const direct: number[] = [];
    const viaWorker: number[] = [];
    const viaGateway: number[] = [];
    const warm = 50;
    for (let i = 0; i < calls + warm; i++) {
      let t = performance.now();
      const a = (await handler(event as never, {} as never)) as { statusCode: number };
      const d = performance.now() - t;
      t = performance.now();
      const w = (await cloud.invoke(query.name, event)) as { statusCode: number };
      const wMs = performance.now() - t;
      t = performance.now();
      const res = await get(`${cloud.urls.apiUrl}/me`, headers);
      const g = performance.now() - t;
      if (a.statusCode !== 200 || w.statusCode !== 200 || res.status !== 200)
        throw new Error(`status ${a.statusCode}/${w.statusCode}/${res.status}`);
      if (i >= warm) {
        direct.push(d);
        viaWorker.push(wMs);
        viaGateway.push(g);
      }
    }
    return { direct, viaWorker, viaGateway };
  } finally {
    await cloud.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

export async function benchLocal(options: { runs?: number; calls?: number } = {}) {
  const runs = options.runs ?? 3;
  const starts = [];
  for (let i = 0; i < runs; i++) starts.push(await coldStart());
  const { direct, viaWorker, viaGateway } = await gatewayOverhead(options.calls ?? 500);
  const overheadP50 = median(viaGateway) - median(direct);
  const rows = {
    "ready (printed) median": ms(median(starts.map((s) => s.readyMs))),
    "ready (first /api/health 200) median": ms(median(starts.map((s) => s.healthMs))),
    "idle RSS, whole tree, median": `${median(starts.map((s) => s.rss)).toFixed(0)} MiB`,
    "GET /api/me in-process handler p50 / p99": `${ms(percentile(direct, 50))} / ${ms(percentile(direct, 99))}`,
    "GET /api/me in its worker thread, no HTTP, p50 / p99": `${ms(percentile(viaWorker, 50))} / ${ms(percentile(viaWorker, 99))}`,
    "GET /api/me through the local gateway p50 / p99": `${ms(percentile(viaGateway, 50))} / ${ms(percentile(viaGateway, 99))}`,
    "gateway overhead p50 (target ≤ 2 ms)": ms(overheadP50),
  };
  console.log("\n## Local cloud (issue 2)");
  for (const [k, v] of Object.entries(rows)) console.log(`- ${k}: ${v}`);
  console.log(`  cold starts: ${starts.map((s) => `${(s.readyMs / 1000).toFixed(1)} s`).join(", ")}`);
  return rows;
}
