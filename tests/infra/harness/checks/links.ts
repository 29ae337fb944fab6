// Links match code: a function links exactly the resources its bundled code reads.
import type { CodeReads } from "../code-reads";
import type { InfraGraph } from "../graph";
import { type Problem, problem } from "./shared";

/** Each function links exactly what its code reads (`Resource.<Name>` in the files its handler bundles). */
export function checkLinks(graph: InfraGraph, readsByHandler: Record<string, CodeReads>): Problem[] {
  const out: Problem[] = [];
  for (const fn of graph.functions()) {
    const code = readsByHandler[fn.handler];
    if (!code) {
      out.push(problem("links", fn.logicalName, `${fn.logicalName}: no handler file for ${fn.handler}`));
      continue;
    }
    for (const name of code.reads)
      if (!fn.links.includes(name))
        out.push(
          problem(
            "links",
            fn.logicalName,
            `${fn.logicalName} reads Resource.${name} (${code.where[name]?.[0]}) but does not link ${name}`,
          ),
        );
    for (const name of fn.links)
      if (!code.reads.includes(name))
        out.push(
          problem(
            "links",
            fn.logicalName,
            `${fn.logicalName} links ${name} but its code never reads Resource.${name}`,
          ),
        );
  }
  return out;
}
