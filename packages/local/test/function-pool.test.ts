// The worker pool behind each local function: parallel instances, isolated timeouts, reaping, reserved concurrency.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Bundles, bundleFunctions } from "../src/runtime/bundle";
import { FunctionRuntime, type FunctionRuntimeOptions, InvokeError } from "../src/runtime/functions";
import type { FunctionRecord } from "../src/topology";

const root = join(import.meta.dirname, "fixture");

function record(name: string, extra: Partial<FunctionRecord> = {}): FunctionRecord {
  return {
    name,
    handler: "functions/pool.sleepy",
    file: "functions/pool.ts",
    export: "sleepy",
    link: [],
    environment: {},
    memory: 128,
    timeout: 5,
    tracing: "PassThrough",
    runtime: "nodejs22.x",
    architecture: "x86_64",
    createdBy: "infra",
    ...extra,
  };
}

const functions = [
  record("Sleepy"),
  record("Short", { timeout: 1 }),
  record("Reserved", { reservedConcurrency: 1 }),
  record("Off", { reservedConcurrency: 0 }),
  record("SlowInit", {
    handler: "functions/pool-slow-init.handler",
    file: "functions/pool-slow-init.ts",
    export: "handler",
    timeout: 1,
  }),
];

interface Run {
  instance: string;
  start: number;
  end: number;
}

/** Most handler runs that overlapped at one moment, from the handlers' own clocks. */
function maxOverlap(runs: Run[]): number {
  const edges = runs.flatMap((r) => [
    { t: r.start, d: 1 },
    { t: r.end, d: -1 },
  ]);
  edges.sort((a, b) => a.t - b.t || a.d - b.d);
  let now = 0;
  let max = 0;
  for (const e of edges) {
    now += e.d;
    max = Math.max(max, now);
  }
  return max;
}

let outDir: string;
let bundles: Bundles;
const runtimes: FunctionRuntime[] = [];

function runtime(extra: Partial<FunctionRuntimeOptions> = {}): FunctionRuntime {
  const rt = new FunctionRuntime({
    functions,
    bundles: Object.fromEntries(
      functions.map((f) => [f.name, bundles.files[f.name === "SlowInit" ? "SlowInit" : "Sleepy"]!]),
    ),
    workerScript: bundles.workerScript,
    env: () => ({ AWS_REGION: "us-east-1" }),
    physicalName: (fn) => `pool-${fn.name}`,
    region: "us-east-1",
    output: () => undefined,
    ...extra,
  });
  runtimes.push(rt);
  return rt;
}

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), "asyncsns-pool-"));
  bundles = await bundleFunctions({
    root,
    outDir,
    functions: [record("Sleepy"), functions.find((f) => f.name === "SlowInit")!],
  });
});
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((rt) => rt.stop()));
});
afterAll(async () => {
  await bundles.dispose();
  await rm(outDir, { recursive: true, force: true });
});

describe("the function worker pool", () => {
  it("runs concurrent invokes of one function in parallel, one request per worker", async () => {
    const rt = runtime({ maxInstances: 8 });
    const runs = (await Promise.all(
      Array.from({ length: 6 }, () => rt.invoke("Sleepy", { ms: 400 })),
    )) as Run[];
    expect(maxOverlap(runs)).toBeGreaterThan(1);
    expect(new Set(runs.map((r) => r.instance)).size).toBeGreaterThan(1);
    // A worker never ran two of them at once, as a Lambda environment serves one request at a time.
    for (const id of new Set(runs.map((r) => r.instance)))
      expect(maxOverlap(runs.filter((r) => r.instance === id))).toBe(1);
  });

  it("queues requests beyond the cap and reuses warm workers", async () => {
    const rt = runtime({ maxInstances: 2 });
    const pending = Array.from({ length: 5 }, () => rt.invoke("Sleepy", { ms: 150 }));
    expect(rt.stats("Sleepy").instances).toBeLessThanOrEqual(2);
    const runs = (await Promise.all(pending)) as Run[];
    expect(new Set(runs.map((r) => r.instance)).size).toBeLessThanOrEqual(2);
    expect(maxOverlap(runs)).toBeLessThanOrEqual(2);
  });

  it("keeps all functions together under the worker cap, ending idle workers of others to free a slot", async () => {
    const rt = runtime({ maxWorkers: 2 });
    const total = () => functions.reduce((n, f) => n + rt.stats(f.name).instances, 0);
    let most = 0;
    const watch = setInterval(() => {
      most = Math.max(most, total());
    }, 5);
    const runs = await Promise.all([
      ...Array.from({ length: 3 }, () => rt.invoke("Sleepy", { ms: 150 })),
      ...Array.from({ length: 3 }, () => rt.invoke("Short", { ms: 150 })),
    ]);
    clearInterval(watch);
    // All six ran, so an idle worker of one function gave way to the other's queue.
    expect(runs).toHaveLength(6);
    expect(most).toBeLessThanOrEqual(2);
  });

  it("ends only the timed-out request and its worker; the others in flight finish", async () => {
    const rt = runtime();
    // Warm workers first: a cold one gets Lambda's 10 s init limit on top of the timeout.
    await Promise.all(Array.from({ length: 4 }, () => rt.invoke("Short", { ms: 300 })));
    const hung = rt.invoke("Short", { hang: true });
    const others = Array.from({ length: 3 }, () => rt.invoke("Short", { ms: 300 }));
    await expect(hung).rejects.toMatchObject({ error: { errorType: "Sandbox.Timedout" } });
    const runs = (await Promise.all(others)) as Run[];
    expect(runs).toHaveLength(3);
    // The function still answers after the timeout.
    await expect(rt.invoke("Short", { ms: 10 })).resolves.toHaveProperty("instance");
  });

  it("does not count a cold start's init against the invoke's timeout", async () => {
    const rt = runtime();
    await expect(rt.invoke("SlowInit", {})).resolves.toEqual({ ok: true });
  });

  it("reaps idle workers", async () => {
    const rt = runtime({ idleMs: 300 });
    await Promise.all(Array.from({ length: 3 }, () => rt.invoke("Sleepy", { ms: 200 })));
    expect(rt.stats("Sleepy").instances).toBeGreaterThan(1);
    await expect.poll(() => rt.stats("Sleepy").instances, { timeout: 10_000 }).toBe(0);
    // A reaped function cold-starts again on the next invoke.
    await expect(rt.invoke("Sleepy", { ms: 10 })).resolves.toHaveProperty("instance");
  });

  it("throttles invokes over reserved concurrency with TooManyRequestsException", async () => {
    const rt = runtime();
    const results = await Promise.allSettled([
      rt.invoke("Reserved", { ms: 500 }),
      rt.invoke("Reserved", { ms: 500 }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(InvokeError);
    expect((rejected.reason as InvokeError).throttled).toBe(true);
    // Once the first finishes there is a slot again.
    await expect(rt.invoke("Reserved", { ms: 10 })).resolves.toHaveProperty("instance");
    // Reserved concurrency 0 turns a function off.
    await expect(rt.invoke("Off", {})).rejects.toMatchObject({
      error: { errorType: "TooManyRequestsException" },
    });
    expect(rt.stats("Off").instances).toBe(0);
  });
});
