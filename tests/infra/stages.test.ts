// Stages: production keeps its data; personal stages leave nothing behind.
import { describe, expect, it } from "vitest";
import { appGraph, checkRemoval } from "./harness/index";
import { ACCOUNT_LEVEL } from "./rules";

describe("evaluation", () => {
  it.each(["dev-ci", "production"] as const)(
    "%s evaluated completely: no pending outputs, no unknown CLI calls",
    (stage) => {
      const graph = appGraph(stage);
      expect(graph.app.pendingPromises).toBe(0);
      expect(graph.app.unknownRpc).toEqual([]);
      expect(graph.functions().length).toBeGreaterThan(0);
    },
  );
});

describe("production", () => {
  const graph = appGraph("production");
  it("retains data: removal retain, deletion protection on the table and the user pool, protect", () => {
    expect(graph.app.app.removal).toBe("retain");
    expect(checkRemoval(graph)).toEqual([]);
  });
});

describe("personal stage (dev-ci)", () => {
  const graph = appGraph("dev-ci");
  it("removes everything", () => {
    expect(graph.app.app.removal).toBe("remove");
    // Only SST's account-level API Gateway logging role/account is retained, and only those.
    const retained = graph.resources.filter((r) => r.retainOnDelete).map((r) => r.type);
    expect(retained.every((t) => ACCOUNT_LEVEL.includes(t))).toBe(true);
    expect(checkRemoval(graph, ACCOUNT_LEVEL)).toEqual([]);
  });
});
