// The whole resource graph per stage, normalised: any infrastructure change shows up in review.
import { expect, it } from "vitest";
import { appGraph, repoRoot } from "./harness/index";
import { graphSnapshot } from "./harness/snapshot";

for (const stage of ["dev-ci", "production"] as const) {
  it(`resource graph (${stage})`, async () => {
    await expect(graphSnapshot(appGraph(stage), repoRoot)).toMatchFileSnapshot(
      `__snapshots__/graph.${stage}.txt`,
    );
  });
}
