import { inject } from "vitest";
import { InfraGraph } from "./graph";

export * from "./checks";
export * from "./graph";
export * from "./load";

/** The app's graph for a stage, evaluated once per run by global-setup.ts. */
export function appGraph(stage: "dev-ci" | "production"): InfraGraph {
  const app = inject("infraGraphs")[stage];
  if (!app) throw new Error(`stage ${stage} was not evaluated`);
  return new InfraGraph(app);
}
