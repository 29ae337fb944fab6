// The local cloud under a mixed load of real users: throughput, p50/p99 per route, 5xx and RSS; flags below.
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { buildDirFor, type LocalCloudUrls, spawnLocalCloud } from "../../tests/support/local-cloud-process";
import { percentile } from "./stats";
import { cognitoClient, cognitoUser } from "./users";

const { values: args } = parseArgs({
  options: {
    vus: { type: "string", default: "50" },
    seconds: { type: "string", default: "60" },
    /** Worker threads per function in the cloud under test (its default when unset). */
    concurrency: { type: "string" },
    /** Worker threads across all functions in the cloud under test (its default when unset). */
    workers: { type: "string" },
    follows: { type: "string", default: "5" },
  },
});
const VUS = Number(args.vus);
const SECONDS = Number(args.seconds);
const FOLLOWS = Math.min(Number(args.follows), VUS - 1);

// Per-user abuse limits (core/limit/rules.ts) would turn a busy virtual user's writes into 429s: the bench measures throughput.
const RAISED_LIMITS: Record<string, string> = { ASYNCSNS_LIMIT_FACTOR: "100" };

const root = resolve(import.meta.dirname, "../..");
const log = (line: string) => console.log(`[bench] ${line}`);
const MiB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const WORDS = [
  "coffee",
  "sunrise",
  "tokyo",
  "river",
  "music",
  "garden",
  "train",
  "winter",
  "ramen",
  "harbor",
];
const pick = <T>(xs: T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

interface User {
  token: string;
  handle: string;
  room?: string;
}

/** Runs `fn` over items with at most `limit` in flight. */
async function inPool<T>(items: T[], limit: number, fn: (item: T, i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i]!, i);
      }
    }),
  );
}

/** Setup is not measured: a request that failed on a busy machine is tried again. */
async function retried(what: string, attempt: () => Promise<Response>, ok: (status: number) => boolean) {
  for (let i = 1; ; i++) {
    const res = await attempt();
    if (ok(res.status)) return res;
    const text = await res.text();
    if (i >= 3 || res.status < 500) throw new Error(`${what}: ${res.status} ${text}`);
  }
}

function client(urls: LocalCloudUrls) {
  return async (token: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${urls.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(60_000),
    });
    return res;
  };
}

/** What the cloud said about failed requests (its log goes with the temporary data dir). */
function printCloudLog(dataDir: string) {
  const lines = readFileSync(join(dataDir, "cloud.log"), "utf8")
    .split("\n")
    .filter((l) => /error|timed out|exception|\[api\]/i.test(l) && !l.includes("NodeVersionSupportWarning"));
  console.error(`--- ${lines.length} error line(s) in the cloud's log, the last 30 ---`);
  console.error(lines.slice(-30).join("\n"));
}

async function main() {
  const dataDir = await mkdtemp(join(tmpdir(), "asyncsns-bench-load-"));
  log(`starting a local cloud (data ${dataDir})`);
  const cloud = await spawnLocalCloud({
    root,
    dataDir,
    env: {
      ...RAISED_LIMITS,
      ...(args.concurrency ? { ASYNCSNS_FUNCTION_CONCURRENCY: args.concurrency } : {}),
      ...(args.workers ? { ASYNCSNS_FUNCTION_WORKERS: args.workers } : {}),
    },
  });
  try {
    const urls = cloud.urls;
    const call = client(urls);
    const cognito = cognitoClient(urls.cognito);
    const rssStart = cloud.rss();
    log(`ready: ${urls.apiUrl}, ${cloud.pids().length} processes, RSS ${MiB(rssStart)}`);

    // Setup: users with profiles, each following the next FOLLOWS users, a 1:1 room per pair.
    const users: User[] = new Array(VUS);
    await inPool([...Array(VUS).keys()], 8, async (i) => {
      const { token } = await cognitoUser(
        { ...urls.cognito, clientId: urls.cognito.clientId },
        { client: cognito },
      );
      const handle = `load${i}${Math.random().toString(36).slice(2, 8)}`;
      // A retry after a timed-out first try finds the profile made: 409 is done too.
      await retried(
        "POST /me",
        () => call(token, "POST", "/me", { handle, displayName: `Load ${i}` }),
        (s) => s === 201 || s === 409,
      );
      users[i] = { token, handle };
    });
    await inPool(users, 8, async (u, i) => {
      for (let k = 1; k <= FOLLOWS; k++) {
        const other = users[(i + k) % VUS]!.handle;
        await retried(
          "follow",
          () => call(u.token, "POST", `/users/${other}/follow`),
          (s) => s === 204,
        );
      }
    });
    await inPool(
      users.filter((_, i) => i % 2 === 0 && i + 1 < VUS),
      8,
      async (u) => {
        const other = users[users.indexOf(u) + 1]!;
        // 1:1 rooms are idempotent, so a retry returns the same room.
        const res = await retried(
          "room",
          () => call(u.token, "POST", "/rooms", { memberHandles: [other.handle] }),
          (s) => s === 201 || s === 200,
        );
        u.room = other.room = ((await res.json()) as { id: string }).id;
      },
    );
    const rssReady = cloud.rss();
    log(`setup: ${VUS} users, ${VUS * FOLLOWS} follows, ${Math.floor(VUS / 2)} rooms; RSS ${MiB(rssReady)}`);

    // Mixed workload: each virtual user loops over weighted operations, one request at a time.
    const recentPosts: string[] = [];
    const figures = new Map<string, { ms: number[]; status: Map<number, number> }>();
    const record = (route: string, ms: number, status: number) => {
      const f = figures.get(route) ?? { ms: [], status: new Map<number, number>() };
      figures.set(route, f);
      f.ms.push(ms);
      f.status.set(status, (f.status.get(status) ?? 0) + 1);
    };
    const ops: [number, string, (u: User) => [string, string, unknown?]][] = [
      [35, "GET /timelines/home", () => ["GET", "/timelines/home?limit=20"]],
      [20, "POST /posts", () => ["POST", "/posts", { text: `${pick(WORDS)} and ${pick(WORDS)} #load` }]],
      [15, "POST /posts/{id}/like", () => ["POST", `/posts/${pick(recentPosts)}/like`]],
      [15, "POST /rooms/{id}/messages", (u) => ["POST", `/rooms/${u.room}/messages`, { text: pick(WORDS) }]],
      [15, "GET /search/posts", () => ["GET", `/search/posts?q=${pick(WORDS)}`]],
    ];
    const total = ops.reduce((s, [w]) => s + w, 0);
    const choose = (u: User) => {
      for (;;) {
        let r = Math.random() * total;
        for (const op of ops) {
          r -= op[0];
          if (r > 0) continue;
          if (op[1].includes("like") && recentPosts.length === 0) break;
          if (op[1].includes("messages") && !u.room) break;
          return op;
        }
      }
    };
    log(`load: ${VUS} virtual users for ${SECONDS} s`);
    const t0 = performance.now();
    const end = Date.now() + SECONDS * 1000;
    await Promise.all(
      users.map(async (u) => {
        while (Date.now() < end) {
          const [, route, build] = choose(u);
          const [method, path, body] = build(u);
          const s = performance.now();
          try {
            const res = await call(u.token, method, path, body);
            const text = await res.text();
            record(route, performance.now() - s, res.status);
            if (route === "POST /posts" && res.status === 201) {
              recentPosts.push((JSON.parse(text) as { id: string }).id);
              if (recentPosts.length > 200) recentPosts.shift();
            }
          } catch {
            record(route, performance.now() - s, 0);
          }
        }
      }),
    );
    const elapsed = (performance.now() - t0) / 1000;
    const rssEnd = cloud.rss();

    const rows = [...figures.entries()].map(([route, f]) => {
      const count = (pred: (s: number) => boolean) =>
        [...f.status.entries()].filter(([s]) => pred(s)).reduce((n, [, c]) => n + c, 0);
      return {
        route,
        requests: f.ms.length,
        perSecond: Number((f.ms.length / elapsed).toFixed(1)),
        p50Ms: Number(percentile(f.ms, 50).toFixed(1)),
        p99Ms: Number(percentile(f.ms, 99).toFixed(1)),
        status5xx: count((s) => s >= 500),
        status4xx: count((s) => s >= 400 && s < 500),
        failed: count((s) => s === 0),
      };
    });
    const requests = rows.reduce((n, r) => n + r.requests, 0);
    const summary = {
      vus: VUS,
      seconds: Number(elapsed.toFixed(1)),
      requests,
      perSecond: Number((requests / elapsed).toFixed(1)),
      status5xx: rows.reduce((n, r) => n + r.status5xx, 0),
      failed: rows.reduce((n, r) => n + r.failed, 0),
      rssMiB: {
        start: Math.round(rssStart / 2 ** 20),
        afterSetup: Math.round(rssReady / 2 ** 20),
        end: Math.round(rssEnd / 2 ** 20),
      },
      processes: cloud.pids().length,
      functionConcurrency: args.concurrency ? Number(args.concurrency) : "default",
      functionWorkers: args.workers ? Number(args.workers) : "default",
      routes: rows,
    };
    console.log("");
    console.table(
      rows.map((r) => ({
        route: r.route,
        req: r.requests,
        "req/s": r.perSecond,
        "p50 ms": r.p50Ms,
        "p99 ms": r.p99Ms,
        "5xx": r.status5xx,
        "4xx": r.status4xx,
        failed: r.failed,
      })),
    );
    log(
      `total ${requests} requests in ${summary.seconds} s = ${summary.perSecond} req/s; 5xx ${summary.status5xx}; failed ${summary.failed}`,
    );
    log(`RSS of the local cloud: start ${MiB(rssStart)}, after setup ${MiB(rssReady)}, end ${MiB(rssEnd)}`);
    const outDir = join(root, ".asyncsns", "bench");
    await mkdir(outDir, { recursive: true });
    await writeFile(join(outDir, "load.json"), `${JSON.stringify(summary, null, 2)}\n`);
    log(`wrote ${join(outDir, "load.json")}`);
    if (summary.status5xx > 0) {
      process.exitCode = 1;
      printCloudLog(dataDir);
    }
  } catch (err) {
    printCloudLog(dataDir);
    throw err;
  } finally {
    await cloud.stop();
    await rm(dataDir, { recursive: true, force: true });
    await rm(buildDirFor(root, dataDir), { recursive: true, force: true });
  }
}

await main();
