import { defineConfig } from "vitest/config";

// Unit tests never touch a stand-in; they only need link env so modules that read Resource at load can import.
const unitResources = {
  SST_RESOURCE_App: JSON.stringify({ name: "asyncsns", stage: "unit" }),
  SST_RESOURCE_Table: JSON.stringify({ name: "unit-table", type: "sst.aws.Dynamo" }),
  AWS_REGION: "us-east-1",
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["packages/{core,functions,realtime,web}/test/**/*.test.ts", "tests/docs/**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "**/node_modules/**"],
          env: unitResources,
        },
      },
      {
        test: {
          name: "integration",
          include: ["packages/{core,functions,realtime}/test/**/*.int.test.ts"],
          globalSetup: ["tests/support/local-cloud-setup.ts"],
          setupFiles: ["tests/support/local-cloud-env.ts"],
          pool: "forks",
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          // kill -9 of a spawned local cloud under load; slow (three cloud starts), so its own project.
          name: "crash",
          include: ["tests/crash/**/*.test.ts"],
          pool: "forks",
          testTimeout: 600_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: "local",
          include: ["packages/local/test/**/*.test.ts"],
          pool: "forks",
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
