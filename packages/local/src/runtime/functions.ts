// A pool of worker threads per function, one request per worker at a time, like Lambda's execution environments.
import { randomUUID } from "node:crypto";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { FunctionRecord } from "../topology";
import { type FaultRule, Faults } from "./faults";

export interface LambdaError {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

/** A handler's error (or a timeout, or a throttle), as Lambda reports it to the caller. */
export class InvokeError extends Error {
  constructor(
    readonly functionName: string,
    readonly error: LambdaError,
  ) {
    super(`${functionName}: ${error.errorType}: ${error.errorMessage}`);
    this.name = "InvokeError";
  }

  /** Lambda refused the invoke (429 TooManyRequestsException) instead of running it. */
  get throttled(): boolean {
    return this.error.errorType === "TooManyRequestsException";
  }
}

export interface InvokeOptions {
  awsRequestId?: string;
}

/** Local default: Lambda's account limit (1000) would be a thousand isolates in one process. */
export const DEFAULT_MAX_INSTANCES = 8;
/** All functions together: each worker is an isolate of ~60 MB, so the process's RSS is what runs out first. */
export const DEFAULT_MAX_WORKERS = 24;
/** Lambda's Init phase limit; a slower init is retried within the invoke's own timeout. */
export const INIT_LIMIT_MS = 10_000;
/** Lambda keeps an idle environment warm for minutes; locally a worker's memory matters more. */
export const DEFAULT_IDLE_MS = 5 * 60_000;

interface Request {
  id: number;
  event: unknown;
  context: Record<string, unknown>;
  timeoutMs: number;
  resolve(value: unknown): void;
  reject(err: Error): void;
  /** Waiting for a worker (pool at its cap): given up on after the function's timeout. */
  queueTimer?: NodeJS.Timeout;
}

interface Instance {
  worker: Worker;
  current?: { request: Request; timer?: NodeJS.Timeout };
  lastUsed: number;
  gone: boolean;
  /** Module init finished (or failed): the invoke's timeout runs from here. */
  ready: boolean;
  /** Dev reload: finish the request in flight, then go. */
  stale: boolean;
}

interface Pool {
  fn: FunctionRecord;
  instances: Set<Instance>;
  queue: Request[];
  /** Requests running or waiting: what reserved concurrency counts. */
  inFlight: number;
}

export interface PoolStats {
  instances: number;
  busy: number;
  queued: number;
}

export interface FunctionRuntimeOptions {
  functions: FunctionRecord[];
  bundles: Record<string, string>;
  workerScript: string;
  /** The complete environment of each function's worker. */
  env: (fn: FunctionRecord) => Record<string, string>;
  /** Physical function name (AWS_LAMBDA_FUNCTION_NAME). */
  physicalName: (fn: FunctionRecord) => string;
  region: string;
  output?: (fn: string, stream: "stdout" | "stderr", line: string) => void;
  /** Workers per function at most; requests beyond it wait for a free one. */
  maxInstances?: number;
  /** Workers across all functions at most; an idle worker of another function frees a slot. */
  maxWorkers?: number;
  /** A worker idle this long is terminated. */
  idleMs?: number;
  /** Injected failures, `"<function glob>=<probability>,..."` (see faults.ts); none by default. */
  faults?: string;
}

export class FunctionRuntime {
  private readonly pools = new Map<string, Pool>();
  private readonly maxInstances: number;
  private readonly maxWorkers: number;
  private readonly idleMs: number;
  private readonly reaper: NodeJS.Timeout;
  private readonly faults: Faults;
  private nextId = 1;
  private stopped = false;

  constructor(private readonly opts: FunctionRuntimeOptions) {
    for (const fn of opts.functions)
      this.pools.set(fn.name, { fn, instances: new Set(), queue: [], inFlight: 0 });
    this.maxInstances = Math.max(1, opts.maxInstances ?? DEFAULT_MAX_INSTANCES);
    this.idleMs = opts.idleMs ?? DEFAULT_IDLE_MS;
    this.maxWorkers = Math.max(1, opts.maxWorkers ?? DEFAULT_MAX_WORKERS);
    this.reaper = setInterval(() => this.reap(), Math.max(50, Math.min(30_000, this.idleMs / 2)));
    this.reaper.unref();
    this.faults = new Faults(opts.faults);
  }

  /** Replaces the injected-failure rules; `undefined` or "" turns them off. */
  setFaults(spec: string | undefined): FaultRule[] {
    return this.faults.set(spec);
  }

  has(name: string): boolean {
    return this.pools.has(name);
  }

  /** Starts one worker per function now so module init (and init errors) happen before the first request. */
  startAll(): void {
    for (const pool of this.pools.values()) if (pool.instances.size === 0) this.spawn(pool);
  }

  /** Live workers per function (tests and benchmarks read it). */
  stats(name: string): PoolStats {
    const pool = this.pools.get(name);
    if (!pool) throw new Error(`no function named "${name}"`);
    let busy = 0;
    for (const i of pool.instances) if (i.current) busy++;
    return { instances: pool.instances.size, busy, queued: pool.queue.length };
  }

  private spawn(pool: Pool): Instance {
    const { fn } = pool;
    const name = fn.name;
    const worker = new Worker(this.opts.workerScript, {
      workerData: { file: pathToFileURL(this.opts.bundles[name]!).href, exportName: fn.export },
      env: this.opts.env(fn),
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: Math.max(64, fn.memory) },
    });
    const instance: Instance = { worker, lastUsed: Date.now(), gone: false, ready: false, stale: false };
    for (const stream of ["stdout", "stderr"] as const) {
      let buffer = "";
      worker[stream].setEncoding("utf8");
      worker[stream].on("data", (chunk: string) => {
        buffer += chunk;
        const lines = buffer.split("\n");
        buffer = lines.pop() ?? "";
        for (const line of lines) this.write(name, stream, line);
      });
    }
    worker.on(
      "message",
      (msg: {
        type: string;
        id: number;
        ok: boolean;
        value?: unknown;
        error?: LambdaError;
        init?: boolean;
        initMs?: number;
      }) => {
        if (msg.type === "ready") {
          instance.ready = true;
          // Lambda reports each cold start's Init Duration; under load it explains slow first requests.
          this.write(name, "stdout", `INIT_REPORT Init Duration: ${(msg.initMs ?? 0).toFixed(2)} ms`);
          if (instance.current) this.arm(pool, instance, instance.current.request);
          this.pumpAll(pool);
          return;
        }
        if (msg.type !== "result") return;
        const current = instance.current;
        if (!current || current.request.id !== msg.id) return;
        clearTimeout(current.timer);
        instance.current = undefined;
        instance.lastUsed = Date.now();
        if (msg.ok) current.request.resolve(msg.value);
        else current.request.reject(new InvokeError(name, msg.error!));
        pool.inFlight--;
        // A failed init is retried on the next invoke, as Lambda re-inits a fresh sandbox.
        if (msg.init || instance.stale) this.retire(pool, instance);
        this.pumpAll(pool);
      },
    );
    worker.on("error", (err) => {
      this.write(name, "stderr", `worker crashed: ${err.stack ?? err.message}`);
      this.lost(pool, instance, { errorType: "Runtime.ExitError", errorMessage: err.message, trace: [] });
    });
    worker.on("exit", (code) => {
      this.lost(pool, instance, {
        errorType: "Runtime.ExitError",
        errorMessage: `RequestId: worker exited with code ${code}`,
        trace: [],
      });
    });
    worker.unref();
    pool.instances.add(instance);
    return instance;
  }

  private write(fn: string, stream: "stdout" | "stderr", line: string) {
    if (this.opts.output) this.opts.output(fn, stream, line);
    else (stream === "stdout" ? process.stdout : process.stderr).write(`[${fn}] ${line}\n`);
  }

  /** The worker died: only its own request fails; queued ones get another worker. */
  private lost(pool: Pool, instance: Instance, error: LambdaError) {
    const current = instance.current;
    instance.current = undefined;
    instance.gone = true;
    pool.instances.delete(instance);
    if (current) {
      clearTimeout(current.timer);
      pool.inFlight--;
      current.request.reject(new InvokeError(pool.fn.name, error));
    }
    if (!this.stopped) this.pumpAll(pool);
  }

  private retire(pool: Pool, instance: Instance) {
    instance.gone = true;
    pool.instances.delete(instance);
    void instance.worker.terminate();
  }

  /** Hands queued requests to idle workers, starting new ones up to the cap. */
  private pump(pool: Pool) {
    while (pool.queue.length > 0) {
      let free: Instance | undefined;
      for (const i of pool.instances) if (!i.current && !i.gone && !i.stale) free = i;
      // One cold start at a time per function: parallel inits on a small machine starve each other past the timeout.
      const starting = [...pool.instances].some((i) => !i.ready);
      if (!free && !starting && pool.instances.size < this.maxInstances && this.freeSlot())
        free = this.spawn(pool);
      if (!free) return;
      const request = pool.queue.shift()!;
      clearTimeout(request.queueTimer);
      this.run(pool, free, request);
    }
  }

  /** Under the all-functions cap, or frees one by ending the longest-idle worker; false if all are busy. */
  private freeSlot(): boolean {
    let total = 0;
    let idlest: { pool: Pool; instance: Instance } | undefined;
    for (const pool of this.pools.values())
      for (const i of pool.instances) {
        total++;
        if (!i.current && i.ready && (!idlest || i.lastUsed < idlest.instance.lastUsed))
          idlest = { pool, instance: i };
      }
    if (total < this.maxWorkers) return true;
    if (!idlest) return false;
    this.retire(idlest.pool, idlest.instance);
    return true;
  }

  /** A worker came free or went: its own function first, then any function waiting for a slot. */
  private pumpAll(first: Pool) {
    this.pump(first);
    for (const pool of this.pools.values()) if (pool !== first && pool.queue.length > 0) this.pump(pool);
  }

  private run(pool: Pool, instance: Instance, request: Request) {
    instance.current = { request };
    instance.lastUsed = Date.now();
    // A cold worker gets Lambda's init limit on top of the invoke's timeout.
    this.arm(pool, instance, request, instance.ready ? 0 : INIT_LIMIT_MS);
    instance.worker.postMessage({
      type: "invoke",
      id: request.id,
      event: request.event,
      context: { ...request.context, timeoutMs: request.timeoutMs },
    });
  }

  /** (Re)starts the request's timeout: from now, plus `extraMs` while the worker still initialises. */
  private arm(pool: Pool, instance: Instance, request: Request, extraMs = 0) {
    const { fn } = pool;
    clearTimeout(instance.current!.timer);
    // A timeout ends this sandbox only.
    const timer = setTimeout(() => {
      if (instance.current?.request !== request) return;
      instance.current = undefined;
      pool.inFlight--;
      const message = `Task timed out after ${fn.timeout.toFixed(2)} seconds`;
      this.write(fn.name, "stderr", message);
      request.reject(
        new InvokeError(fn.name, { errorType: "Sandbox.Timedout", errorMessage: message, trace: [] }),
      );
      this.retire(pool, instance);
      this.pumpAll(pool);
    }, request.timeoutMs + extraMs);
    instance.current = { request, timer };
  }

  private reap() {
    const now = Date.now();
    for (const pool of this.pools.values())
      for (const i of [...pool.instances])
        if (!i.current && now - i.lastUsed >= this.idleMs) this.retire(pool, i);
  }

  invoke(name: string, event: unknown, options: InvokeOptions = {}): Promise<unknown> {
    if (this.stopped) return Promise.reject(new Error("the local cloud is stopping"));
    const pool = this.pools.get(name);
    if (!pool) return Promise.reject(new Error(`no function named "${name}"`));
    const { fn } = pool;
    // An injected crash never reaches a worker: the handler does not run, as when Lambda's runtime dies first.
    const fault = this.faults.roll(name);
    if (fault) {
      const errorMessage = `injected fault (${fault.pattern}=${fault.probability}): the runtime crashed before the handler ran`;
      this.write(name, "stderr", errorMessage);
      return Promise.reject(
        new InvokeError(name, { errorType: "Runtime.InjectedFault", errorMessage, trace: [] }),
      );
    }
    // Reserved concurrency is a hard ceiling: Lambda rejects the invoke at once instead of queueing it.
    if (fn.reservedConcurrency !== undefined && pool.inFlight >= fn.reservedConcurrency) {
      return Promise.reject(
        new InvokeError(name, {
          errorType: "TooManyRequestsException",
          errorMessage: "Rate Exceeded.",
          trace: [],
        }),
      );
    }
    const physical = this.opts.physicalName(fn);
    const context = {
      awsRequestId: options.awsRequestId ?? randomUUID(),
      functionName: physical,
      functionVersion: "$LATEST",
      invokedFunctionArn: `arn:aws:lambda:${this.opts.region}:000000000000:function:${physical}`,
      memoryLimitInMB: String(fn.memory),
      logGroupName: `/aws/lambda/${physical}`,
      logStreamName: `${new Date().toISOString().slice(0, 10).replaceAll("-", "/")}/[$LATEST]${randomUUID().replaceAll("-", "")}`,
    };
    pool.inFlight++;
    return new Promise((resolve, reject) => {
      const request: Request = {
        id: this.nextId++,
        event,
        context,
        timeoutMs: fn.timeout * 1000,
        resolve,
        reject,
      };
      // The local cap stands in for scaling out: a request waits for a worker at most a cold start plus a timeout.
      const waitMs = INIT_LIMIT_MS + request.timeoutMs;
      request.queueTimer = setTimeout(() => {
        const at = pool.queue.indexOf(request);
        if (at < 0) return;
        pool.queue.splice(at, 1);
        pool.inFlight--;
        reject(
          new InvokeError(name, {
            errorType: "TooManyRequestsException",
            errorMessage: `Rate Exceeded. (no local worker of ${pool.instances.size}/${this.maxInstances} came free within ${waitMs / 1000} s)`,
            trace: [],
          }),
        );
      }, waitMs);
      request.queueTimer.unref();
      pool.queue.push(request);
      this.pump(pool);
    });
  }

  /** Dev mode: the next invoke of these functions loads their new bundle. */
  async reload(names: string[]): Promise<void> {
    for (const name of names) {
      const pool = this.pools.get(name);
      if (!pool) continue;
      // In-flight invokes finish on the old code; new ones go to a fresh worker.
      for (const i of [...pool.instances]) {
        i.stale = true;
        if (!i.current) this.retire(pool, i);
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.reaper);
    const error: LambdaError = {
      errorType: "Runtime.ExitError",
      errorMessage: "the local cloud stopped",
      trace: [],
    };
    await Promise.all(
      [...this.pools.values()].flatMap((pool) => {
        for (const r of pool.queue.splice(0)) {
          clearTimeout(r.queueTimer);
          r.reject(new InvokeError(pool.fn.name, error));
        }
        return [...pool.instances].map(async (i) => {
          this.lost(pool, i, error);
          await i.worker.terminate();
        });
      }),
    );
  }
}
