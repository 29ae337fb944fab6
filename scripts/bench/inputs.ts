// Time to refuse a 1 MB body beside a tiny request in the same run: through the local cloud, then the handler alone.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { startLocalCloud } from "../../packages/local/src/local-cloud";
import { median, ms, percentile } from "./stats";
import { cognitoUser } from "./users";

const { values: args } = parseArgs({ options: { rounds: { type: "string", default: "50" } } });
const ROUNDS = Number(args.rounds);
const TARGET_MS = 20;
const log = (line: string) => console.log(`[bench inputs] ${line}`);

const big = JSON.stringify({ text: "a".repeat(1024 * 1024) });
const tiny = JSON.stringify({ text: 5 });

/** Alternates the two requests so drift in machine load hits both alike. */
async function compare(send: (body: string) => Promise<number>) {
  const times = { big: [] as number[], tiny: [] as number[] };
  const statuses = new Set<string>();
  for (let i = 0; i < ROUNDS + 5; i++)
    for (const [name, body] of [
      ["big", big],
      ["tiny", tiny],
    ] as const) {
      const start = performance.now();
      const status = await send(body);
      const took = performance.now() - start;
      statuses.add(`${name} ${status}`);
      if (i >= 5) times[name].push(took);
    }
  return { times, statuses: [...statuses].sort() };
}

function report(label: string, result: Awaited<ReturnType<typeof compare>>) {
  const { big: b, tiny: t } = result.times;
  log(
    `${label}: 1 MB refused p50 ${ms(median(b))} p99 ${ms(percentile(b, 99))}; tiny invalid p50 ${ms(median(t))}; ratio ${(median(b) / median(t)).toFixed(2)}× (${result.statuses.join(", ")}); target < ${TARGET_MS} ms: ${median(b) < TARGET_MS ? "met" : "missed"}`,
  );
}

async function throughLocalCloud() {
  const root = resolve(import.meta.dirname, "../..");
  const dataDir = await mkdtemp(join(tmpdir(), "asyncsns-bench-"));
  const cloud = await startLocalCloud({
    root,
    configFile: join(root, "sst.config.ts"),
    port: 0,
    dataDir,
    inMemory: true,
    confirmationCode: "123456",
    quiet: true,
    functionOutput: () => undefined,
  });
  try {
    const { token } = await cognitoUser(cloud.urls.cognito);
    const send = async (body: string) => {
      const res = await fetch(`${cloud.urls.apiUrl}/posts`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body,
      });
      await res.arrayBuffer();
      return res.status;
    };
    report("gateway + Lambda worker", await compare(send));
  } finally {
    await cloud.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

// After the cloud stopped: the registry's placeholder links must not reach its workers.
async function handlerAlone() {
  const { loadLambdas } = await import("../../packages/functions/src/api/registry");
  await loadLambdas();
  const { handler } = await import("../../packages/functions/src/api/post");
  const send = async (body: string) => {
    const res = (await handler(
      {
        version: "2.0",
        routeKey: "POST /api/posts",
        rawPath: "/api/posts",
        rawQueryString: "",
        headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) },
        requestContext: {
          http: {
            method: "POST",
            path: "/api/posts",
            protocol: "HTTP/1.1",
            sourceIp: "127.0.0.1",
            userAgent: "",
          },
          authorizer: { jwt: { claims: { sub: "bench", token_use: "access" }, scopes: [] } },
        },
        body,
        isBase64Encoded: false,
      } as never,
      {} as never,
    )) as { statusCode: number };
    return res.statusCode;
  };
  report("Post handler alone", await compare(send));
}

await throughLocalCloud();
await handlerAlone();
process.exit(0);
