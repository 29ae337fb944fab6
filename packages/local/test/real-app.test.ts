// The real app's sst.config.ts through the shim: what the local cloud (and AWS) will run is complete and linked.
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bundleFunctions } from "../src/runtime/bundle";
import { loadTopology } from "../src/shim";
import { renderSstEnv } from "../src/shim/sst-env";

const root = resolve(import.meta.dirname, "../../..");
const outDir = await mkdtemp(join(tmpdir(), "asyncsns-real-app-"));
afterAll(() => rm(outDir, { recursive: true, force: true }));

describe("the real app", async () => {
  const t = await loadTopology(join(root, "sst.config.ts"));
  const fns = new Map(t.functions.map((f) => [f.name, f]));

  it("declares functions, HTTP routes and WebSocket routes", () => {
    expect(t.functions.length).toBeGreaterThan(0);
    expect(t.httpRoutes.length).toBeGreaterThan(0);
    expect(t.wsRoutes.map((r) => r.route)).toEqual(
      expect.arrayContaining(["$connect", "$disconnect", "$default"]),
    );
  });

  it("has a handler file and export for every function", async () => {
    for (const fn of t.functions) {
      const file = join(root, fn.file);
      expect(existsSync(file), `${fn.name}: ${fn.file}`).toBe(true);
      expect(readFileSync(file, "utf8"), `${fn.name} exports ${fn.export}`).toMatch(
        new RegExp(
          `export\\s+(const|async\\s+function|function|let)\\s+${fn.export}\\b|export\\s*\\{[^}]*\\b${fn.export}\\b`,
        ),
      );
    }
  });

  it("routes every HTTP and WebSocket route to a recorded function, behind a recorded authorizer", () => {
    for (const r of [...t.httpRoutes, ...t.wsRoutes])
      expect(fns.has(r.function), JSON.stringify(r)).toBe(true);
    for (const r of t.httpRoutes) {
      if (r.auth.type === "jwt") {
        const name = r.auth.authorizer;
        expect(t.httpAuthorizers.some((a) => a.name === name)).toBe(true);
      }
    }
    const connect = t.wsRoutes.find((r) => r.route === "$connect")!;
    expect(connect.auth.type).toBe("lambda");
  });

  it("traces every function actively", () => {
    for (const fn of t.functions) expect(fn.tracing, fn.name).toBe("Active");
  });

  it("links every resource a function's bundled project code reads through Resource.X", async () => {
    const bundles = await bundleFunctions({ root, outDir, functions: t.functions });
    const missing: string[] = [];
    for (const fn of t.functions) {
      const read = new Set<string>();
      for (const file of bundles.inputs[fn.name] ?? []) {
        // Comments mention Resource.X too; only code counts.
        const src = readFileSync(join(root, file), "utf8")
          .replace(/\/\*[\s\S]*?\*\//g, "")
          .replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
        for (const m of src.matchAll(
          /\bResource\s*(?:\.\s*([A-Za-z_$][\w$]*)|\[\s*["']([^"']+)["']\s*\])/g,
        )) {
          read.add((m[1] ?? m[2])!);
        }
      }
      for (const name of read) {
        if (name !== "App" && !fn.link.includes(name))
          missing.push(`${fn.name} reads Resource.${name} without linking it`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("matches the committed sst-env.d.ts", () => {
    expect(readFileSync(join(root, "sst-env.d.ts"), "utf8")).toBe(renderSstEnv(t));
  });
});
