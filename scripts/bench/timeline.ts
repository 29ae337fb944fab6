// Home reads beside a raw-query floor from the same run, as noise would swamp bare numbers; flags below.
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  type AttributeValue,
  BatchGetItemCommand,
  type BatchGetItemCommandInput,
  DynamoDBClient,
  QueryCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { build } from "esbuild";
import { startLocalCloud } from "../../packages/local/src/local-cloud";
import { loadTopology } from "../../packages/local/src/shim";
import type { FunctionRecord } from "../../packages/local/src/topology";
import { ms, percentile } from "./stats";
import { cognitoUser } from "./users";

const { values: args } = parseArgs({
  options: {
    following: { type: "string", default: "1000" },
    followers: { type: "string", default: "5000" },
    big: { type: "string", default: "50000" },
    reads: { type: "string", default: "1000" },
    "deadline-min": { type: "string", default: "10" },
    "skip-cloud": { type: "boolean", default: false },
    "read-only": { type: "boolean", default: false },
  },
});
const FOLLOWING = Number(args.following);
const FOLLOWERS = Number(args.followers);
const BIG = Number(args.big);
const READS = Number(args.reads);
/** Between the 5,000 and the 50,000 case; the same setting the deploy and the integration suite use. */
const THRESHOLD = 10_000;
const PAGE = 20;
const deadline = Date.now() + Number(args["deadline-min"]) * 60_000;
const root = resolve(import.meta.dirname, "../..");

const log = (line: string) => console.log(`[bench] ${line}`);
const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));
const checkDeadline = (what: string) => {
  if (Date.now() > deadline) throw new Error(`deadline passed before ${what}`);
};

async function pool<T>(items: T[], limit: number, fn: (item: T, i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i]!, i);
      }
    }),
  );
}

const chunks = <T>(xs: T[], n: number) =>
  Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

// Bundled as SST v3.19.3's Node runtime does, so the sizes are what gets deployed.
const SST_TARGET: Record<string, string> = { "nodejs22.x": "es2023", "nodejs20.x": "es2023" };

export async function bundleSizes(functions: FunctionRecord[], options: { bundleSdk?: boolean } = {}) {
  const rows: { name: string; file: string; bytes: number; top: string }[] = [];
  for (const fn of functions) {
    const external = [
      "sharp",
      "pg-native",
      ...(fn.install ?? []),
      ...(options.bundleSdk ? [] : (fn.external ?? [])),
    ];
    const result = await build({
      entryPoints: [join(root, fn.file)],
      bundle: true,
      platform: "node",
      format: "esm",
      target: SST_TARGET[fn.runtime] ?? "es2023",
      mainFields: ["module", "main"],
      keepNames: true,
      minify: true,
      external,
      write: false,
      metafile: true,
      outfile: join(tmpdir(), "asyncsns-bundle", fn.name, "bundle.mjs"),
      absWorkingDir: root,
      logLevel: "silent",
    });
    const out = result.outputFiles.find((f) => f.path.endsWith(".mjs"))!;
    const meta = Object.values(result.metafile.outputs).find((o) => o.entryPoint)!;
    const byPackage = new Map<string, number>();
    for (const [path, input] of Object.entries(meta.inputs)) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? "(app code)";
      byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + input.bytesInOutput);
    }
    const top = [...byPackage]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 4)
      .map(([p, b]) => `${p} ${kib(b)}`)
      .join(", ");
    rows.push({ name: fn.name, file: fn.file, bytes: out.contents.length, top });
  }
  return rows;
}

function httpEvent(
  method: string,
  path: string,
  query: string,
  token: string,
  claims: object,
  body?: unknown,
) {
  return {
    version: "2.0",
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: query,
    queryStringParameters: Object.fromEntries(new URLSearchParams(query)),
    headers: {
      authorization: `Bearer ${token}`,
      host: "localhost",
      ...(body ? { "content-type": "application/json" } : {}),
    },
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      domainName: "localhost",
      domainPrefix: "localhost",
      http: { method, path, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "bench" },
      requestId: randomUUID(),
      routeKey: `${method} ${path}`,
      stage: "$default",
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
      authorizer: { jwt: { claims, scopes: null } },
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
    isBase64Encoded: false,
  };
}

// ---------------------------------------------------------------------------------------------------------------
async function cloudFigures(functions: FunctionRecord[]) {
  process.env.ASYNCSNS_FANOUT_THRESHOLD = String(THRESHOLD);
  const dataDir = await mkdtemp(join(tmpdir(), "asyncsns-bench-tl-"));
  const t0 = performance.now();
  const cloud = await startLocalCloud({
    root,
    configFile: join(root, "sst.config.ts"),
    port: 0,
    dataDir,
    inMemory: true,
    confirmationCode: "123456",
    quiet: true,
    functionOutput: () => {},
  });
  log(`local cloud ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  try {
    const queryFn = functions.find((f) => f.handler.endsWith("api/query.handler"))!;
    const fanoutFn = functions.find((f) => f.handler.endsWith("stream/dispatch.handler"))!;
    // One process plays the Query Lambda (in-process handler) and the seeder: both envs, as their workers get them.
    Object.assign(process.env, cloud.functionEnv(fanoutFn.name), cloud.functionEnv(queryFn.name));
    const { withActor } = await import("../../packages/core/src/actor");
    const { client } = await import("../../packages/core/src/dynamo");
    const { UserEntity, HandleEntity } = await import("../../packages/core/src/user/user.entity");
    const { FollowEntity } = await import("../../packages/core/src/follow/follow.entity");
    const { Post } = await import("../../packages/core/src/post");
    const { LikeEntity, RepostEntity } = await import("../../packages/core/src/post/post.entity");
    const { keyOf } = await import("../../packages/core/src/dynamo/batch");
    const { Fanout } = await import("../../packages/core/src/timeline/fanout");
    const Feed = await import("../../packages/core/src/timeline/feed");
    const { FeedEntryEntity } = Feed;
    const { handler } = await import("../../packages/functions/src/api/query");
    const { Timeline } = await import("../../packages/core/src/timeline");
    const tableName = JSON.parse(process.env.SST_RESOURCE_Table!).name as string;
    const raw = new DynamoDBClient({});

    // Counted on the core client itself, so the write cost is what the domain really writes.
    const cost = { items: 0, wcu: 0, calls: 0, reads: 0 };
    let accounting = false;
    const WRITES = new Set([
      "BatchWriteItemCommand",
      "PutItemCommand",
      "UpdateItemCommand",
      "DeleteItemCommand",
      "TransactWriteItemsCommand",
    ]);
    client.middlewareStack.add(
      (next, context) => async (a) => {
        if (!accounting) return next(a);
        const name = context.commandName ?? "";
        const input = a.input as Record<string, any>;
        if (WRITES.has(name) || name.endsWith("ItemCommand") || name === "QueryCommand")
          input.ReturnConsumedCapacity = "TOTAL";
        const result = await next(a);
        const output = result.output as Record<string, any>;
        const consumed = [output.ConsumedCapacity ?? []].flat() as { CapacityUnits?: number }[];
        const units = consumed.reduce((s, c) => s + (c.CapacityUnits ?? 0), 0);
        if (WRITES.has(name)) {
          cost.calls++;
          cost.wcu += units;
          if (name === "BatchWriteItemCommand") {
            const sent = Object.values(input.RequestItems ?? {}).flat().length;
            const left = Object.values(output.UnprocessedItems ?? {}).flat().length;
            cost.items += sent - left;
          } else if (name === "TransactWriteItemsCommand") cost.items += input.TransactItems.length;
          else cost.items += 1;
        } else cost.reads += units;
        return result;
      },
      { step: "initialize", name: "benchWriteCost" },
    );
    // The read's DynamoDB calls on the core client, timed, so a handler's time splits into its rounds and the rest.
    type Call = { name: string; input: unknown; start: number; end: number };
    let calls: Call[] | undefined;
    client.middlewareStack.add(
      (next, context) => async (a) => {
        if (!calls) return next(a);
        const call = { name: context.commandName ?? "", input: a.input, start: performance.now(), end: 0 };
        calls.push(call);
        try {
          return await next(a);
        } finally {
          call.end = performance.now();
        }
      },
      { step: "initialize", name: "benchReadCalls" },
    );
    const measureCost = async (run: () => Promise<unknown>) => {
      Object.assign(cost, { items: 0, wcu: 0, calls: 0, reads: 0 });
      accounting = true;
      const s = performance.now();
      await run().finally(() => {
        accounting = false;
      });
      return { ...cost, ms: performance.now() - s };
    };

    // Exactly the items the use cases write, in batches: one transaction per edge would take minutes.
    let handleSeq = 0;
    const newUsers = async (n: number, extra: { following?: number; followers?: number } = {}) => {
      const users = Array.from({ length: n }, () => {
        const userId = randomUUID();
        const handle = `b${Date.now().toString(36)}${(handleSeq++).toString(36)}`.slice(0, 20);
        return { userId, handle, displayName: `Bench ${handle}`, ...extra };
      });
      await pool(chunks(users, 25), 8, async (batch) => {
        await UserEntity.put(batch).go();
        await HandleEntity.put(
          batch.map((u) => ({ handleKey: u.handle.toLowerCase(), userId: u.userId })),
        ).go();
      });
      return users;
    };
    const follows = async (edges: { followerId: string; followeeId: string }[]) => {
      await pool(chunks(edges, 25), 8, async (batch) => {
        const { unprocessed } = await FollowEntity.put(batch).go();
        if (unprocessed.length) throw new Error("seeding left follow edges unwritten");
      });
    };
    const addCount = (userId: string, field: "followers" | "following", n: number) =>
      UserEntity.patch({ userId })
        .add({ [field]: n } as { followers: number })
        .go();
    const asUser = <T>(userId: string, run: () => Promise<T>) =>
      withActor({ type: "user", properties: { userId } }, run);
    const api = (token: string, path: string, init: RequestInit = {}) =>
      fetch(`${cloud.urls.apiUrl}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      });
    const profile = async (token: string, displayName: string) => {
      const handle = `bench${Date.now().toString(36)}${(handleSeq++).toString(36)}`.slice(0, 20);
      const res = await api(token, "/me", { method: "POST", body: JSON.stringify({ handle, displayName }) });
      if (res.status !== 201) throw new Error(`profile: ${res.status} ${await res.text()}`);
      return handle;
    };

    // --- Read: a reader following FOLLOWING accounts, each with two posts made through Post.create. -----------
    const cognitoUrls = cloud.urls.cognito;
    const reader = await cognitoUser(cognitoUrls);
    await profile(reader.token, "Reader");
    let t = performance.now();
    const followees = await newUsers(FOLLOWING, { followers: 1 });
    await pool(followees, 8, (u) =>
      asUser(u.userId, async () => {
        await Post.create({ text: `hello #bench from @${u.handle} https://example.com/${u.handle}` });
        await Post.create({ text: `second post by ${u.displayName} 東京 #東京` });
      }),
    );
    // Edges after the posts: the stream's backfill fills the reader's home exactly as a real follow would.
    await follows(followees.map((u) => ({ followerId: reader.sub, followeeId: u.userId })));
    await addCount(reader.sub, "following", FOLLOWING);
    await cloud.drainStreams();
    log(
      `seeded reader following ${FOLLOWING} (2 posts each) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    checkDeadline("reads");

    // A big author in the big-author list (not followed by the reader), so every read pays the hybrid check.
    const bigAuthor = (await newUsers(1))[0]!;
    await addCount(bigAuthor.userId, "followers", BIG);
    await asUser(bigAuthor.userId, () => Post.create({ text: "big author, merged at read time" }));
    await cloud.drainStreams();

    const homeKey = FeedEntryEntity.query.byFeed({ feed: `home#${reader.sub}` }).params() as {
      KeyConditionExpression: string;
      ExpressionAttributeNames: Record<string, string>;
      ExpressionAttributeValues: Record<string, unknown>;
    };
    const rawQuery = new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: homeKey.KeyConditionExpression,
      ExpressionAttributeNames: homeKey.ExpressionAttributeNames,
      ExpressionAttributeValues: marshall(homeKey.ExpressionAttributeValues),
      ScanIndexForward: false,
      Limit: PAGE,
    });
    const event = httpEvent("GET", "/api/timelines/home", `limit=${PAGE}`, reader.token, reader.claims);
    // Cold mimics a new Lambda instance; warm is the web's repeated poll of the same first page.
    const inProcess = async (cold = false) => {
      if (cold) Timeline.readAhead.forget(reader.sub);
      calls = [];
      const s = performance.now();
      const out = (await handler(event as never, {} as never)) as { statusCode: number; body: string };
      const total = performance.now() - s;
      const made = calls;
      calls = undefined;
      if (out.statusCode !== 200) throw new Error(`home: ${out.statusCode} ${out.body}`);
      const shown = (JSON.parse(out.body) as { items: { id: string; author: { id: string } }[] }).items;
      return {
        total,
        items: shown.length,
        ids: shown.map((i) => i.id),
        authors: [...new Set(shown.map((i) => i.author.id))],
        calls: made,
      };
    };
    // The reader has liked a few of the posts on the page and reposted two, as a reader would have.
    const shown = (await inProcess()).ids;
    await asUser(reader.sub, async () => {
      for (const postId of shown.slice(0, 5)) await Post.like({ postId });
      for (const postId of shown.slice(3, 5)) await Post.repost({ postId });
    });
    // After the first read, so the floor asks for exactly the keys the handler's last batch get does.
    await inProcess();
    const warmed = await inProcess(true);
    const pageGet = warmed.calls.findLast((c) => c.name === "BatchGetItemCommand");
    if (!pageGet) throw new Error("home read made no batch get");
    const pageKeys = pageGet.input as BatchGetItemCommandInput;
    const rawBatch = new BatchGetItemCommand(pageKeys);
    const keyCount = Object.values(pageKeys.RequestItems ?? {}).reduce(
      (n, r) => n + (r.Keys?.length ?? 0),
      0,
    );
    // The per-post and per-author keys the page no longer reads, kept to compare with.
    const viewerKey = (key: Record<string, AttributeValue>) => /^\$(like|repost)_/.test(key.sk?.S ?? "");
    const viewerKeys = Object.values(pageKeys.RequestItems ?? {})
      .flatMap((r) => r.Keys ?? [])
      .filter(viewerKey).length;
    const perPostKeys = [
      ...warmed.ids.flatMap((postId) =>
        [LikeEntity, RepostEntity].map((entity) => marshall(keyOf(entity, { postId, userId: reader.sub }))),
      ),
      ...warmed.authors.map((userId) => marshall(keyOf(UserEntity, { userId }))),
    ];
    const beforeBatch = new BatchGetItemCommand({
      RequestItems: Object.fromEntries(
        Object.entries(pageKeys.RequestItems ?? {}).map(([name, r]) => [
          name,
          {
            ...r,
            // BatchGetItem refuses a key twice (a post and its repost on one page; a reposter who also wrote).
            Keys: [
              ...new Map(
                [...(r.Keys ?? []).filter((key) => !viewerKey(key)), ...perPostKeys].map((key) => [
                  JSON.stringify(key),
                  key,
                ]),
              ).values(),
            ],
          },
        ]),
      ),
    });
    const span = (cs: Call[]) =>
      cs.length ? Math.max(...cs.map((c) => c.end)) - Math.min(...cs.map((c) => c.start)) : 0;
    const reads = {
      raw: [] as number[],
      floor: [] as number[],
      before: [] as number[],
      inProcess: [] as number[],
      cold: [] as number[],
      gateway: [] as number[],
      queryRound: [] as number[],
      batchGet: [] as number[],
      rest: [] as number[],
      calls: [] as number[],
    };
    const warm = 30;
    for (let i = 0; i < READS + warm; i++) {
      let s = performance.now();
      const q = await raw.send(rawQuery);
      const r = performance.now() - s;
      const got = await raw.send(rawBatch);
      const f = performance.now() - s;
      s = performance.now();
      await raw.send(rawQuery);
      const old = await raw.send(beforeBatch);
      const pf = performance.now() - s;
      if (Object.keys(old.UnprocessedKeys ?? {}).length)
        throw new Error("per-post key read left keys unread");
      const direct = await inProcess(true);
      const repeated = await inProcess();
      s = performance.now();
      const res = await api(reader.token, `/timelines/home?limit=${PAGE}`);
      const body = (await res.json()) as { items: unknown[] };
      const g = performance.now() - s;
      if (res.status !== 200) throw new Error(`home through the gateway: ${res.status}`);
      if (
        q.Items?.length !== PAGE ||
        body.items.length !== PAGE ||
        direct.items !== PAGE ||
        repeated.items !== PAGE
      )
        throw new Error(`home page short: raw ${q.Items?.length}, gateway ${body.items.length}`);
      if (got.Responses === undefined || Object.keys(got.UnprocessedKeys ?? {}).length)
        throw new Error("raw batch get left keys unread");
      if (i < warm) continue;
      // The split is of the cold read: its query round, then its batch get.
      const batch = direct.calls.filter((c) => c.name === "BatchGetItemCommand");
      const firstBatch = Math.min(...batch.map((c) => c.start));
      const queryRound = span(direct.calls.filter((c) => c.start < firstBatch && !batch.includes(c)));
      const batchGet = span(batch);
      reads.raw.push(r);
      reads.floor.push(f);
      reads.before.push(pf);
      reads.cold.push(direct.total);
      reads.inProcess.push(repeated.total);
      reads.gateway.push(g);
      reads.queryRound.push(queryRound);
      reads.batchGet.push(batchGet);
      reads.rest.push(direct.total - queryRound - batchGet);
      reads.calls.push(direct.calls.length);
    }
    const readShape = {
      keys: keyCount,
      viewerKeys,
      userKeys: Object.values(pageKeys.RequestItems ?? {})
        .flatMap((r) => r.Keys ?? [])
        .filter((key) => /^\$user_/.test(key.sk?.S ?? "")).length,
      beforeKeys: Object.values(beforeBatch.input.RequestItems ?? {}).reduce(
        (n, r) => n + (r.Keys?.length ?? 0),
        0,
      ),
      calls: [...new Set(warmed.calls.map((c) => c.name))].join(", "),
      callsPerRead: Math.max(...reads.calls),
    };
    if (args["read-only"]) return { reads, readShape };
    checkDeadline("fan-out");

    // --- Fan-out: an author with FOLLOWERS followers posts through the gateway. -----------------------------------
    t = performance.now();
    const author = await cognitoUser(cognitoUrls);
    await profile(author.token, "Author");
    const fans = await newUsers(FOLLOWERS, { following: 1 });
    await follows(fans.map((u) => ({ followerId: u.userId, followeeId: author.sub })));
    await addCount(author.sub, "followers", FOLLOWERS);
    await cloud.drainStreams();
    log(`seeded ${FOLLOWERS} followers in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const homeKeys = (userIds: string[], seq: string) =>
      userIds.map((id) => {
        const p = FeedEntryEntity.get({ feed: `home#${id}`, seq }).params() as {
          Key: Record<string, unknown>;
        };
        return { id, key: marshall(p.Key) };
      });
    const started = performance.now();
    const trace = process.env.ASYNCSNS_STREAM_TRACE === "1";
    const stamp = () => new Date().toISOString().slice(11, 23);
    if (trace) log(`${stamp()} fan-out post sent`);
    const posted = await api(author.token, "/posts", {
      method: "POST",
      body: JSON.stringify({ text: "fan-out benchmark post #bench" }),
    });
    if (posted.status !== 201) throw new Error(`post: ${posted.status} ${await posted.text()}`);
    const postId = ((await posted.json()) as { id: string }).id;
    const postMs = performance.now() - started;
    let missing = homeKeys(
      fans.map((u) => u.userId),
      Feed.seqOf(postId),
    );
    let reachedMs = Number.NaN;
    while (Date.now() < deadline) {
      const still: typeof missing = [];
      await pool(chunks(missing, 100), 4, async (batch) => {
        const out = await raw.send(
          new BatchGetItemCommand({
            RequestItems: { [tableName]: { Keys: batch.map((b) => b.key), ProjectionExpression: "pk" } },
          }),
        );
        const found = new Set((out.Responses?.[tableName] ?? []).map((item) => item.pk?.S));
        const unprocessed = (out.UnprocessedKeys?.[tableName]?.Keys?.length ?? 0) > 0;
        for (const b of batch) if (unprocessed || !found.has(b.key.pk?.S)) still.push(b);
      });
      if (trace && still.length !== missing.length) log(`${stamp()} homes still missing: ${still.length}`);
      missing = still;
      if (missing.length === 0) {
        reachedMs = performance.now() - started;
        break;
      }
      await sleep(20);
    }
    await cloud.drainStreams();
    checkDeadline("write cost");

    // --- Write cost per post for 1 / FOLLOWERS / BIG followers, counted on the core client in this process. ------
    const one = (await newUsers(1))[0]!;
    const oneFan = (await newUsers(1, { following: 1 }))[0]!;
    await follows([{ followerId: oneFan.userId, followeeId: one.userId }]);
    await addCount(one.userId, "followers", 1);
    t = performance.now();
    // Follower profiles for the 50,000 too (user + handle each), as real accounts would have.
    const bigFans = (await newUsers(BIG, { following: 1 })).map((u) => u.userId);
    const heavy = (await newUsers(1))[0]!;
    await follows(bigFans.map((followerId) => ({ followerId, followeeId: heavy.userId })));
    await addCount(heavy.userId, "followers", BIG);
    log(
      `seeded ${BIG} followers in ${((performance.now() - t) / 1000).toFixed(1)} s (their backfills are left queued)`,
    );

    const postCost = async (userId: string) => {
      let created: { id: string } | undefined;
      const write = await measureCost(() =>
        asUser(userId, async () => {
          created = await Post.create({ text: "cost of one post #bench" });
        }),
      );
      // The stream subscriber's work for this post, run here on the counted client (same code, same threshold).
      const seq = Feed.seqOf(created!.id);
      const fan = await measureCost(() =>
        Fanout.apply(
          {
            type: "activity.added",
            entry: { seq, postId: created!.id, actorId: userId, authorId: userId, mediaIds: [] },
          },
          THRESHOLD,
        ),
      );
      return { write, fan };
    };
    const costs = [
      { followers: 1, note: "", ...(await postCost(one.userId)) },
      { followers: FOLLOWERS, note: "", ...(await postCost(author.sub)) },
      ...(BIG > THRESHOLD
        ? [
            // Crossing the threshold tells every follower's home state once (one update each); later posts do not.
            { followers: BIG, note: " (first post above the threshold)", ...(await postCost(heavy.userId)) },
            { followers: BIG, note: " (every later post)", ...(await postCost(heavy.userId)) },
          ]
        : [{ followers: BIG, note: "", ...(await postCost(heavy.userId)) }]),
    ];
    return { reads, readShape, fanout: { postMs, reachedMs, missing: missing.length, costs } };
  } finally {
    await cloud.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------------
const topology = await loadTopology(join(root, "sst.config.ts"), "local");
if (!args["read-only"]) {
  const lambdas = topology.functions.filter(
    (f, i, all) => all.findIndex((g) => g.file === f.file && g.export === f.export) === i,
  );
  const sizes = await bundleSizes(lambdas);
  const bundledSdk = await bundleSizes(lambdas, { bundleSdk: true });
  console.log(
    "\n## Lambda bundles (issue 3): esbuild, minified, as SST v3.19.3 bundles for nodejs22.x arm64",
  );
  for (const [i, row] of sizes.entries()) {
    const media = row.file.includes("media/process");
    const ok = media || row.bytes <= 1024 * 1024 ? "" : "  ← over 1 MB";
    console.log(
      `- ${row.name} (${row.file}): ${kib(row.bytes)}${ok}${media ? " (media processor, exempt)" : ""}; SDK bundled too: ${kib(bundledSdk[i]!.bytes)}\n    largest: ${row.top}`,
    );
  }
}

if (!args["skip-cloud"]) {
  const { reads, readShape, fanout } = await cloudFigures(topology.functions);
  const p = (xs: number[]) => `${ms(percentile(xs, 50))} / ${ms(percentile(xs, 99))}`;
  const ratio99 = (xs: number[], base: number[]) =>
    `${(percentile(xs, 99) / percentile(base, 99)).toFixed(1)}×`;
  const ratio = (xs: number[], base: number[]) =>
    `${(percentile(xs, 50) / percentile(base, 50)).toFixed(1)}× / ${(percentile(xs, 99) / percentile(base, 99)).toFixed(1)}×`;
  console.log(
    `\n## Timelines (issue 3), local cloud, in memory, ${READS} interleaved reads of ${PAGE} posts (load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")})`,
  );
  console.log(`- raw DynamoDB Local Query of the home partition (Limit ${PAGE}) p50 / p99: ${p(reads.raw)}`);
  console.log(
    `- floor: that raw Query, then a raw BatchGetItem of the handler's ${readShape.keys} keys, p50 / p99: ${p(reads.floor)}`,
  );
  console.log(
    `    (of those, ${readShape.viewerKeys} are the reader's like/repost keys and ${readShape.userKeys} profile keys: their own reactions come with the home query, authors' cards on their posts)`,
  );
  console.log(
    `- floor as read before that: the raw Query, then the same BatchGetItem plus a like and a repost key per post and a profile key per author (${readShape.beforeKeys} keys), p50 / p99: ${p(reads.before)} (${ratio(reads.before, reads.raw)} the raw Query)`,
  );
  console.log(
    `- home page, Query handler in-process, cold (a new instance: the key query, then the batch get) p50 / p99: ${p(reads.cold)} (${ratio(reads.cold, reads.raw)} the raw Query; ${ratio(reads.cold, reads.floor)} the floor)`,
  );
  console.log(
    `    split p50 / p99: query round ${p(reads.queryRound)}; batch get ${p(reads.batchGet)}; the rest (CPU: core, Hono, JSON) ${p(reads.rest)}; ${readShape.callsPerRead} DynamoDB calls (${readShape.calls})`,
  );
  console.log(
    `- home page, Query handler in-process, repeated (the web's poll of its first page: last time's keys read beside the key query, one round) p50 / p99: ${p(reads.inProcess)} (${ratio(reads.inProcess, reads.raw)} the raw Query)`,
  );
  console.log(
    `- home page, repeated, through the local gateway (HTTP, authorizer, worker) p50 / p99: ${p(reads.gateway)} (${ratio(reads.gateway, reads.raw)} the raw Query)`,
  );
  console.log(
    `- ratio at p99 to the raw Query (target ≤ 2×): cold ${ratio99(reads.cold, reads.raw)}, repeated ${ratio99(reads.inProcess, reads.raw)}`,
  );
  if (fanout) {
    console.log(
      `- fan-out to ${FOLLOWERS} followers (POST answered in ${ms(fanout.postMs)}), every home has it after: ${
        Number.isNaN(fanout.reachedMs)
          ? `NOT REACHED (${fanout.missing} missing at the deadline)`
          : `${(fanout.reachedMs / 1000).toFixed(2)} s`
      } (target ≤ 5 s)`,
    );
    console.log(`- write cost per post (threshold ${THRESHOLD}): post transaction + stream fan-out`);
    for (const c of fanout.costs)
      console.log(
        `    ${String(c.followers).padStart(6)} followers: post ${c.write.items} items / ${c.write.wcu} WCU; fan-out ${c.fan.items} items / ${c.fan.wcu} WCU in ${c.fan.calls} write calls (reads ${c.fan.reads} RCU), ${ms(c.fan.ms)} in this process${c.note}`,
      );
  }
}
process.exit(0);
