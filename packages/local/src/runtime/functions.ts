// One worker thread per function, with only the env a Lambda of that function would have.
import { randomUUID } from "node:crypto";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { FunctionRecord } from "../topology";

export interface LambdaError {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

/** A handler's error (or a timeout), as Lambda reports it to the caller. */
export class InvokeError extends Error {
  constructor(
    readonly functionName: string,
    readonly error: LambdaError,
  ) {
    super(`${functionName}: ${error.errorType}: ${error.errorMessage}`);
    this.name = "InvokeError";
  }
}

export interface InvokeOptions {
  awsRequestId?: string;
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
  exited: boolean;
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
}

export class FunctionRuntime {
  private readonly slots = new Map<string, Slot>();
  private readonly byName: Map<string, FunctionRecord>;
  private nextId = 1;
  private stopped = false;

  constructor(private readonly opts: FunctionRuntimeOptions) {
    this.byName = new Map(opts.functions.map((f) => [f.name, f]));
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** Starts every worker now so module init (and init errors) happen before the first request. */
  startAll(): void {
    for (const fn of this.opts.functions) this.slot(fn.name);
  }

  private slot(name: string): Slot {
    const existing = this.slots.get(name);
    if (existing && !existing.exited) return existing;
    const fn = this.byName.get(name);
    if (!fn) throw new Error(`no function named "${name}"`);
    const worker = new Worker(this.opts.workerScript, {
      workerData: { file: pathToFileURL(this.opts.bundles[name]!).href, exportName: fn.export },
      env: this.opts.env(fn),
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: Math.max(64, fn.memory) },
    });
    const slot: Slot = { worker, pending: new Map(), exited: false };
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
      }) => {
        if (msg.type !== "result") return;
        const p = slot.pending.get(msg.id);
        if (!p) return;
        slot.pending.delete(msg.id);
        clearTimeout(p.timer);
        if (msg.ok) p.resolve(msg.value);
        else p.reject(new InvokeError(name, msg.error!));
        // A failed init is retried on the next invoke, as Lambda re-inits a fresh sandbox.
        if (msg.init) this.retire(name, slot);
      },
    );
    worker.on("error", (err) => {
      this.write(name, "stderr", `worker crashed: ${err.stack ?? err.message}`);
      this.fail(slot, name, { errorType: "Runtime.ExitError", errorMessage: err.message, trace: [] });
    });
    worker.on("exit", (code) => {
      slot.exited = true;
      this.fail(slot, name, {
        errorType: "Runtime.ExitError",
        errorMessage: `RequestId: worker exited with code ${code}`,
        trace: [],
      });
      if (this.slots.get(name) === slot) this.slots.delete(name);
    });
    worker.unref();
    this.slots.set(name, slot);
    return slot;
  }

  private write(fn: string, stream: "stdout" | "stderr", line: string) {
    if (this.opts.output) this.opts.output(fn, stream, line);
    else (stream === "stdout" ? process.stdout : process.stderr).write(`[${fn}] ${line}\n`);
  }

  private fail(slot: Slot, name: string, error: LambdaError) {
    for (const [id, p] of slot.pending) {
      clearTimeout(p.timer);
      p.reject(new InvokeError(name, error));
      slot.pending.delete(id);
    }
  }

  private retire(name: string, slot: Slot) {
    slot.exited = true;
    if (this.slots.get(name) === slot) this.slots.delete(name);
    void slot.worker.terminate();
  }

  invoke(name: string, event: unknown, options: InvokeOptions = {}): Promise<unknown> {
    if (this.stopped) return Promise.reject(new Error("the local cloud is stopping"));
    const fn = this.byName.get(name);
    if (!fn) return Promise.reject(new Error(`no function named "${name}"`));
    const slot = this.slot(name);
    const id = this.nextId++;
    const physical = this.opts.physicalName(fn);
    const deadline = Date.now() + fn.timeout * 1000;
    const context = {
      awsRequestId: options.awsRequestId ?? randomUUID(),
      functionName: physical,
      functionVersion: "$LATEST",
      invokedFunctionArn: `arn:aws:lambda:${this.opts.region}:000000000000:function:${physical}`,
      memoryLimitInMB: String(fn.memory),
      logGroupName: `/aws/lambda/${physical}`,
      logStreamName: `${new Date().toISOString().slice(0, 10).replaceAll("-", "/")}/[$LATEST]${randomUUID().replaceAll("-", "")}`,
      deadline,
    };
    return new Promise((resolve, reject) => {
      // Lambda kills a sandbox that runs past its timeout; the next invoke gets a fresh one.
      const timer = setTimeout(() => {
        slot.pending.delete(id);
        reject(
          new InvokeError(name, {
            errorType: "Sandbox.Timedout",
            errorMessage: `Task timed out after ${fn.timeout.toFixed(2)} seconds`,
            trace: [],
          }),
        );
        this.write(name, "stderr", `Task timed out after ${fn.timeout.toFixed(2)} seconds`);
        this.retire(name, slot);
        this.fail(slot, name, {
          errorType: "Runtime.ExitError",
          errorMessage: "sandbox was reset",
          trace: [],
        });
      }, fn.timeout * 1000);
      slot.pending.set(id, { resolve, reject, timer });
      slot.worker.postMessage({ type: "invoke", id, event, context });
    });
  }

  /** Dev mode: the next invoke of these functions loads their new bundle. */
  async reload(names: string[]): Promise<void> {
    await Promise.all(
      names.map(async (name) => {
        const slot = this.slots.get(name);
        if (!slot) return;
        // In-flight invokes finish on the old code; new ones go to a fresh worker.
        this.slots.delete(name);
        const drain = async () => {
          while (slot.pending.size > 0) await new Promise((r) => setTimeout(r, 50));
          slot.exited = true;
          await slot.worker.terminate();
        };
        void drain();
        this.slot(name);
      }),
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const slots = [...this.slots.entries()];
    this.slots.clear();
    await Promise.all(
      slots.map(async ([name, slot]) => {
        slot.exited = true;
        this.fail(slot, name, {
          errorType: "Runtime.ExitError",
          errorMessage: "the local cloud stopped",
          trace: [],
        });
        await slot.worker.terminate();
      }),
    );
  }
}
