// What a function's code reads: bundle its handler with esbuild (metafile) and scan the project files
// that end up in the bundle for `Resource.<Name>`. Third-party packages stay external (they never read
// the app's links); workspace packages (@asyncsns/*) are followed to their sources.
import { readFileSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";

const RESOURCE_READ = /\bResource\s*(?:\.\s*([A-Za-z_$][\w$]*)|\[\s*["'`]([A-Za-z_$][\w$]*)["'`]\s*\])/g;

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
  const where: Record<string, string[]> = {};
  for (const file of files) {
    const lines = readFileSync(path.join(root, file), "utf8").split("\n");
    lines.forEach((line, i) => {
      if (/^\s*(\/\/|\*)/.test(line)) return;
      for (const m of line.matchAll(RESOURCE_READ)) {
        const name = m[1] ?? m[2];
        if (!name || name === "App") continue;
        where[name] ??= [];
        where[name].push(`${file}:${i + 1}`);
      }
    });
  }
  return { reads: Object.keys(where).sort(), where, files };
}

function isFile(p: string) {
  try {
    readFileSync(p);
    return true;
  } catch {
    return false;
  }
}
