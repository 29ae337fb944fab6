import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const script = resolve(import.meta.dirname, "fixtures/traced-call.ts");
const MISSING = "Failed to get the current sub/segment from the context";

type Outcome = { enabled: boolean; same: boolean; tables: string[]; stderr: string };

/** One traced DynamoDB call in a fresh process with exactly these Lambda-ish variables (the tracer reads them once). */
async function tracedCall(env: Record<string, string>): Promise<Outcome> {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith("AWS_") && !k.startsWith("POWERTOOLS_") && !k.startsWith("_X_AMZN"),
    ),
  );
  const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", script], {
    env: { ...base, ...env },
  });
  const last = stdout.trim().split("\n").pop() ?? "";
  return { ...(JSON.parse(last) as Omit<Outcome, "stderr">), stderr };
}

// Three Node processes that each load core through tsx: seconds apiece on a busy machine, so they start together.
describe("X-Ray tracer in core", { timeout: 60_000 }, () => {
  let outside: Outcome;
  let local: Outcome;
  let bare: Outcome;
  beforeAll(async () => {
    [outside, local, bare] = await Promise.all([
      tracedCall({}),
      // What packages/local/src/resolve.ts gives every function.
      tracedCall({ AWS_EXECUTION_ENV: "AWS_Lambda_nodejs22.x", AWS_XRAY_CONTEXT_MISSING: "IGNORE_ERROR" }),
      tracedCall({ AWS_EXECUTION_ENV: "AWS_Lambda_nodejs22.x" }),
    ]);
  }, 60_000);

  it("is off outside Lambda and hands the client back untouched (tests, scripts)", () => {
    expect(outside).toMatchObject({ enabled: false, same: true, tables: [] });
    expect(outside.stderr).not.toContain(MISSING);
  });

  it("is on in the local cloud's Lambda environment, with no daemon and no trace header, and stays quiet", () => {
    expect(local).toMatchObject({ enabled: true, tables: [] });
    expect(local.stderr).not.toContain(MISSING);
  });

  it("without that setting, every call outside a segment is logged as an error (why the local cloud sets it)", () => {
    expect(bare).toMatchObject({ enabled: true, tables: [] });
    expect(bare.stderr).toContain(MISSING);
  });
});
