// ASYNCSNS_FAULTS: an invoke of a matching function fails as if its runtime crashed, and its handler never runs.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Bundles, bundleFunctions } from "../src/runtime/bundle";
import { Faults, parseFaults } from "../src/runtime/faults";
import { FunctionRuntime, InvokeError } from "../src/runtime/functions";
import type { FunctionRecord } from "../src/topology";

const root = join(import.meta.dirname, "fixture");

function record(name: string): FunctionRecord {
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
  };
}

const functions = [record("QueueSubscriberA1b2"), record("Api")];
let outDir: string;
let bundles: Bundles;
const runtimes: FunctionRuntime[] = [];

function runtime(faults?: string): FunctionRuntime {
  const rt = new FunctionRuntime({
    functions,
    bundles: Object.fromEntries(functions.map((f) => [f.name, bundles.files.Sleepy!])),
    workerScript: bundles.workerScript,
    env: () => ({ AWS_REGION: "us-east-1" }),
    physicalName: (fn) => `faults-${fn.name}`,
    region: "us-east-1",
    output: () => undefined,
    ...(faults === undefined ? {} : { faults }),
  });
  runtimes.push(rt);
  return rt;
}

/** Twenty invokes, one at a time: how many failed with an injected fault, and any other error. */
async function invokeMany(rt: FunctionRuntime, fn: string) {
  let injected = 0;
  for (let i = 0; i < 20; i++) {
    try {
      await rt.invoke(fn, { ms: 1 });
    } catch (err) {
      if (err instanceof InvokeError && err.error.errorType === "Runtime.InjectedFault") injected++;
      else throw err;
    }
  }
  return injected;
}

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), "asyncsns-faults-"));
  bundles = await bundleFunctions({ root, outDir, functions: [{ ...record("Sleepy") }] });
});
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((rt) => rt.stop()));
});
afterAll(async () => {
  await bundles.dispose();
  await rm(outDir, { recursive: true, force: true });
});

describe("injected invoke failures", () => {
  it("fails every invoke of a function matched at probability 1, without starting its handler", async () => {
    const rt = runtime("QueueSubscriber*=1");
    expect(await invokeMany(rt, "QueueSubscriberA1b2")).toBe(20);
    // No worker ever started: the handler did not run.
    expect(rt.stats("QueueSubscriberA1b2").instances).toBe(0);
    // A function the glob does not match runs as usual.
    expect(await invokeMany(rt, "Api")).toBe(0);
  });

  it("never fails at probability 0, and a later spec replaces the rules", async () => {
    const rt = runtime("QueueSubscriber*=0");
    expect(await invokeMany(rt, "QueueSubscriberA1b2")).toBe(0);
    rt.setFaults("Queue?ubscriber*=1");
    await expect(rt.invoke("QueueSubscriberA1b2", { ms: 1 })).rejects.toMatchObject({
      error: { errorType: "Runtime.InjectedFault" },
    });
    rt.setFaults(undefined);
    expect(await invokeMany(rt, "QueueSubscriberA1b2")).toBe(0);
  });

  it("fails about the given share of invokes in between", () => {
    let seed = 1;
    // A fixed sequence instead of Math.random, so the share is exact and the test cannot flake.
    const next = () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    const faults = new Faults("Other=1, Queue*=0.3", next);
    const failed = Array.from({ length: 10_000 }, () => faults.roll("QueueSubscriberA1b2")).filter(Boolean);
    expect(failed.length / 10_000).toBeGreaterThan(0.27);
    expect(failed.length / 10_000).toBeLessThan(0.33);
    expect(faults.roll("Api")).toBeUndefined();
  });

  it("refuses a spec it cannot read", () => {
    expect(parseFaults(undefined)).toEqual([]);
    expect(parseFaults("A*=0.5 B=1")).toEqual([
      { pattern: "A*", probability: 0.5 },
      { pattern: "B", probability: 1 },
    ]);
    for (const bad of ["A*", "=0.5", "A=1.5", "A=-0.1", "A=often", "A="])
      expect(() => parseFaults(bad)).toThrow(/ASYNCSNS_FAULTS/);
  });
});
