// Writes sst-env.d.ts offline, in the shape `sst` generates, so `Resource.X` type-checks without a deploy.
import { writeFile } from "node:fs/promises";
import { isRef, isTemplate, type Topology, type Value } from "../topology";

function tsType(v: Value): string {
  if (typeof v === "number") return "number";
  if (typeof v === "boolean") return "boolean";
  if (v === null || typeof v === "string" || isRef(v) || isTemplate(v)) return "string";
  return "any";
}

export function renderSstEnv(topology: Topology): string {
  const linked = new Set(topology.functions.flatMap((f) => f.link));
  const lines: string[] = [];
  const resources = topology.resources
    .filter((r) => linked.has(r.name) && r.link)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const r of resources) {
    const props: [string, string][] = Object.entries(r.link ?? {}).map(([k, v]) => [k, tsType(v)]);
    props.push(["type", JSON.stringify(r.type)]);
    props.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    lines.push(`    ${r.name}: { ${props.map(([k, t]) => `${k}: ${t}`).join("; ")} };`);
  }
  return [
    "/* This file is generated from sst.config.ts by `npm run sst-env` (the same shape `sst` writes). */",
    "/* biome-ignore-all lint: generated */",
    'import "sst";',
    "",
    'declare module "sst" {',
    "  export interface Resource {",
    ...lines,
    "  }",
    "}",
    "",
    "export {};",
    "",
  ].join("\n");
}

export async function writeSstEnv(topology: Topology, file: string): Promise<void> {
  await writeFile(file, renderSstEnv(topology));
}
