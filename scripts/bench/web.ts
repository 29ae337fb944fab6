// Performance budget: the first load of home on a cold cache against the production build (npm run build:web),
// in Chromium through Playwright: JS transferred and time to the first post visible, beside the home API's own
// round trip and the HTML's DOMContentLoaded from the same runs.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { chromium } from "@playwright/test";
import { type LocalCloud, startLocalCloud } from "../../packages/local/src/local-cloud";
import { signUpAndSignIn } from "../../tests/support/cognito";
import { percentile } from "./stats";
import { cognitoClient } from "./users";

const { values: args } = parseArgs({
  options: {
    runs: { type: "string", default: "7" },
    /** A running local cloud's local.json (npm start writes it) instead of starting one. */
    "local-json": { type: "string" },
  },
});
const RUNS = Math.max(1, Number(args.runs));

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
process.env.ASYNCSNS_LIMIT_FACTOR ??= "100";

const root = resolve(import.meta.dirname, "../..");
const log = (line: string) => console.log(`[bench] ${line}`);
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
const ms = (x: number) => `${x.toFixed(0)} ms`;

async function main() {
  const dataDir = await mkdtemp(join(tmpdir(), "asyncsns-bench-web-"));
  const running = args["local-json"]
    ? (JSON.parse(await readFile(args["local-json"], "utf8")) as LocalCloud["urls"])
    : undefined;
  const cloud: LocalCloud | undefined = running
    ? undefined
    : await startLocalCloud({
        root,
        configFile: join(root, "sst.config.ts"),
        port: 0,
        dataDir,
        inMemory: true,
        confirmationCode: "123456",
        quiet: true,
        log: (line) => {
          if (!line.startsWith("[cognito] confirmation code")) console.log(line);
        },
        faults: "",
        // Functions' log lines would bury the table.
        functionOutput: () => {},
      });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu"],
  });
  try {
    const { apiUrl, webUrl, cognito } = running ?? cloud!.urls;
    const api = async (token: string, method: string, path: string, body?: unknown) => {
      const res = await fetch(`${apiUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body ? { "content-type": "application/json" } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return res;
    };
    const idp = cognitoClient(cognito);
    const run = Date.now().toString(36);
    const people = [];
    for (const i of [0, 1]) {
      const email = `web-${run}-${i}@example.com`;
      const signedIn = await signUpAndSignIn(idp, cognito.clientId, email);
      const handle = `w${run}${i}`.slice(0, 20);
      await api(signedIn.accessToken, "POST", "/me", { handle, displayName: `Web ${i}` });
      people.push({ ...signedIn, email, handle });
    }
    const [reader, author] = people as [(typeof people)[0], (typeof people)[0]];
    await api(reader.accessToken, "POST", `/users/${author.handle}/follow`);
    for (let i = 0; i < 20; i++)
      await api(author.accessToken, "POST", "/posts", { text: `Budget post ${i}` });
    for (let t = 0; t < 100; t++) {
      const home = (await (await api(reader.accessToken, "GET", "/timelines/home")).json()) as {
        items: unknown[];
      };
      if (home.items.length >= 20) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    if (!reader.refreshToken) throw new Error("no refresh token from cognito-local");

    const js: number[] = [];
    const all: number[] = [];
    const firstPost: number[] = [];
    const domReady: number[] = [];
    const homeApi: number[] = [];
    const origin = new URL(webUrl).origin;
    for (let r = 0; r < RUNS + 1; r++) {
      // A new context each time: an empty HTTP cache, signed in by the stored refresh token as the app keeps it.
      const context = await browser.newContext({
        storageState: {
          cookies: [],
          origins: [
            {
              origin,
              localStorage: [
                { name: "asyncsns.refreshToken", value: reader.refreshToken },
                { name: "asyncsns.email", value: reader.email },
                { name: "asyncsns.lang", value: "en" },
              ],
            },
          ],
        },
      });
      const page = await context.newPage();
      const sizes: Promise<{ script: boolean; bytes: number }>[] = [];
      page.on("requestfinished", (request) =>
        sizes.push(
          request.sizes().then(
            (s) => ({
              script: request.resourceType() === "script",
              bytes: s.responseBodySize + s.responseHeadersSize,
            }),
            // A request still finishing as the context closes (a socket, a poll) is not part of the load.
            () => ({ script: false, bytes: 0 }),
          ),
        ),
      );
      await page.goto(webUrl);
      await page.getByRole("article").first().waitFor();
      const shown = await page.evaluate(() => performance.now());
      const dcl = await page.evaluate(() => {
        const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
        return nav.domContentLoadedEventEnd;
      });
      await page.waitForLoadState("load");
      page.removeAllListeners("requestfinished");
      const done = await Promise.all(sizes);
      const t0 = performance.now();
      await api(reader.accessToken, "GET", "/timelines/home");
      const apiMs = performance.now() - t0;
      await context.close();
      // The first run warms the server's workers, not the browser: it is not counted.
      if (r === 0) continue;
      js.push(done.filter((d) => d.script).reduce((a, d) => a + d.bytes, 0));
      all.push(done.reduce((a, d) => a + d.bytes, 0));
      firstPost.push(shown);
      domReady.push(dcl);
      homeApi.push(apiMs);
    }
    const row = (figure: string, xs: number[], f: (x: number) => string) => ({
      figure,
      p50: f(percentile(xs, 50)),
      p95: f(percentile(xs, 95)),
    });
    console.table([
      row("JS transferred (cold cache)", js, kib),
      row("all bytes transferred", all, kib),
      row("time to first post visible", firstPost, ms),
      row("DOMContentLoaded (baseline)", domReady, ms),
      row("GET /api/timelines/home round trip (baseline)", homeApi, ms),
    ]);
    log(`${RUNS} cold loads of home (plus one warm-up), production build served by the local cloud`);
  } finally {
    await browser.close();
    await cloud?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
