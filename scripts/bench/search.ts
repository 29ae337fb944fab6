// Issue 5's figures. Usage: npm run bench -- search, or tsx scripts/bench/search.ts [--posts 100000] [--lag 50]
//  1. query latency p50/p99 over a generated corpus of Japanese and English posts: the local engine (the very
//     DSL the app sends, evaluated by the stand-in's engine in-process) against a plain substring scan of the
//     same corpus (folded once up front; also a naive scan that folds each post per query), interleaved;
//  2. index build rate (posts/s) and the engine's heap for that corpus;
//  3. index lag on the local cloud: a post written to the table → searchable (stream poller → indexer → stand-in).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { body as bodyOf, postDoc } from "../../packages/core/src/search/documents";
import { postsRequest } from "../../packages/core/src/search/opensearch";
import { needles, parse } from "../../packages/core/src/search/query";
import { fold } from "../../packages/core/src/search/text";
import { LocalIndex } from "../../packages/local/src/search/engine";
import { ms, percentile } from "./stats";

const { values: args } = parseArgs({
  options: { posts: { type: "string", default: "100000" }, lag: { type: "string", default: "50" } },
});
const N = Number(args.posts);
const LAG_SAMPLES = Number(args.lag);
const log = (line: string) => console.log(`[bench:search] ${line}`);

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const places =
  "東京 大阪 京都 札幌 福岡 名古屋 横浜 神戸 仙台 広島 金沢 那覇 奈良 鎌倉 函館 長崎 熊本 松本 高松 新潟".split(
    " ",
  );
const things =
  "タワー 公園 駅 電車 ラーメン 寿司 カレー コーヒー 紅茶 桜 紅葉 雪 雨 晴れ 天気 会議 仕事 勉強 映画 音楽 ライブ 友達 家族 猫 犬 散歩 旅行 写真 プログラミング 本 図書館 海 山 川 温泉 夏祭り 花火 新幹線 空港 ゲーム アニメ 美術館 水族館 動物園 商店街 朝ごはん 夜景 城 神社 お寺".split(
    " ",
  );
const verbs =
  "に行った を食べた を見た が好き で遊んだ を撮った について考えた に会った を読んだ を聴いた".split(" ");
const tails = "。|！|、楽しかった。|、最高でした。|、また行きたい。|けど疲れた。|。明日も頑張ろう。".split(
  "|",
);
const en =
  "tokyo osaka kyoto tower park station train ramen sushi curry coffee tea cherry blossom snow rain sunny weather meeting work study movie music concert friend family cat dog walk travel photo programming book library sea mountain river festival fireworks airport game anime museum aquarium zoo castle shrine temple night view breakfast the a to and of in is was great today yesterday really".split(
    " ",
  );

function corpus(n: number) {
  const r = rng(42);
  const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)]!;
  return Array.from({ length: n }, (_, i) => {
    let text = "";
    if (r() < 0.6) {
      for (let j = 0, k = 1 + Math.floor(r() * 3); j < k; j++)
        text += `${pick(places)}の${pick(things)}${pick(verbs)}${pick(tails)}`;
    } else {
      const words = Array.from({ length: 6 + Math.floor(r() * 20) }, () => pick(en));
      text = `${words.join(" ")}.`;
    }
    const tags = r() < 0.1 ? [pick(["東京", "tokyo", "ramen", "旅行", "cats"])] : [];
    return postDoc({
      postId: `pst_${String(i).padStart(26, "0")}`,
      authorId: `u${Math.floor(r() * 2000)}`,
      authorHandle: `user${Math.floor(r() * 2000)}`,
      text: `${text}${tags.map((t) => ` #${t}`).join("")}`,
      hashtags: tags,
      mentions: [],
      mediaKinds: r() < 0.15 ? ["image"] : [],
      createdAt: 1_700_000_000_000 + i * 1000,
    });
  });
}

function queries(count: number): string[] {
  const r = rng(7);
  const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)]!;
  const shapes = [
    () => pick(places),
    () => pick(things),
    () => `${pick(places)} ${pick(things)}`,
    () => `"${pick(places)}の${pick(things)}"`,
    () => `${pick(things)} -${pick(places)}`,
    () => pick(en),
    () => `${pick(en)} ${pick(en)}`,
    () => `"${pick(en)} ${pick(en)}"`,
    () => `${pick(places)} has:image`,
    () => `${pick(things)} lang:ja`,
  ];
  return Array.from({ length: count }, () => pick(shapes)());
}

/** The baseline: every post, newest first, whose folded text contains every needle and none excluded. */
function scan(bodies: string[], q: string, foldEach: boolean, raw: string[]): number {
  const query = parse(q);
  const want = needles(query);
  const not = query.none.flatMap((t) => (t.type === "word" || t.type === "phrase" ? [t.value] : []));
  const found: number[] = [];
  for (let i = bodies.length - 1; i >= 0 && found.length < 20; i--) {
    const text = foldEach ? bodyOf(raw[i]!) : bodies[i]!;
    if (want.every((w) => text.includes(w)) && !not.some((w) => text.includes(w))) found.push(i);
  }
  return found.length;
}

async function engineFigures() {
  const docs = corpus(N);
  const raw = docs.map((d) => d.body);
  const bodies = raw.map((b) => fold(b));
  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const index = new LocalIndex("posts-v1", {});
  for (const doc of docs) index.put(doc.id, doc as never, doc.version);
  const buildMs = performance.now() - t0;
  global.gc?.();
  const heap = process.memoryUsage().heapUsed - heap0;
  log(`corpus ${N} posts (${Math.round((docs.filter((d) => d.lang === "ja").length / N) * 100)}% Japanese)`);
  log(
    `index build ${Math.round(N / (buildMs / 1000))} posts/s (${(buildMs / 1000).toFixed(1)} s); heap +${(heap / 1048576).toFixed(0)} MiB${global.gc ? "" : " (run with --expose-gc for an exact figure)"}`,
  );
  const qs = queries(400);
  const engine: number[] = [];
  const baseline: number[] = [];
  const naive: number[] = [];
  let mismatches = 0;
  for (const [i, q] of qs.entries()) {
    const req = postsRequest({ query: parse(q), range: {}, sort: "latest", size: 20 });
    let t = performance.now();
    const hits = (index.search(req) as { hits: { hits: unknown[] } }).hits.hits.length;
    engine.push(performance.now() - t);
    t = performance.now();
    const scanned = scan(bodies, q, false, raw);
    baseline.push(performance.now() - t);
    if (hits !== scanned) mismatches++;
    if (i % 4 === 0) {
      t = performance.now();
      scan(bodies, q, true, raw);
      naive.push(performance.now() - t);
    }
  }
  const p = (a: number[], n: number) => percentile(a, n);
  log(`query latency over ${qs.length} queries (page of 20, newest first), p50 / p99:`);
  log(`  local engine             ${ms(p(engine, 50))} / ${ms(p(engine, 99))}`);
  log(
    `  substring scan (folded)  ${ms(p(baseline, 50))} / ${ms(p(baseline, 99))}  → engine ${(p(baseline, 99) / p(engine, 99)).toFixed(1)}× faster at p99`,
  );
  log(
    `  naive scan (fold each)   ${ms(p(naive, 50))} / ${ms(p(naive, 99))}  → engine ${(p(naive, 99) / p(engine, 99)).toFixed(1)}× faster at p99`,
  );
  log(`  result counts that differ between engine and scan: ${mismatches}`);
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
      await PostEntity.create({ postId, authorId: "bench-user", text: `東京タワー ${marker}` }).go();
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
await lagFigures();
process.exit(0);
