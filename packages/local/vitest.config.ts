// Runs the local-cloud package's tests on their own; the root config folds these in as a project.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    root: fileURLToPath(new URL(".", import.meta.url)),
    include: ["test/**/*.test.ts"],
    // Real JVMs and child processes: forks keep process.on("exit") hooks per test file.
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
