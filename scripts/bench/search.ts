// Search latency against a substring scan of the same corpus, interleaved so noise hits both; flags below.
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { type PostSearch, postsIndex, postsRequest } from "../../packages/core/src/search/opensearch";
import { parse, timeRange } from "../../packages/core/src/search/query";
import { LocalIndex } from "../../packages/local/src/search/engine";
import { corpus, queries, scan, vocabulary } from "../../packages/local/test/search-corpus";
import { ms, percentile } from "./stats";

const { values: args } = parseArgs({
  options: {
    posts: { type: "string", default: "100000" },
    queries: { type: "string", default: "1000" },
    lag: { type: "string", default: "50" },
  },
});
const N = Number(args.posts);
const QUERIES = Number(args.queries);
const LAG_SAMPLES = Number(args.lag);
const log = (line: string) => console.log(`[bench:search] ${line}`);
const load = () =>
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`;
const mib = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MiB`;

async function engineFigures() {
  log(load());
  const words = vocabulary();
  const docs = corpus(N, { vocabulary: words });
  log(
    `corpus ${N} posts, ${Math.round((docs.filter((d) => d.lang === "ja").length / N) * 100)}% Japanese, ` +
      `${Math.round(docs.reduce((n, d) => n + d.body.length, 0) / N)} chars on average, ` +
      `words drawn Zipf-like from ${words.ja.length} Japanese and ${words.en.length} English`,
  );
  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const index = new LocalIndex("posts-v1", postsIndex);
  for (const doc of docs) index.put(doc.id, doc as never, doc.version);
  const buildMs = performance.now() - t0;
  global.gc?.();
  const heap = process.memoryUsage().heapUsed - heap0;
  // What the stand-in keeps on disk: one journal line per write, replayed at start.
  const journal = docs.reduce(
    (n, doc) => n + Buffer.byteLength(JSON.stringify({ op: "put", id: doc.id, v: doc.version, doc })) + 1,
    0,
  );
  log(
    `index build ${Math.round(N / (buildMs / 1000))} posts/s (${(buildMs / 1000).toFixed(1)} s); heap +${mib(heap)}` +
      `${global.gc ? "" : " (run with --expose-gc for an exact figure)"}; journal on disk ${mib(journal)}`,
  );

  const mix = queries(QUERIES, docs, { vocabulary: words });
  const time = { engine: [] as number[], scan: [] as number[], early: [] as number[] };
  const latest = { engine: [] as number[], scan: [] as number[], early: [] as number[] };
  let differ = 0;
  // Median of three interleaved runs: on a shared machine one run's time is as much the scheduler's.
  const median3 = (a: number[]) => [...a].sort((x, y) => x - y)[1]!;
  const run = ({ q, sort }: (typeof mix)[number], record: boolean) => {
    const query = parse(q);
    const parsed: PostSearch = { query, range: timeRange(query, "UTC"), sort, size: 20 };
    const runs = { engine: [] as number[], scan: [] as number[], early: [] as number[] };
    let hits: { hits: { hits: { _id: string }[] } } | undefined;
    let scanned: string[] = [];
    for (let i = 0; i < 3; i++) {
      let t = performance.now();
      hits = index.search(postsRequest(parsed)) as typeof hits;
      runs.engine.push(performance.now() - t);
      t = performance.now();
      scanned = scan(docs, parsed).ids;
      runs.scan.push(performance.now() - t);
      t = performance.now();
      scan(docs, parsed, { newestFirst: true });
      runs.early.push(performance.now() - t);
    }
    if (!record) return;
    if (hits?.hits.hits.map((h) => h._id).join() !== scanned.join()) differ++;
    for (const [into, on] of [[time, true] as const, [latest, sort === "latest"] as const]) {
      if (!on) continue;
      into.engine.push(median3(runs.engine));
      into.scan.push(median3(runs.scan));
      into.early.push(median3(runs.early));
    }
  };
  for (const q of mix.slice(0, 50)) run(q, false);
  for (const q of mix) run(q, true);
  const p = percentile;
  const line = (name: string, a: number[], base?: number[]) =>
    log(
      `  ${name.padEnd(34)} ${ms(p(a, 50))} / ${ms(p(a, 99))}` +
        (base
          ? `   → engine ${(p(a, 50) / p(base, 50)).toFixed(0)}× / ${(p(a, 99) / p(base, 99)).toFixed(0)}× faster`
          : ""),
    );
  log(`query latency after parsing, p50 / p99 of per-query medians of 3 runs, page of 20 (${load()}):`);
  log(
    ` all ${mix.length} queries (${latest.engine.length} latest, ${mix.length - latest.engine.length} relevance)`,
  );
  line("local engine", time.engine);
  line("substring scan (every match)", time.scan, time.engine);
  line("substring scan (latest: stop at page)", time.early, time.engine);
  log(` the ${latest.engine.length} latest-sorted queries`);
  line("local engine", latest.engine);
  line("substring scan (every match)", latest.scan, latest.engine);
  line("substring scan (stop at page)", latest.early, latest.engine);
  log(`  pages that differ between engine and scan: ${differ}`);
}

async function lagFigures() {
  const { startLocalCloud } = await import("../../packages/local/src/local-cloud");
  const root = resolve(import.meta.dirname, "../..");
  const dataDir = await mkdtemp(join(tmpdir(), "asyncsns-bench-search-"));
  const cloud = await startLocalCloud({
    root,
    configFile: join(root, "sst.config.ts"),
    port: 0,
    dataDir,
    inMemory: true,
    quiet: true,
    streamPollIntervalMs: 50,
  });
  try {
    Object.assign(process.env, cloud.functionEnv("Query"));
    const { UserEntity } = await import("../../packages/core/src/user/user.entity");
    const { PostEntity } = await import("../../packages/core/src/post/post.entity");
    const { searchIndex } = await import("../../packages/core/src/search/client");
    await UserEntity.create({ userId: "bench-user", handle: "bencher", displayName: "Bench" }).go();
    const lags: number[] = [];
    for (let i = 0; i < LAG_SAMPLES; i++) {
      const marker = `lag${i}x${Date.now().toString(36)}`;
      const postId = `pst_${String(i).padStart(26, "0")}`;
      const t0 = performance.now();
      await PostEntity.create({
        postId,
        authorId: "bench-user",
        author: { handle: "bench", displayName: "Bench", at: 0 },
        text: `東京タワー ${marker}`,
      }).go();
      for (;;) {
        const hits = await searchIndex.searchPosts({
          query: parse(marker),
          range: {},
          sort: "latest",
          size: 1,
        });
        if (hits.ids.length) break;
        if (performance.now() - t0 > 30_000) throw new Error("post never became searchable");
        await new Promise((r) => setTimeout(r, 5));
      }
      lags.push(performance.now() - t0);
    }
    log(
      `index lag (table write → searchable) over ${LAG_SAMPLES} posts, p50 / p99: ${ms(percentile(lags, 50))} / ${ms(percentile(lags, 99))}`,
    );
  } finally {
    await cloud.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await engineFigures();
if (LAG_SAMPLES > 0) await lagFigures();
process.exit(0);
