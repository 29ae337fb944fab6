import { defineConfig } from "vitest/config";

// The infra suite: the real sst.config.ts evaluated under Pulumi mocks (see tests/infra/harness).
// Evaluations run in child processes (one per app and stage); forks keep the test files isolated too.
export default defineConfig({
  test: {
    name: "infra",
    root: import.meta.dirname,
    include: ["*.test.ts"],
    pool: "forks",
    globalSetup: ["./harness/global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
