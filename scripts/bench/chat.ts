// Chat latency and loss beside a floor from the same run, as noise would swamp bare numbers; flags below.
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { CreateTableCommand, DynamoDBClient, PutItemCommand, QueryCommand } from "@aws-sdk/client-dynamodb";
import WebSocket, { WebSocketServer } from "ws";
import { startLocalCloud } from "../../packages/local/src/local-cloud";
import {
  httpHistory,
  type Message,
  RealtimeClient,
  type WebSocketConstructor,
  webSocketTransport,
} from "../../packages/realtime/src";
import { cognitoClient, cognitoUser } from "./users";

const { values: args } = parseArgs({
  options: {
    clients: { type: "string", default: "200" },
    rooms: { type: "string", default: "20" },
    latency: { type: "string", default: "300" },
    messages: { type: "string", default: "10000" },
    concurrency: { type: "string", default: "8" },
    "deadline-min": { type: "string", default: "15" },
  },
});
const CLIENTS = Number(args.clients);
const ROOMS = Number(args.rooms);
const LATENCY_MESSAGES = Number(args.latency);
const MESSAGES = Number(args.messages);
const CONCURRENCY = Number(args.concurrency);
const deadline = Date.now() + Number(args["deadline-min"]) * 60_000;
const timeLeft = () => deadline - Date.now();

const log = (line: string) => console.log(`[bench] ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : Number.NaN;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;

/** Runs `fn` over items with at most `limit` in flight. */
async function pool<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}

interface BenchUser {
  sub: string;
  handle: string;
  token: string;
}

interface Seen {
  seq: number;
  id: string;
  at: number;
  source: "live" | "resume";
}

async function main() {
  const root = resolve(import.meta.dirname, "../..");
  const dataDir = await mkdtemp(join(tmpdir(), "asyncsns-bench-"));
  const started = performance.now();
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
  log(`local cloud up in ${((performance.now() - started) / 1000).toFixed(1)} s at ${cloud.urls.webUrl}`);
  const clients: RealtimeClient[] = [];
  let echo: WebSocketServer | undefined;
  try {
    const { apiUrl, wsUrl, cognito } = cloud.urls;
    const api = (token: string, path: string, init: RequestInit = {}) =>
      fetch(`${apiUrl}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      });

    // ---- users, profiles, rooms ----
    const idp = cognitoClient(cognito);
    const run = Date.now().toString(36);
    const users = await pool(
      Array.from({ length: CLIENTS }, (_, i) => i),
      8,
      async (i): Promise<BenchUser> => {
        const { token, sub } = await cognitoUser(cognito, {
          email: `bench-${run}-${i}@example.com`,
          client: idp,
        });
        const handle = `b${run}${i}`.slice(0, 20);
        const res = await api(token, "/me", {
          method: "POST",
          body: JSON.stringify({ handle, displayName: handle }),
        });
        if (res.status !== 201) throw new Error(`profile ${i}: ${res.status} ${await res.text()}`);
        return { sub, handle, token };
      },
    );
    log(`${users.length} users with profiles`);
    const perRoom = Math.ceil(CLIENTS / ROOMS);
    const roomOf: string[] = [];
    const members: BenchUser[][] = [];
    for (let r = 0; r < ROOMS; r++) {
      const group = users.slice(r * perRoom, (r + 1) * perRoom);
      const res = await api(group[0]!.token, "/rooms", {
        method: "POST",
        body: JSON.stringify({ name: `bench ${r}`, memberHandles: group.slice(1).map((u) => u.handle) }),
      });
      if (res.status !== 201) throw new Error(`room ${r}: ${res.status} ${await res.text()}`);
      const roomId = ((await res.json()) as { id: string }).id;
      members.push(group);
      for (let i = 0; i < group.length; i++) roomOf[r * perRoom + i] = roomId;
    }
    log(`${ROOMS} rooms of ${perRoom}`);

    // ---- clients: the real browser client over `ws`, sockets reachable so chaos can kill them ----
    const sockets: (WebSocket | undefined)[] = [];
    const seen: Seen[][] = users.map(() => []);
    const receivedAt = new Map<string, number[]>();
    let opens = 0;
    users.forEach((user, i) => {
      const Tracked = class extends WebSocket {
        constructor(url: string) {
          super(url);
          sockets[i] = this;
        }
      };
      const token = async () => user.token;
      const client = new RealtimeClient({
        url: wsUrl,
        token,
        history: httpHistory({ apiUrl, token }),
        transport: webSocketTransport(Tracked as unknown as WebSocketConstructor),
        backoff: { baseMs: 200, capMs: 3_000 },
        heartbeatMs: 60_000,
      });
      client.track(roomOf[i]!, 0);
      client.on("chat.message", (m: Message, meta) => {
        const at = performance.now();
        seen[i]!.push({ seq: m.seq, id: m.id, at, source: meta.source });
        if (meta.source === "live") receivedAt.set(m.id, [...(receivedAt.get(m.id) ?? []), at]);
      });
      client.onState((s) => {
        if (s === "open") opens++;
      });
      clients.push(client);
    });
    for (let i = 0; i < clients.length; i += 20) {
      for (const c of clients.slice(i, i + 20)) c.connect();
      await sleep(100);
    }
    while (opens < CLIENTS && timeLeft() > 0) await sleep(100);
    log(`${opens} clients connected`);

    // ---- floor: raw ws echo + one PutItem + one Query, same machine, same moment ----
    echo = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await once(echo, "listening");
    echo.on("connection", (s) => s.on("message", (d) => s.send(d)));
    const echoClient = new WebSocket(`ws://127.0.0.1:${(echo.address() as AddressInfo).port}`);
    await new Promise((r) => echoClient.once("open", r));
    const ddb = new DynamoDBClient({
      endpoint: cloud.standIns.dynamodb.endpoint,
      region: cognito.region,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    const TableName = `bench-floor-${run}`;
    await ddb.send(
      new CreateTableCommand({
        TableName,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [
          { AttributeName: "pk", AttributeType: "S" },
          { AttributeName: "sk", AttributeType: "S" },
        ],
        KeySchema: [
          { AttributeName: "pk", KeyType: "HASH" },
          { AttributeName: "sk", KeyType: "RANGE" },
        ],
      }),
    );
    const floor: number[] = [];
    for (let k = 0; k < LATENCY_MESSAGES && timeLeft() > 0; k++) {
      const t0 = performance.now();
      const back = new Promise((r) => echoClient.once("message", r));
      echoClient.send(JSON.stringify({ k, text: "floor" }));
      await back;
      await ddb.send(
        new PutItemCommand({
          TableName,
          Item: {
            pk: { S: `room#${k % ROOMS}` },
            sk: { S: String(k).padStart(12, "0") },
            text: { S: "floor" },
          },
        }),
      );
      await ddb.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": { S: `room#${k % ROOMS}` } },
          Limit: 1,
          ScanIndexForward: false,
        }),
      );
      floor.push(performance.now() - t0);
    }
    echoClient.close();

    // ---- latency: one message at a time, every other member of the room measures it ----
    const latencies: number[] = [];
    const sentAt = new Map<string, number>();
    for (let k = 0; k < LATENCY_MESSAGES && timeLeft() > 0; k++) {
      const r = k % ROOMS;
      const sender = members[r]![Math.floor(Math.random() * members[r]!.length)]!;
      const t0 = performance.now();
      const res = await api(sender.token, `/rooms/${roomOf[r * perRoom]}/messages`, {
        method: "POST",
        body: JSON.stringify({ text: `latency ${k}` }),
      });
      const { id } = (await res.json()) as { id: string };
      sentAt.set(id, t0);
      // Wait for the room's members (all of them, the sender's own socket included) to have it.
      const want = members[r]!.length;
      const until = performance.now() + 5_000;
      while ((receivedAt.get(id)?.length ?? 0) < want && performance.now() < until) await sleep(1);
    }
    for (const [id, t0] of sentAt) for (const at of receivedAt.get(id) ?? []) latencies.push(at - t0);
    log(
      `floor (ws echo + PutItem + Query, n=${floor.length}): p50 ${ms(pct(floor, 50))}, p99 ${ms(pct(floor, 99))}`,
    );
    log(
      `delivery POST → chat.message (n=${latencies.length} receipts of ${sentAt.size} messages): p50 ${ms(pct(latencies, 50))}, p99 ${ms(pct(latencies, 99))} → p99 = ${(pct(latencies, 99) / pct(floor, 99)).toFixed(2)}× floor p99`,
    );

    // ---- reliability: M messages from every client while sockets die at random ----
    const before = seen.map((s) => s.length);
    const finalSeq = new Map<string, number>();
    let drops = 0;
    let sending = true;
    const chaos = (async () => {
      while (sending) {
        await sleep(50);
        // About 2 drops per second across the fleet: each client loses its socket a few times per run.
        if (Math.random() < 0.1) {
          const i = Math.floor(Math.random() * CLIENTS);
          const s = sockets[i];
          if (s && s.readyState === WebSocket.OPEN) {
            s.terminate();
            drops++;
          }
        }
      }
    })();
    const plan = Array.from({ length: MESSAGES }, (_, k) => k % CLIENTS);
    let sent = 0;
    let failed = 0;
    const t0 = performance.now();
    await pool(plan, CONCURRENCY, async (i, k) => {
      if (timeLeft() < 60_000) return;
      const roomId = roomOf[i]!;
      const res = await api(users[i]!.token, `/rooms/${roomId}/messages`, {
        method: "POST",
        body: JSON.stringify({ text: `reliability ${k}` }),
      });
      if (res.status !== 201) {
        failed++;
        return;
      }
      const { seq } = (await res.json()) as { seq: number };
      finalSeq.set(roomId, Math.max(finalSeq.get(roomId) ?? 0, seq));
      sent++;
      if (sent % 1000 === 0) log(`  ${sent} sent, ${drops} sockets dropped`);
    });
    sending = false;
    await chaos;
    const sendSeconds = (performance.now() - t0) / 1000;
    // Let reconnects and resumes settle: every client caught up with its room, or a bounded wait.
    const caughtUp = () =>
      clients.every((c, i) => (c.lastSeq(roomOf[i]!) ?? 0) >= (finalSeq.get(roomOf[i]!) ?? 0));
    const settleUntil = Date.now() + Math.min(60_000, Math.max(5_000, timeLeft() - 5_000));
    while (!caughtUp() && Date.now() < settleUntil) await sleep(200);

    let lost = 0;
    let duplicated = 0;
    let outOfOrder = 0;
    let viaResume = 0;
    seen.forEach((all, i) => {
      const list = all.slice(0);
      const roomId = roomOf[i]!;
      const last = finalSeq.get(roomId) ?? 0;
      const counts = new Map<number, number>();
      let prev = 0;
      for (const s of list) {
        counts.set(s.seq, (counts.get(s.seq) ?? 0) + 1);
        if (s.seq <= prev) outOfOrder++;
        prev = Math.max(prev, s.seq);
      }
      for (let seq = 1; seq <= last; seq++) if (!counts.has(seq)) lost++;
      for (const n of counts.values()) if (n > 1) duplicated += n - 1;
      viaResume += list.slice(before[i]).filter((s) => s.source === "resume").length;
    });
    const expected = clients.reduce((n, _, i) => n + (finalSeq.get(roomOf[i]!) ?? 0), 0);
    log(
      `reliability: ${sent} messages sent (${failed} failed) in ${sendSeconds.toFixed(1)} s (${(sent / sendSeconds).toFixed(0)}/s), ${drops} sockets dropped`,
    );
    log(
      `  ${expected} deliveries expected across ${CLIENTS} clients; ${viaResume} came through resume; lost ${lost}, duplicated ${duplicated}, out of order ${outOfOrder}${caughtUp() ? "" : " (settle wait timed out)"}`,
    );
  } finally {
    for (const c of clients) c.close();
    // Let the gateway run $disconnect for the closed sockets before the functions stop.
    await sleep(1_500);
    echo?.close();
    await cloud.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const hardStop = setTimeout(
  () => {
    console.error("[bench] deadline passed; exiting");
    process.exit(2);
  },
  Number(args["deadline-min"]) * 60_000 + 60_000,
);
hardStop.unref();
main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
