// Unstable names, hashes and timestamps are normalised so a snapshot diff shows only real infra changes.
import { ACCOUNT } from "./evaluate";
import type { InfraGraph } from "./graph";

// physicalName() appends "-" + 8 chars of this alphabet (sst naming.ts PRETTY_CHARS).
const RANDOM_SUFFIX = /-[abcdefhkmnorstuvwxz]{8}(?![A-Za-z0-9])/g;

export function normalise(text: string, root: string): string {
  return text
    .split(root)
    .join("<root>")
    .replace(RANDOM_SUFFIX, "-<rand>")
    .replaceAll(ACCOUNT, "<account>")
    .replace(/\b[0-9a-f]{64}\b/g, "<sha256>")
    .replace(/\b[0-9a-f]{32}\b/g, "<md5>")
    .replace(/\b1[6-9]\d{11}\b/g, "<timestamp>");
}

const sortKeys = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  return value;
};

/** One block per resource, sorted by type then name; JSON-in-string inputs (policies, metadata) expanded. */
export function graphSnapshot(graph: InfraGraph, root: string): string {
  const expand = (value: unknown): unknown => {
    if (typeof value === "string" && /^[[{]/.test(value)) {
      try {
        return expand(JSON.parse(value));
      } catch {
        return value;
      }
    }
    if (Array.isArray(value)) return value.map(expand);
    if (value && typeof value === "object")
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expand(v)]));
    return value;
  };
  // SST names a queue's subscriber by a hash of the queue's ARN, which holds a random suffix: masked, and sorted
  // by the masked name so the order is stable too.
  const queues = graph.findAll("sst:aws:Queue").map((q) => q.name);
  const subscriber = new RegExp(`(${queues.join("|") || "$^"})Subscriber[A-Z][a-z]{5}`, "g");
  const canon = (text: string) => text.replace(subscriber, "$1Subscriber<arn-hash>");
  const blocks = [...graph.resources]
    .filter((r) => r.type !== "pulumi:pulumi:Stack")
    .sort((a, b) => a.type.localeCompare(b.type) || canon(a.name).localeCompare(canon(b.name)))
    .map((r) => {
      const head = [`${r.type} ${r.name}`];
      if (r.parent) head.push(`  parent: ${r.parent}`);
      if (r.retainOnDelete) head.push("  retainOnDelete: true");
      if (r.protect) head.push("  protect: true");
      const inputs = sortKeys(expand(r.inputs)) as Record<string, unknown>;
      if (Object.keys(inputs).length) head.push(JSON.stringify(inputs, null, 2).replace(/^/gm, "  "));
      return head.join("\n");
    });
  const builds = [...graph.app.builds]
    .sort((a, b) => canon(a.functionID).localeCompare(canon(b.functionID)))
    .map((b) => `build ${b.functionID}: ${b.handler} links [${b.links.join(", ")}]`);
  return canon(normalise(`${[...builds, "", ...blocks].join("\n\n")}\n`, root));
}
