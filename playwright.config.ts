import { defineConfig, devices } from "@playwright/test";

// The e2e suite drives Debian's chromium against the whole app on the local cloud (no browser download).
const port = Number(process.env.E2E_PORT ?? 3939);
const baseURL = `http://localhost:${port}`;

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
      ],
    },
  },
  projects: [
    { name: "desktop", use: { ...devices["Desktop Chrome"], channel: undefined } },
    { name: "phone", use: { ...devices["Pixel 7"], channel: undefined }, grep: /@phone/ },
  ],
  webServer: {
    command: "npm run local",
    url: `${baseURL}/api/health`,
    reuseExistingServer: !process.env.CI,
    timeout: 180_000,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      PORT: String(port),
      ASYNCSNS_CONFIRMATION_CODE: "123456",
      ASYNCSNS_DATA_DIR: ".asyncsns/e2e",
      ASYNCSNS_IN_MEMORY: "1",
      // Specs create many posts, rooms and follows quickly; per-user limits have their own integration test.
      ASYNCSNS_LIMIT_FACTOR: process.env.ASYNCSNS_LIMIT_FACTOR ?? "100",
      // Calls ring 4 s, not 45: the missed-call spec waits for the server's timer.
      ASYNCSNS_CALL_RING_SECONDS: process.env.ASYNCSNS_CALL_RING_SECONDS ?? "4",
    },
  },
});
