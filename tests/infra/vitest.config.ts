import { defineConfig } from "vitest/config";

// Forks keep each evaluation in its own process, since the platform holds global state.
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
