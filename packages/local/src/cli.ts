// `npm run local` / `npm run dev` / `npm run sst-env`: the local cloud from the command line.
import { resolve } from "node:path";
import { startLocalCloud } from "./local-cloud";
import { loadTopology, writeSstEnv } from "./shim";

// The local cloud's own SDK clients (stand-in provisioning, stream polling) run on the developer's Node.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const root = resolve(process.env.ASYNCSNS_ROOT ?? process.cwd());
const configFile = resolve(root, "sst.config.ts");

async function start(dev: boolean) {
  const port = process.env.PORT === undefined ? 3000 : Number(process.env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT=${process.env.PORT} is not a port`);
  // The e2e suite sets both so its cloud never shares data (or a build folder) with a developer's `npm start`.
  const dataDir = resolve(root, process.env.ASYNCSNS_DATA_DIR || ".asyncsns");
  const inMemory = ["1", "true"].includes(process.env.ASYNCSNS_IN_MEMORY ?? "");
  console.log(`data     ${dataDir}${inMemory ? " (in memory: DynamoDB, S3 and SQS start empty)" : ""}`);
  const count = (name: string) => {
    const n = Number(process.env[name] || 0);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name}=${process.env[name]} is not a count`);
    return n;
  };
  // Worker threads per function, and across all functions (each is an isolate of its own).
  const concurrency = count("ASYNCSNS_FUNCTION_CONCURRENCY");
  const workers = count("ASYNCSNS_FUNCTION_WORKERS");
  const cloud = await startLocalCloud({
    root,
    ...(concurrency ? { functionConcurrency: concurrency } : {}),
    ...(workers ? { functionWorkers: workers } : {}),
    configFile,
    port,
    dataDir,
    inMemory,
    dev,
    ...(process.env.ASYNCSNS_CONFIRMATION_CODE
      ? { confirmationCode: process.env.ASYNCSNS_CONFIRMATION_CODE }
      : {}),
  });
  console.log(dev ? "watching functions for changes; Ctrl-C to stop" : "Ctrl-C to stop");
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the local cloud…`);
    const force = setTimeout(() => {
      console.error("stopping took too long; exiting");
      process.exit(1);
    }, 15_000);
    await cloud.stop();
    clearTimeout(force);
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGHUP", () => void stop("SIGHUP"));
}

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  if (command === "start") return start(rest.includes("--dev"));
  if (command === "sst-env") {
    const topology = await loadTopology(configFile);
    const file = resolve(root, "sst-env.d.ts");
    await writeSstEnv(topology, file);
    console.log(`wrote ${file}`);
    return;
  }
  console.error("usage: cli.ts start [--dev] | sst-env");
  process.exit(2);
}

main().catch((err: Error & { code?: string; name?: string }) => {
  // Expected failures (busy port, no Java, a stand-in that did not come up) read better without a stack.
  const expected =
    err.code === "EADDRINUSE" ||
    err.name === "StandInError" ||
    /Java|in use|did not (come up|start)/i.test(err.message);
  console.error(expected ? `error: ${err.message}` : err.stack);
  process.exit(1);
});
