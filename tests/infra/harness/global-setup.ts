// Evaluates the app once per stage for the whole run and hands the graphs to the test files.
import type { TestProject } from "vitest/node";
import { appConfig, evaluateInChild } from "./load";
import type { EvaluatedApp } from "./types";

export const STAGES = ["dev-ci", "production"] as const;

declare module "vitest" {
  export interface ProvidedContext {
    infraGraphs: Record<string, EvaluatedApp>;
  }
}

export default async function setup(project: TestProject) {
  const graphs: Record<string, EvaluatedApp> = {};
  // Sequential on purpose: each evaluation is CPU-bound and the machine is shared.
  for (const stage of STAGES) graphs[stage] = await evaluateInChild(appConfig, stage);
  project.provide("infraGraphs", graphs);
}
