// Write units per use case, as DynamoDB Local reports them (ReturnConsumedCapacity INDEXES on core's own client).
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { startLocalCloud } from "../../packages/local/src/local-cloud";
import { loadTopology } from "../../packages/local/src/shim";

const { values: args } = parseArgs({ options: { runs: { type: "string", default: "20" } } });
const RUNS = Number(args.runs);
const root = resolve(import.meta.dirname, "../..");
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
process.env.ASYNCSNS_LIMIT_FACTOR ??= "1000";

const WRITES = new Set([
  "BatchWriteItemCommand",
  "PutItemCommand",
  "UpdateItemCommand",
  "DeleteItemCommand",
  "TransactWriteItemsCommand",
]);
type Capacity = {
  CapacityUnits?: number;
  Table?: { CapacityUnits?: number };
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
};
type Cost = {
  calls: number;
  items: number;
  wcu: number;
  table: number;
  gsi: Record<string, number>;
  transactions: number;
};
const zero = (): Cost => ({ calls: 0, items: 0, wcu: 0, table: 0, gsi: {}, transactions: 0 });

const topology = await loadTopology(join(root, "sst.config.ts"), "local");
const byHandler = (suffix: string) => {
  const fn = topology.functions.find((f) => f.handler.endsWith(suffix));
  if (!fn) throw new Error(`no function with handler ${suffix}`);
  return fn.name;
};
const dataDir = await mkdtemp(join(tmpdir(), "asyncsns-bench-writes-"));
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
try {
  // This process plays the Post, Profile and Chat Lambdas: their env, as their workers get it.
  for (const handler of ["api/post.handler", "api/profile.handler", "api/chat.handler"])
    Object.assign(process.env, cloud.functionEnv(byHandler(handler)));
  const { withActor } = await import("../../packages/core/src/actor");
  const { client } = await import("../../packages/core/src/dynamo");
  const { UserEntity, HandleEntity } = await import("../../packages/core/src/user/user.entity");
  const { Post } = await import("../../packages/core/src/post");
  const { Follow } = await import("../../packages/core/src/follow");
  const { Chat } = await import("../../packages/core/src/chat");
  const { Profile } = await import("../../packages/core/src/profile");
  const { configure } = await import("../../packages/core/src/limit/config");
  const { DEFAULT_LIMITS, scaled } = await import("../../packages/core/src/limit/rules");
  // As each handler does with its Limits link: the counters are still written, and counted, but never run out.
  configure(scaled(DEFAULT_LIMITS, Number(process.env.ASYNCSNS_LIMIT_FACTOR)));

  let cost: Cost | undefined;
  client.middlewareStack.add(
    (next, context) => async (a) => {
      const name = context.commandName ?? "";
      if (!cost || !WRITES.has(name)) return next(a);
      const input = a.input as Record<string, unknown>;
      input.ReturnConsumedCapacity = "INDEXES";
      const result = await next(a);
      const output = result.output as { ConsumedCapacity?: Capacity | Capacity[] };
      const c = cost;
      c.calls++;
      if (name === "TransactWriteItemsCommand") {
        c.transactions++;
        c.items += (input.TransactItems as unknown[]).length;
      } else if (name === "BatchWriteItemCommand")
        c.items += Object.values(input.RequestItems as Record<string, unknown[]>).flat().length;
      else c.items++;
      for (const consumed of [output.ConsumedCapacity ?? []].flat()) {
        c.wcu += consumed.CapacityUnits ?? 0;
        c.table += consumed.Table?.CapacityUnits ?? 0;
        for (const [index, v] of Object.entries(consumed.GlobalSecondaryIndexes ?? {}))
          c.gsi[index] = (c.gsi[index] ?? 0) + (v.CapacityUnits ?? 0);
      }
      return result;
    },
    { step: "initialize", name: "benchWriteUnits" },
  );

  let seq = 0;
  const user = async () => {
    const userId = randomUUID();
    const handle = `w${Date.now().toString(36)}${(seq++).toString(36)}`.slice(0, 20);
    await UserEntity.put({ userId, handle, displayName: `Writer ${handle}` }).go();
    await HandleEntity.put({ handleKey: handle.toLowerCase(), userId }).go();
    return { userId, handle };
  };
  const as = <T>(userId: string, run: () => Promise<T>) =>
    withActor({ type: "user", properties: { userId } }, run);

  /** RUNS calls of one use case, each made ready by `setup` (not counted); the mean cost of one call. */
  const measure = async <S>(setup: (i: number) => Promise<S>, run: (s: S) => Promise<unknown>) => {
    const total = zero();
    for (let i = 0; i < RUNS; i++) {
      const s = await setup(i);
      cost = zero();
      await run(s);
      const c = cost;
      cost = undefined;
      total.calls += c.calls;
      total.items += c.items;
      total.wcu += c.wcu;
      total.table += c.table;
      total.transactions += c.transactions;
      for (const [k, v] of Object.entries(c.gsi)) total.gsi[k] = (total.gsi[k] ?? 0) + v;
    }
    const mean = (n: number) => Math.round((n / RUNS) * 10) / 10;
    const gsi = Object.entries(total.gsi)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${k} ${mean(v)}`)
      .join(", ");
    return `${mean(total.wcu)} WCU (table ${mean(total.table)}${gsi ? `; ${gsi}` : ""}) in ${mean(total.calls)} write calls, ${mean(total.items)} items, ${mean(total.transactions)} transactions`;
  };

  const a = await user();
  const b = await user();
  const lines: [string, string][] = [];
  lines.push([
    "post, 40 characters",
    await measure(
      async () => a,
      (u) => as(u.userId, () => Post.create({ text: "a short post about the weather today" })),
    ),
  ]);
  lines.push([
    "post, 2 tags, a mention and a link",
    await measure(
      async () => a,
      (u) =>
        as(u.userId, () => Post.create({ text: `hello #bench #東京 @${b.handle} https://example.com/x` })),
    ),
  ]);
  lines.push([
    "post, 500 Japanese characters (1,500 bytes)",
    await measure(
      async () => a,
      (u) => as(u.userId, () => Post.create({ text: "東".repeat(500) })),
    ),
  ]);
  const posts = await Promise.all(
    Array.from({ length: RUNS }, () => as(b.userId, () => Post.create({ text: "like me" }))),
  );
  lines.push([
    "like",
    await measure(
      async (i) => posts[i]!.id,
      (id) => as(a.userId, () => Post.like({ postId: id })),
    ),
  ]);
  lines.push([
    "repost",
    await measure(
      async (i) => posts[i]!.id,
      (id) => as(a.userId, () => Post.repost({ postId: id })),
    ),
  ]);
  lines.push([
    "follow",
    await measure(
      () => user(),
      (u) => as(a.userId, () => Follow.follow({ handle: u.handle })),
    ),
  ]);
  lines.push([
    "profile: change the display name",
    await measure(
      async (i) => i,
      (i) => as(a.userId, () => Profile.update({ displayName: `Writer ${i}` })),
    ),
  ]);
  const room = await as(a.userId, () => Chat.create({ memberHandles: [b.handle] }));
  lines.push([
    "chat message, 2-member room",
    await measure(
      async () => room.room.id,
      (roomId) => as(a.userId, () => Chat.send({ roomId, text: "hello there" })),
    ),
  ]);
  const members = await Promise.all(Array.from({ length: 9 }, () => user()));
  const group = await as(a.userId, () => Chat.create({ memberHandles: members.map((m) => m.handle) }));
  lines.push([
    "chat message, 10-member room",
    await measure(
      async () => group.room.id,
      (roomId) => as(a.userId, () => Chat.send({ roomId, text: "hello all" })),
    ),
  ]);

  console.log(
    `\n## Write units per call (npm run bench -- writes; DynamoDB Local, mean of ${RUNS}; load ${loadavg()[0]!.toFixed(1)})`,
  );
  console.log(
    "- the request's own writes only: stream consumers (fan-out, cards, search, notifications) are not counted",
  );
  for (const [what, figure] of lines) console.log(`- ${what}: ${figure}`);
} finally {
  await cloud.stop();
  await rm(dataDir, { recursive: true, force: true });
}
process.exit(0);
