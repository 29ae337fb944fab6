import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

const script = resolve(import.meta.dirname, "fixtures/traced-call.ts");
const MISSING = "Failed to get the current sub/segment from the context";

/** Runs one traced DynamoDB call in a fresh process with exactly these Lambda-ish variables. */
function tracedCall(env: Record<string, string>) {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith("AWS_") && !k.startsWith("POWERTOOLS_") && !k.startsWith("_X_AMZN"),
    ),
  );
  const run = spawnSync(process.execPath, ["--import", "tsx", script], {
    env: { ...base, ...env },
    encoding: "utf8",
    timeout: 30_000,
  });
  expect(run.status, run.stderr).toBe(0);
  const last = run.stdout.trim().split("\n").pop() ?? "";
  return {
    ...(JSON.parse(last) as { enabled: boolean; same: boolean; tables: string[] }),
    stderr: run.stderr,
  };
}

describe("X-Ray tracer in core", () => {
  it("is off outside Lambda and hands the client back untouched (tests, scripts)", () => {
    const run = tracedCall({});
    expect(run).toMatchObject({ enabled: false, same: true, tables: [] });
    expect(run.stderr).not.toContain(MISSING);
  });

  it("is on in the local cloud's Lambda environment, with no daemon and no trace header, and stays quiet", () => {
    // What packages/local/src/resolve.ts gives every function.
    const run = tracedCall({
      AWS_EXECUTION_ENV: "AWS_Lambda_nodejs22.x",
      AWS_XRAY_CONTEXT_MISSING: "IGNORE_ERROR",
    });
    expect(run).toMatchObject({ enabled: true, tables: [] });
    expect(run.stderr).not.toContain(MISSING);
  });

  it("without that setting, every call outside a segment is logged as an error (why the local cloud sets it)", () => {
    const run = tracedCall({ AWS_EXECUTION_ENV: "AWS_Lambda_nodejs22.x" });
    expect(run).toMatchObject({ enabled: true, tables: [] });
    expect(run.stderr).toContain(MISSING);
  });
});
