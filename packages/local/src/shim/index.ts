// Evaluates the app's own sst.config.ts with recording globals: one source of truth for AWS and local.
import { mkdir, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import type { Topology, Value } from "../topology";
import { createRecorder, unknownApi } from "./components";
import {
  concat,
  interpolate,
  jsonParse,
  jsonStringify,
  Out,
  output,
  refToken,
  serialize,
  settleDeferred,
  unwrap,
} from "./output";

export { writeSstEnv } from "./sst-env";

const GLOBALS = [
  "$config",
  "$app",
  "$dev",
  "$cli",
  "$transform",
  "$interpolate",
  "$concat",
  "$jsonStringify",
  "$jsonParse",
  "$resolve",
  "$output",
  "$util",
  "$linkable",
  "$asset",
  "sst",
  "aws",
] as const;

// Globals are process-wide, so evaluations take turns.
let queue: Promise<unknown> = Promise.resolve();

export function loadTopology(configFile: string, stage = "local"): Promise<Topology> {
  const run = queue.then(() => evaluate(configFile, stage));
  queue = run.catch(() => undefined);
  return run;
}

const ACCOUNT_ID = "000000000000";

/** `aws.<module>`: resource classes (capitalised) are recorded; data-source functions are not known. */
function pulumiModule(pulumiClass: (m: string, r: string) => unknown, module: string) {
  return new Proxy(
    {},
    {
      get(_t, prop) {
        if (typeof prop === "symbol" || prop === "then") return undefined;
        if (/^[A-Z]/.test(prop)) return pulumiClass(module, prop);
        throw unknownApi(`aws.${module}.${prop}`);
      },
    },
  );
}

interface AppConfig {
  app(input: { stage: string }): Record<string, any> | Promise<Record<string, any>>;
  run(): unknown;
}

async function evaluate(configFile: string, stage: string): Promise<Topology> {
  const root = dirname(configFile);
  const outDir = join(root, ".asyncsns", "shim");
  await mkdir(outDir, { recursive: true });
  const outFile = join(outDir, `config-${process.pid}-${Date.now()}.mjs`);
  // esbuild inlines infra/*.ts (even the dynamic imports), so every evaluation starts fresh.
  await build({
    entryPoints: [configFile],
    outfile: outFile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    logLevel: "silent",
  });
  const recorder = createRecorder(root);
  const region = output(refToken("aws:region", "name"));
  let appInfo: Topology["app"] = { name: "app", stage };
  const g = globalThis as Record<string, unknown>;
  const saved = new Map(GLOBALS.map((k) => [k, g[k]]));
  const util = {
    output,
    interpolate,
    concat,
    jsonStringify,
    jsonParse,
    all: (values: unknown) => output(unwrap(values)),
    secret: output,
    unsecret: output,
    Output: Out,
  };
  Object.assign(g, {
    $config: (c: AppConfig) => c,
    $dev: false,
    $cli: { command: "deploy", paths: { root, work: join(root, ".sst"), platform: "", home: "" } },
    $transform: recorder.$transform,
    $interpolate: interpolate,
    $concat: concat,
    $jsonStringify: jsonStringify,
    $jsonParse: jsonParse,
    $resolve: (values: unknown) => output(unwrap(values)),
    $output: output,
    $util: util,
    $linkable: () => {
      throw unknownApi("$linkable");
    },
    $asset: () => {
      throw unknownApi("$asset");
    },
    sst: recorder.sst,
    aws: new Proxy(
      {
        getRegionOutput: () => output({ name: region, region, id: region }),
        getCallerIdentityOutput: () => output({ accountId: ACCOUNT_ID, id: ACCOUNT_ID }),
        getPartitionOutput: () => output({ partition: "aws", dnsSuffix: "amazonaws.com" }),
      },
      {
        get(t, prop) {
          if (prop in t) return t[prop as keyof typeof t];
          if (typeof prop === "symbol" || prop === "then") return undefined;
          // `new aws.Provider(...)` (e.g. a us-east-1 provider for global services) is recorded like a resource.
          if (prop === "Provider") return recorder.pulumiClass("index", prop);
          return pulumiModule(recorder.pulumiClass, String(prop));
        },
      },
    ),
  });
  try {
    const mod = (await import(pathToFileURL(outFile).href)) as { default: AppConfig };
    const config = mod.default;
    if (!config?.app || !config.run)
      throw new Error(`${configFile} must export default $config({ app, run })`);
    const a = await config.app({ stage });
    appInfo = {
      name: String(a.name),
      stage,
      removal: a.removal ?? "retain",
      protect: Boolean(a.protect),
      home: a.home,
      ...(a.providers?.aws?.region ? { region: a.providers.aws.region } : {}),
    };
    g.$app = Object.freeze({
      name: appInfo.name,
      stage,
      removal: appInfo.removal,
      protect: appInfo.protect,
      providers: a.providers ?? {},
    });
    const outputs = await config.run();
    // Values infra deferred (servedBy) resolve once run() has made what they wait for.
    await new Promise((resolve) => setImmediate(resolve));
    return settleDeferred({
      app: appInfo,
      root,
      ...recorder.topology,
      outputs: serialize(outputs),
    } as unknown as Value) as unknown as Topology;
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete g[k];
      else g[k] = v;
    }
    await rm(outFile, { force: true });
  }
}
