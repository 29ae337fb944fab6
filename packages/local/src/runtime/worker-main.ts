// Runs inside each function's worker thread: the Lambda Node.js runtime in miniature.
import { parentPort, workerData } from "node:worker_threads";

interface InvokeMessage {
  type: "invoke";
  id: number;
  event: unknown;
  context: {
    awsRequestId: string;
    functionName: string;
    functionVersion: string;
    invokedFunctionArn: string;
    memoryLimitInMB: string;
    logGroupName: string;
    logStreamName: string;
    timeoutMs: number;
  };
}

type Handler = (
  event: unknown,
  context: unknown,
  callback?: (err: unknown, value?: unknown) => void,
) => unknown;

const { file, exportName } = workerData as { file: string; exportName: string };
process.setSourceMapsEnabled(true);
// Lambda's nodejs22.x never sees the SDK's "Node 20 is ending" notice; keep it out of function logs.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: never[]) => {
  if (String(warning).includes("NodeVersionSupportWarning")) return;
  emitWarning(warning, ...rest);
}) as typeof process.emitWarning;

// Module scope runs once per worker, like a Lambda init phase.
const loaded: Promise<Handler> = import(file).then((mod: Record<string, unknown>) => {
  const fn = mod[exportName];
  if (typeof fn !== "function") {
    throw Object.assign(new Error(`${file} does not export a function named "${exportName}"`), {
      name: "Runtime.HandlerNotFound",
    });
  }
  return fn as Handler;
});
// The parent starts a request's timeout clock only when init is over, as Lambda times init apart.
const initStart = performance.now();
loaded.then(
  () => parentPort!.postMessage({ type: "ready", initMs: performance.now() - initStart }),
  () => parentPort!.postMessage({ type: "ready", initMs: performance.now() - initStart }),
);

function serializeError(err: unknown) {
  if (err instanceof Error) {
    return {
      errorType: err.name === "Error" ? (err.constructor?.name ?? "Error") : err.name,
      errorMessage: err.message,
      trace: (err.stack ?? "").split("\n"),
    };
  }
  return { errorType: "Error", errorMessage: String(err), trace: [] };
}

function call(handler: Handler, event: unknown, context: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const done = (err: unknown, value?: unknown) => {
      if (settled) return;
      settled = true;
      if (err) reject(err);
      else resolve(value);
    };
    try {
      const out = handler(event, context, done);
      if (out && typeof (out as Promise<unknown>).then === "function") {
        (out as Promise<unknown>).then(
          (v) => done(null, v),
          (e) => done(e ?? new Error("handler rejected")),
        );
      } else if (handler.length < 3) done(null, out);
    } catch (err) {
      done(err);
    }
  });
}

parentPort!.on("message", async (msg: InvokeMessage) => {
  if (msg.type !== "invoke") return;
  const { timeoutMs, ...rest } = msg.context;
  let deadline = 0;
  const context = {
    ...rest,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    succeed: () => undefined,
    fail: () => undefined,
  };
  let handler: Handler;
  try {
    handler = await loaded;
    // A cold start's clock starts after init, as the parent's timer does.
    deadline = Date.now() + timeoutMs;
  } catch (err) {
    parentPort!.postMessage({
      type: "result",
      id: msg.id,
      ok: false,
      init: true,
      error: serializeError(err),
    });
    return;
  }
  try {
    const value = await call(handler, msg.event, context);
    // Lambda JSON-serialises the result; doing the same surfaces unserialisable results locally.
    const json = value === undefined ? null : JSON.parse(JSON.stringify(value));
    parentPort!.postMessage({ type: "result", id: msg.id, ok: true, value: json });
  } catch (err) {
    parentPort!.postMessage({ type: "result", id: msg.id, ok: false, error: serializeError(err) });
  }
});
