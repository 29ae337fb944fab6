// Bundles handlers from TypeScript source the way SST does for Lambda (esbuild, ESM, node target).
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { type BuildOptions, build, context, type Metafile, type Plugin } from "esbuild";
import type { FunctionRecord } from "../topology";

// Bundled CommonJS packages call require(); ESM output needs one, as SST adds for Lambda.
const BANNER = [
  `import { createRequire as __asyncsnsCreateRequire } from "node:module";`,
  `const require = __asyncsnsCreateRequire(import.meta.url);`,
].join("\n");

export interface Bundles {
  /** Absolute path of the bundle per function name. */
  files: Record<string, string>;
  /** Project source files (relative to root) each function's bundle includes. */
  inputs: Record<string, string[]>;
  workerScript: string;
  dispose(): Promise<void>;
}

export interface BundleOptions {
  root: string;
  outDir: string;
  functions: FunctionRecord[];
  /** Dev mode: rebuild on change and report the functions whose bundle changed. */
  watch?: boolean;
  onRebuild?: (changed: string[], errors: string[]) => void;
}

function entryName(file: string): string {
  return file.replace(/\.[^./]+$/, "").replace(/[^a-zA-Z0-9/_-]/g, "_");
}

export async function bundleFunctions(opts: BundleOptions): Promise<Bundles> {
  const { root, outDir } = opts;
  const entries = new Map<string, string>();
  for (const fn of opts.functions) entries.set(entryName(fn.file), join(root, fn.file));
  const files: Record<string, string> = {};
  for (const fn of opts.functions) files[fn.name] = join(outDir, `${entryName(fn.file)}.mjs`);

  const workerScript = join(outDir, "_runtime", "worker-main.mjs");
  await build({
    entryPoints: [fileURLToPath(new URL("./worker-main.ts", import.meta.url))],
    outfile: workerScript,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "silent",
  });

  // nodejs.install packages (native binaries) stay external, loaded from the app's node_modules as installed.
  const installed = [...new Set(opts.functions.flatMap((f) => f.install ?? []))];
  const requireFromRoot = createRequire(join(root, "package.json"));
  const externals: Plugin = {
    name: "asyncsns-installed-packages",
    setup(b) {
      if (installed.length === 0) return;
      const filter = new RegExp(
        `^(${installed.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})(/.*)?$`,
      );
      b.onResolve({ filter }, (args) => {
        try {
          return { path: requireFromRoot.resolve(args.path, { paths: [args.resolveDir] }), external: true };
        } catch {
          return { path: args.path, external: true };
        }
      });
    },
  };

  // Externals stay bare imports, resolved from the app's node_modules as Lambda does from its runtime.
  const external = [...new Set(opts.functions.flatMap((f) => f.external ?? []))];

  const options: BuildOptions = {
    entryPoints: Object.fromEntries(entries),
    outdir: outDir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: true,
    metafile: true,
    banner: { js: BANNER },
    logLevel: "silent",
    sourcesContent: false,
    absWorkingDir: root,
    plugins: [externals],
    external,
  };

  const inputs: Record<string, string[]> = {};
  const hashes = new Map<string, string>();
  const readInputs = (metafile: Metafile) => {
    for (const fn of opts.functions) {
      const meta = metafile.outputs[relative(root, files[fn.name]!)];
      // Project files only: what the app's own code reads (e.g. Resource.X) is what link checks care about.
      inputs[fn.name] = meta
        ? Object.entries(meta.inputs)
            .filter(([p, i]) => i.bytesInOutput > 0 && !p.includes("node_modules") && !p.startsWith(".."))
            .map(([p]) => p)
        : [];
    }
  };
  const changedFunctions = () => {
    const changed: string[] = [];
    for (const fn of opts.functions) {
      let hash = "";
      try {
        hash = createHash("sha1").update(readFileSync(files[fn.name]!)).digest("hex");
      } catch {}
      if (hashes.get(fn.name) !== hash) changed.push(fn.name);
      hashes.set(fn.name, hash);
    }
    return changed;
  };

  if (!opts.watch) {
    const result = await build(options).catch((err: { errors?: { text: string }[] }) => {
      throw new Error(`bundling the functions failed:\n${formatErrors(err)}`);
    });
    readInputs(result.metafile!);
    return { files, inputs, workerScript, dispose: async () => {} };
  }

  let first = true;
  let resolveFirst!: () => void;
  let rejectFirst!: (err: Error) => void;
  const ready = new Promise<void>((res, rej) => {
    resolveFirst = res;
    rejectFirst = rej;
  });
  const ctx = await context({
    ...options,
    plugins: [
      externals,
      {
        name: "asyncsns-reload",
        setup(b) {
          b.onEnd((result) => {
            const errors = result.errors.map(
              (e) => `${e.location?.file ?? ""}:${e.location?.line ?? ""} ${e.text}`,
            );
            if (result.metafile) readInputs(result.metafile);
            if (first) {
              first = false;
              changedFunctions();
              if (errors.length)
                rejectFirst(new Error(`bundling the functions failed:\n${errors.join("\n")}`));
              else resolveFirst();
              return;
            }
            opts.onRebuild?.(errors.length ? [] : changedFunctions(), errors);
          });
        },
      },
    ],
  });
  await ctx.watch();
  await ready.catch(async (err) => {
    await ctx.dispose();
    throw err;
  });
  return { files, inputs, workerScript, dispose: () => ctx.dispose() };
}

function formatErrors(err: {
  errors?: { text: string; location?: { file: string; line: number } | null }[];
}) {
  return (err.errors ?? [])
    .map((e) => `  ${e.location ? `${e.location.file}:${e.location.line} ` : ""}${e.text}`)
    .join("\n");
}
