// Stages: production keeps its data; personal stages leave nothing behind.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { replicasFor } from "../../packages/core/src/search/opensearch";
import { appGraph, checkPosture, checkRemoval, repoRoot } from "./harness/index";
import {
  ACCOUNT_LEVEL,
  ALLOWED_WILDCARDS,
  MEDIA_READABLE,
  POSTURE_EXCEPTIONS,
  RETAINED_WITH_PARENT,
  SEARCH_CLIENTS,
  STREAM_SUBSCRIBERS,
  TABLE_ACCESS,
} from "./rules";

const { dependencies = {} } = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as {
  dependencies?: Record<string, string>;
};

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
    // Only SST's account-level API Gateway logging role/account is retained, and queue policies that go with
    // their queue.
    const allowed = [...ACCOUNT_LEVEL, ...RETAINED_WITH_PARENT];
    const retained = graph.resources.filter((r) => r.retainOnDelete).map((r) => r.type);
    expect(retained.every((t) => allowed.includes(t))).toBe(true);
    expect(checkRemoval(graph, allowed)).toEqual([]);
  });
});

describe.each(["dev-ci", "production"] as const)("posture of %s", (stage) => {
  const graph = appGraph(stage);
  it("passes every posture check (buckets, encryption, IAM, tracing, Powertools, installs, stream, edge)", () => {
    const problems = checkPosture(graph, {
      mediaReadable: MEDIA_READABLE,
      wildcards: ALLOWED_WILDCARDS,
      tableAccess: TABLE_ACCESS,
      streamSubscribers: STREAM_SUBSCRIBERS,
      dependencies,
      searchClients: SEARCH_CLIENTS,
      replicasFor,
    });
    const known = (p: { check: string; subject: string; message: string }) =>
      POSTURE_EXCEPTIONS.some(
        (e) => e.check === p.check && e.subject === p.subject && e.message === p.message,
      );
    expect(problems.filter((p) => !known(p))).toEqual([]);
  });
});
