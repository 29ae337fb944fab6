// Parsing SST's argument shapes: durations, sizes, handlers, transforms.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Value } from "../../topology";
import { serialize, unwrap } from "../output";
import type { Args, TransformFn } from "./context";

export function unknownApi(what: string): Error {
  return new Error(`the local shim does not know ${what} — add it in packages/local/src/shim`);
}

const HANDLER_EXTENSIONS = [".ts", ".tsx", ".mts", ".js", ".mjs", ".jsx", ".cjs"];

/** Parses "src/handlers/orders.handler" into the file that exists and its export. */
export function resolveHandler(root: string, handler: string): { file: string; export: string } {
  const slash = handler.lastIndexOf("/");
  const dot = handler.lastIndexOf(".");
  if (dot <= slash) throw new Error(`handler "${handler}" must be "<path>.<export>"`);
  const base = handler.slice(0, dot).replace(/^\.\//, "");
  const exportName = handler.slice(dot + 1);
  const found = HANDLER_EXTENSIONS.map((ext) => base + ext).find((f) => existsSync(join(root, f)));
  return { file: found ?? `${base}.ts`, export: exportName };
}

export function toSeconds(duration: string | number | undefined, fallback: number): number {
  if (duration === undefined) return fallback;
  if (typeof duration === "number") return duration;
  const [count = "0", unit = "seconds"] = duration.split(" ");
  const n = Number.parseInt(count, 10);
  const u = unit.toLowerCase();
  if (u.startsWith("minute")) return n * 60;
  if (u.startsWith("hour")) return n * 3600;
  if (u.startsWith("day")) return n * 86400;
  return n;
}

export function toMBs(size: string | number | undefined, fallback: number): number {
  if (size === undefined) return fallback;
  if (typeof size === "number") return size;
  const [count = "0", unit = "MB"] = size.split(" ");
  const n = Number.parseFloat(count);
  return unit === "GB" ? n * 1024 : unit === "TB" ? n * 1024 * 1024 : n;
}

/** SST's `transform` helper: a callback mutates args, an object is merged over them. */
export function applyTransform(t: unknown, name: string, args: Args, opts: Args = {}): Args {
  if (typeof t === "function") {
    (t as TransformFn)(args, opts, name);
    return args;
  }
  if (t && typeof t === "object") return { ...args, ...(t as Args) };
  return args;
}

/** Runs sub-resource transform callbacks on a plain object so their intent is recorded too. */
export function recordTransforms(args: Args): Record<string, Value> | undefined {
  const t = unwrap(args.transform) as Args | undefined;
  if (!t) return undefined;
  const out: Record<string, Value> = {};
  for (const [key, fn] of Object.entries(t)) {
    if (key === "function") continue;
    out[key] = serialize(applyTransform(fn, key, {}));
  }
  return out;
}

export function isFunctionSubscriber(v: unknown): boolean {
  const x = unwrap(v);
  return typeof x === "string" || (typeof x === "object" && x !== null && "handler" in x);
}
