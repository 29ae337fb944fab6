// Bundled and tree-shaken, so only links the handler really reaches count as reads.
import { readFileSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";

const RESOURCE_READ = /\bResource\d*\s*(?:\.\s*([A-Za-z_$][\w$]*)|\[\s*["'`]([A-Za-z_$][\w$]*)["'`]\s*\])/g;

export interface CodeReads {
  /** Linked names read as `Resource.<Name>` (never `App`, which every function has). */
  reads: string[];
  /** Where each read happens, `file:line`, for messages. */
  where: Record<string, string[]>;
  /** Project files in the bundle. */
  files: string[];
}

/** `handler` as given to SST, e.g. `packages/functions/src/api/profile.handler`. */
export async function codeReads(root: string, handler: string): Promise<CodeReads> {
  const parsed = path.posix.parse(handler);
  const base = path.join(root, parsed.dir, parsed.name);
  const entry = [".ts", ".tsx", ".mts", ".js", ".mjs"].map((ext) => base + ext).find(isFile);
  if (!entry) throw new Error(`handler file for ${handler} not found`);
  const result = await build({
    entryPoints: [entry],
    absWorkingDir: root,
    bundle: true,
    write: false,
    metafile: true,
    platform: "node",
    format: "esm",
    target: "node22",
    logLevel: "silent",
    plugins: [
      {
        name: "external-third-party",
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path.startsWith("@asyncsns/") ? undefined : { path: args.path, external: true },
          );
        },
      },
    ],
  });
  const files = Object.entries(Object.values(result.metafile.outputs)[0]?.inputs ?? {})
    .filter(([file, info]) => info.bytesInOutput > 0 && !file.includes("node_modules"))
    .map(([file]) => file)
    .sort();
  // How the handler reaches each module (breadth-first over the metafile's imports), for messages.
  const inputs = result.metafile.inputs;
  const entryKey = path.relative(root, entry).split(path.sep).join("/");
  const via = new Map<string, string[]>([[entryKey, [entryKey]]]);
  for (const queue = [entryKey]; queue.length; ) {
    const current = queue.shift() as string;
    for (const imported of inputs[current]?.imports ?? []) {
      if (imported.external || via.has(imported.path)) continue;
      via.set(imported.path, [...(via.get(current) ?? []), imported.path]);
      queue.push(imported.path);
    }
  }
  const chain = (module: string) => {
    const hops = via.get(module) ?? [];
    return hops.length > 1
      ? ` via ${hops
          .slice(0, -1)
          .map((h) => `${path.posix.basename(path.posix.dirname(h))}/${path.posix.basename(h)}`)
          .join(" → ")}`
      : "";
  };
  // Scan the bundle so unused helpers don't count; `// <path>` comments mark each module.
  const where: Record<string, string[]> = {};
  let module = "";
  let line = 0;
  for (const text of (result.outputFiles[0]?.text ?? "").split("\n")) {
    const marker = /^\/\/ (\S+\.[cm]?[jt]sx?)$/.exec(text);
    if (marker?.[1]) {
      module = marker[1];
      line = 0;
      continue;
    }
    line++;
    if (/^\s*(\/\/|\*)/.test(text)) continue;
    for (const m of text.matchAll(RESOURCE_READ)) {
      const name = m[1] ?? m[2];
      if (!name || name === "App") continue;
      where[name] ??= [];
      where[name].push(
        `${sourceLine(root, module, name) ?? `${module} (bundled line ${line})`}${chain(module)}`,
      );
    }
  }
  return { reads: Object.keys(where).sort(), where, files };
}

/** `file:line` of the first `Resource.<name>` in a project source file. */
function sourceLine(root: string, file: string, name: string) {
  try {
    const lines = readFileSync(path.join(root, file), "utf8").split("\n");
    const index = lines.findIndex((l) =>
      new RegExp(`\\bResource\\s*(\\.\\s*${name}\\b|\\[\\s*["'\`]${name}["'\`])`).test(l),
    );
    return index >= 0 ? `${file}:${index + 1}` : undefined;
  } catch {
    return undefined;
  }
}

function isFile(p: string) {
  try {
    readFileSync(p);
    return true;
  } catch {
    return false;
  }
}
