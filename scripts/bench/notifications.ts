// Notifications end to end, each figure beside a floor from the same run (noise would swamp bare numbers); flags below.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  ApiGatewayManagementApiClient,
  PostToConnectionCommand,
} from "@aws-sdk/client-apigatewaymanagementapi";
import {
  CreateTopicCommand,
  PublishBatchCommand,
  PublishCommand,
  SNSClient,
  SubscribeCommand,
  UnsubscribeCommand,
} from "@aws-sdk/client-sns";
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import webpush from "web-push";
import WebSocket from "ws";
import { type LocalCloud, startLocalCloud } from "../../packages/local/src/local-cloud";
import { clientsFor, moveBack } from "../redrive/replay";
import { percentile } from "./stats";
import { cognitoClient, cognitoUser } from "./users";

const { values: args } = parseArgs({
  options: {
    /** Likes and follows through the API to a recipient holding a socket (figure 1). */
    events: { type: "string", default: "200" },
    /** Likes through the API to a recipient with a push device and no socket (figure 2). */
    push: { type: "string", default: "100" },
    /** Events published straight to the topic for the throughput run (figure 3): a rate, steady well before 1,000. */
    throughput: { type: "string", default: "1000" },
    /** Events of the reliability run (figure 4), and the share of consumer invokes made to crash. */
    reliability: { type: "string", default: "5000" },
    fault: { type: "string", default: "0.3" },
    /** Users who act, and users the published events are for. */
    actors: { type: "string", default: "20" },
    recipients: { type: "string", default: "20" },
    "deadline-min": { type: "string", default: "12" },
  },
});
const EVENTS = Number(args.events);
const PUSHES = Number(args.push);
const THROUGHPUT = Number(args.throughput);
const RELIABILITY = Number(args.reliability);
const FAULT = Number(args.fault);
const ACTORS = Math.max(1, Number(args.actors));
const RECIPIENTS = Math.max(1, Number(args.recipients));
const deadline = Date.now() + Number(args["deadline-min"]) * 60_000;
const timeLeft = () => deadline - Date.now();

/** The consumer's logical name: SST names a queue's subscriber `<Queue>Subscriber<hash>Function`. */
const CONSUMER_GLOB = "NotificationQueueSubscriber*";
// The stand-ins' SDK clients run on the developer's Node, as in cli.ts.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
/** Retries after one second instead of the deploy's 30 (infra/notification.ts reads it when the cloud records infra). */
process.env.ASYNCSNS_NOTIFY_VISIBILITY_SECONDS ??= "1";
// Per-user abuse limits (core/limit/rules.ts) would turn the actors' likes into 429s: the bench measures the pipeline.
process.env.ASYNCSNS_LIMIT_FACTOR ??= "100";

const root = resolve(import.meta.dirname, "../..");
const log = (line: string) => console.log(`[bench] ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(1)} ms` : "–");
const credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

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

/** A fixed shuffle, so two runs publish the same mix in the same order. */
function shuffled<T>(xs: T[], seed = 13): T[] {
  const out = [...xs];
  let s = seed;
  const next = () => {
    s = (s * 48271) % 2147483647;
    return s / 2147483647;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

interface BenchUser {
  id: string;
  handle: string;
  token: string;
}

interface WireEvent {
  id: string;
  type: "follow" | "post.like" | "post.mention";
  op: "add";
  actor: string;
  recipient: string;
  subject?: { kind: "post"; id: string; text?: string };
  at: number;
}

interface Row {
  id: string;
  type: string;
  actorCount: number;
  actors: { id: string }[];
  subject?: { id: string };
}

/** What the consumer logged per handled message (its "notification handled" line) and the injected crashes. */
class ConsumerLog {
  /** Outcomes by event id, one per time the consumer handled it. */
  handled = new Map<string, string[]>();
  injected = 0;
  errors: string[] = [];

  line(fn: string, stream: "stdout" | "stderr", line: string) {
    if (line.includes("injected fault")) {
      this.injected++;
      return;
    }
    if (line.includes('"notification handled"')) {
      try {
        const entry = JSON.parse(line) as { eventId: string; outcome: string };
        this.handled.set(entry.eventId, [...(this.handled.get(entry.eventId) ?? []), entry.outcome]);
      } catch {
        // A line that is not the JSON log entry is not counted.
      }
      return;
    }
    if (stream === "stderr" || /"level":"ERROR"|Error:/.test(line)) {
      this.errors.push(`[${fn}] ${line}`);
      if (this.errors.length > 200) this.errors.shift();
    }
  }

  /** Handlings of events whose id starts with `prefix`, by outcome ("stored", "duplicate", ...). */
  outcomes(prefix: string): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [id, list] of this.handled)
      if (id.startsWith(prefix)) for (const o of list) out[o] = (out[o] ?? 0) + 1;
    return out;
  }
}

async function main() {
  const dataDir = await mkdtemp(join(tmpdir(), "asyncsns-bench-notify-"));
  const consumerLog = new ConsumerLog();
  const started = performance.now();
  const cloud: LocalCloud = await startLocalCloud({
    root,
    configFile: join(root, "sst.config.ts"),
    port: 0,
    dataDir,
    inMemory: true,
    confirmationCode: "123456",
    quiet: true,
    // Warnings, but not every bench user's confirmation code, nor each injected crash (counted below instead).
    log: (line) => {
      if (line.startsWith("[cognito] confirmation code") || line.includes("Runtime.InjectedFault")) return;
      console.log(line);
    },
    // Faults go on only for the reliability run (setFaults below), whatever the shell holds.
    faults: "",
    functionOutput: (fn, stream, line) => consumerLog.line(fn, stream, line),
  });
  log(`local cloud up in ${((performance.now() - started) / 1000).toFixed(1)} s at ${cloud.urls.webUrl}`);
  const sockets: WebSocket[] = [];
  const figures: Record<string, unknown> = {};
  const table: Record<string, string | number>[] = [];
  try {
    const { apiUrl, wsUrl, cognito } = cloud.urls;
    const region = cognito.region;
    const sns = new SNSClient({ endpoint: cloud.urls.sns!.endpoint, region, credentials });
    const sqs = new SQSClient({ endpoint: cloud.urls.sqs!.endpoint, region, credentials });
    const topicArn = cloud.topics.Notifications!;
    const queueName = cloud.queues.NotificationQueue!;
    const dlqName = cloud.queues.NotificationDeadLetters!;
    const queueTotal = (name: string) => cloud.messaging.store.counts(name).total;
    const consumer = cloud.topology.functions.find((f) =>
      f.handler.endsWith("notification/consumer.handler"),
    )!.name;
    log(
      `consumer ${consumer}; visibility timeout ${cloud.messaging.store.attributes(queueName).visibilityTimeout} s`,
    );

    const api = async (token: string, method: string, path: string, body?: unknown) =>
      fetch(`${apiUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body ? { "content-type": "application/json" } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(30_000),
      });
    /** Setup is not measured: a request that failed on a busy machine is tried again. */
    const setup = async (what: string, attempt: () => Promise<Response>, ok: (s: number) => boolean) => {
      for (let i = 1; ; i++) {
        const res = await attempt();
        if (ok(res.status)) return res;
        const text = await res.text();
        if (i >= 3 || res.status < 500) throw new Error(`${what}: ${res.status} ${text}`);
      }
    };

    // ---- users: actors, a live recipient, an offline one with a push device, recipients of published events ----
    const idp = cognitoClient(cognito);
    const run = Date.now().toString(36);
    const total = ACTORS + 2 + RECIPIENTS;
    const users = await pool(
      Array.from({ length: total }, (_, i) => i),
      8,
      async (i): Promise<BenchUser> => {
        const { token, sub } = await cognitoUser(cognito, {
          email: `ntf-${run}-${i}@example.com`,
          client: idp,
        });
        const handle = `n${run}${i}`.slice(0, 20);
        // A retry after a timed-out first try finds the profile made: 409 is done too.
        await setup(
          "POST /me",
          () => api(token, "POST", "/me", { handle, displayName: `Bench ${i}` }),
          (s) => s === 201 || s === 409,
        );
        // A user's id is the token's sub.
        return { id: sub, handle, token };
      },
    );
    const actors = users.slice(0, ACTORS);
    const live = users[ACTORS]!;
    const offline = users[ACTORS + 1]!;
    const recipients = users.slice(ACTORS + 2);
    log(`${users.length} users: ${ACTORS} actors, a live and an offline recipient, ${RECIPIENTS} recipients`);

    const postsFor = async (owner: BenchUser, count: number) =>
      pool(
        Array.from({ length: count }, (_, i) => i),
        4,
        async (i) => {
          const res = await setup(
            "POST /posts",
            () => api(owner.token, "POST", "/posts", { text: `bench post ${i}` }),
            (s) => s === 201,
          );
          return ((await res.json()) as { id: string }).id;
        },
      );

    // ---- the live recipient's socket: every notification.created frame, and the floor's own frames ----
    type Frame = { at: number; type: string; id: string; data: { item?: Row } };
    type Waiter = { match: (f: Frame) => boolean; done: (at: number) => void };
    const waiters = new Set<Waiter>();
    const socket = new WebSocket(`${wsUrl}?token=${encodeURIComponent(live.token)}`);
    sockets.push(socket);
    socket.on("message", (raw) => {
      const at = performance.now();
      let frame: Frame;
      try {
        frame = { at, ...(JSON.parse(String(raw)) as Omit<Frame, "at">) };
      } catch {
        return;
      }
      for (const w of waiters)
        if (w.match(frame)) {
          waiters.delete(w);
          w.done(at);
        }
    });
    await new Promise((ok, fail) => {
      socket.once("open", ok);
      socket.once("error", fail);
    });
    const frame = (match: (f: Frame) => boolean, timeoutMs: number) => {
      let waiter: Waiter | undefined;
      const promise = new Promise<number | undefined>((done) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter!);
          done(undefined);
        }, timeoutMs);
        waiter = {
          match,
          done: (at) => {
            clearTimeout(timer);
            done(at);
          },
        };
        waiters.add(waiter);
      });
      return promise;
    };

    // ---- floor: raw SNS publish → a tap queue's receive → the recipient's connections → @connections POST ----
    // A topic of the bench's own, so the app's consumer never sees the floor's messages.
    const { TopicArn: floorTopic } = await sns.send(new CreateTopicCommand({ Name: `bench-floor-${run}` }));
    const { QueueUrl: tapUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `bench-tap-${run}` }));
    await sns.send(
      new SubscribeCommand({
        TopicArn: floorTopic,
        Protocol: "sqs",
        Endpoint: cloud.messaging.queueArn(`bench-tap-${run}`),
        Attributes: { RawMessageDelivery: "true" },
      }),
    );
    // Core's own connection lookup, with the consumer's exact environment: the floor finds sockets as it does.
    Object.assign(process.env, cloud.functionEnv(consumer));
    const { Connection } = await import("../../packages/core/src/connection");
    const management = new ApiGatewayManagementApiClient({
      endpoint: cloud.urls.managementEndpoint!,
      region,
      credentials: cloud.standIns.credentials,
    });
    const floorOnce = async (k: number): Promise<number | undefined> => {
      const id = `floor-${k}`;
      const seen = frame((f) => f.id === id, 5_000);
      const t0 = performance.now();
      await sns.send(new PublishCommand({ TopicArn: floorTopic, Message: JSON.stringify({ id }) }));
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: tapUrl, WaitTimeSeconds: 5, MaxNumberOfMessages: 1 }),
      );
      const message = Messages[0];
      if (!message) return undefined;
      const body = JSON.parse(message.Body ?? "{}") as { id: string };
      const data = JSON.stringify({ v: 1, type: "bench.floor", id: body.id, ts: Date.now(), data: {} });
      for (const connectionId of await Connection.ofUser(live.id))
        await management.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: data }));
      const at = await seen;
      // The consumer deletes after it delivered, so the delete is not on the floor's path either.
      await sqs.send(new DeleteMessageCommand({ QueueUrl: tapUrl, ReceiptHandle: message.ReceiptHandle }));
      return at === undefined ? undefined : at - t0;
    };

    // ---- figure 1: like/follow through the API → notification.created on the recipient's socket ----
    const livePosts = await postsFor(live, Math.max(1, Math.ceil((EVENTS - ACTORS) / ACTORS)));
    type Action = { actor: BenchUser; type: "follow" | "post.like"; post?: string };
    const liveActions: Action[] = shuffled([
      ...actors.slice(0, Math.min(ACTORS, EVENTS)).map((actor): Action => ({ actor, type: "follow" })),
      ...Array.from(
        { length: Math.max(0, EVENTS - ACTORS) },
        (_, k): Action => ({
          actor: actors[k % ACTORS]!,
          type: "post.like",
          post: livePosts[Math.floor(k / ACTORS)]!,
        }),
      ),
    ]);
    const act = (a: Action, target: BenchUser) =>
      a.type === "follow"
        ? api(a.actor.token, "POST", `/users/${target.handle}/follow`)
        : api(a.actor.token, "POST", `/posts/${a.post}/like`);
    // Cold starts (dispatcher, consumer, the Post and Profile functions) are not the pipeline: one unmeasured follow.
    await floorOnce(-1);
    const warm = frame((fr) => fr.type === "notification.created", 15_000);
    await (await api(offline.token, "POST", `/users/${live.handle}/follow`)).arrayBuffer();
    if ((await warm) === undefined) log("warm-up: no notification.created within 15 s");
    // A tap on the app's topic splits each measure in two: the stream hop (API answer → event on the topic) and
    // the consumer's part (event on the topic → frame).
    const topicTap = `bench-topic-tap-${run}`;
    const { QueueUrl: topicTapUrl } = await sqs.send(new CreateQueueCommand({ QueueName: topicTap }));
    const { SubscriptionArn: topicTapSubscription } = await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: "sqs",
        Endpoint: cloud.messaging.queueArn(topicTap),
        Attributes: {
          RawMessageDelivery: "true",
          FilterPolicy: JSON.stringify({ type: ["follow", "post.like"] }),
        },
      }),
    );
    /** When the action's event reached the tap (others are deleted on the way), or undefined after 10 s. */
    const onTopic = async (a: Action): Promise<number | undefined> => {
      const until = performance.now() + 10_000;
      while (performance.now() < until) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: topicTapUrl, WaitTimeSeconds: 5, MaxNumberOfMessages: 10 }),
        );
        const at = performance.now();
        let found: number | undefined;
        for (const m of Messages) {
          const e = JSON.parse(m.Body ?? "{}") as WireEvent;
          if (
            e.type === a.type &&
            e.actor === a.actor.id &&
            (a.type === "follow" || e.subject?.id === a.post)
          )
            found = at;
          await sqs.send(new DeleteMessageCommand({ QueueUrl: topicTapUrl, ReceiptHandle: m.ReceiptHandle }));
        }
        if (found !== undefined) return found;
      }
      return undefined;
    };
    const floor: number[] = [];
    const liveMs: number[] = [];
    const liveFromRequest: number[] = [];
    const streamHop: number[] = [];
    const consumerPart: number[] = [];
    let liveMissed = 0;
    let liveRefused = 0;
    for (const [k, a] of liveActions.entries()) {
      if (timeLeft() < 4 * 60_000) break;
      // Interleaved with the floor, so both see the same machine at the same moment.
      const f = await floorOnce(k);
      if (f !== undefined) floor.push(f);
      const tapped = onTopic(a);
      const seen = frame(
        (fr) =>
          fr.type === "notification.created" &&
          fr.data.item?.type === a.type &&
          (a.type === "follow" || fr.data.item?.subject?.id === a.post) &&
          fr.data.item?.actors[0]?.id === a.actor.id,
        10_000,
      );
      const t0 = performance.now();
      const res = await act(a, live);
      const answered = performance.now();
      await res.arrayBuffer();
      if (res.status !== 204) {
        liveRefused++;
        continue;
      }
      const [at, published] = await Promise.all([seen, tapped]);
      if (at === undefined) liveMissed++;
      else {
        liveMs.push(at - answered);
        liveFromRequest.push(at - t0);
        if (published !== undefined) {
          streamHop.push(published - answered);
          consumerPart.push(at - published);
        }
      }
    }
    if (topicTapSubscription)
      await sns.send(new UnsubscribeCommand({ SubscriptionArn: topicTapSubscription }));
    if (liveMs.length) {
      const split = (xs: number[]) => ({ n: xs.length, p50: percentile(xs, 50), p99: percentile(xs, 99) });
      figures.live = {
        ...split(liveMs),
        missed: liveMissed,
        refused: liveRefused,
        fromRequestP50: percentile(liveFromRequest, 50),
        streamHop: split(streamHop),
        consumer: split(consumerPart),
        floor: split(floor),
      };
      const line = (what: string, xs: number[]) =>
        log(`${what} (n=${xs.length}): p50 ${ms(percentile(xs, 50))}, p99 ${ms(percentile(xs, 99))}`);
      line("floor: SNS publish → tap SQS receive → connections query + @connections POST", floor);
      line(`API answer → notification.created (missed ${liveMissed}, refused ${liveRefused})`, liveMs);
      line(
        "  of which API answer → event on the topic (stream poll, dispatcher, publish; read from a tap)",
        streamHop,
      );
      line("  of which event on the topic → notification.created (queue, consumer, delivery)", consumerPart);
      const row = (figure: string, xs: number[]) => ({
        figure,
        n: xs.length,
        "p50 ms": Number(percentile(xs, 50).toFixed(1)),
        "p99 ms": Number(percentile(xs, 99).toFixed(1)),
        "× floor p50": Number((percentile(xs, 50) / percentile(floor, 50)).toFixed(1)),
        "× floor p99": Number((percentile(xs, 99) / percentile(floor, 99)).toFixed(1)),
      });
      table.push(
        row("floor: SNS → SQS → socket", floor),
        row("1. API → notification.created", liveMs),
        row("   API → event on topic", streamHop),
        row("   topic → notification.created", consumerPart),
      );
    }

    // ---- figure 2: like through the API → the push service received the push (no socket) ----
    const pushUrl = cloud.urls.push?.url;
    if (!pushUrl) log("figure 2 skipped: this local cloud has no push service (push.url)");
    else if (PUSHES > 0 && timeLeft() > 3 * 60_000) {
      type Device = { endpoint: string; keys: { p256dh: string; auth: string } };
      const newDevice = async () =>
        (await (
          await setup(
            "push device",
            () => fetch(`${pushUrl}/subscriptions`, { method: "POST" }),
            (s) => s === 200 || s === 201,
          )
        ).json()) as Device;
      /** When each push a device got arrived, by the push service's clock (Date.now()). */
      const receivedAt = async (device: Device) => {
        const res = await fetch(`${device.endpoint}/received`);
        const { items } = (await res.json()) as { items: { receivedAt: number }[] };
        return items.map((r) => r.receivedAt);
      };
      const device = await newDevice();
      await setup(
        "POST /push/subscriptions",
        () => api(offline.token, "POST", "/push/subscriptions", device),
        (s) => s === 201,
      );

      // Push floor: SNS publish → tap receive → one VAPID-signed aes128gcm request to a device of the bench's own.
      const floorDevice = await newDevice();
      const vapid = webpush.generateVAPIDKeys();
      const pushFloorOnce = async (k: number): Promise<number | undefined> => {
        const before = (await receivedAt(floorDevice)).length;
        const t0 = Date.now();
        await sns.send(
          new PublishCommand({ TopicArn: floorTopic, Message: JSON.stringify({ id: `push-${k}` }) }),
        );
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: tapUrl, WaitTimeSeconds: 5, MaxNumberOfMessages: 1 }),
        );
        const message = Messages[0];
        if (!message) return undefined;
        const request = webpush.generateRequestDetails(floorDevice, message.Body ?? "{}", {
          vapidDetails: { subject: "mailto:bench@example.com", ...vapid },
          TTL: 60,
          contentEncoding: "aes128gcm",
        });
        const res = await fetch(request.endpoint, {
          method: "POST",
          headers: Object.fromEntries(
            Object.entries(request.headers)
              .filter(([name]) => name.toLowerCase() !== "content-length")
              .map(([name, value]) => [name, String(value)]),
          ),
          body: request.body ? new Uint8Array(request.body) : null,
        });
        await res.arrayBuffer();
        await sqs.send(new DeleteMessageCommand({ QueueUrl: tapUrl, ReceiptHandle: message.ReceiptHandle }));
        const got = await receivedAt(floorDevice);
        return res.ok && got.length > before ? got[got.length - 1]! - t0 : undefined;
      };

      const offlinePosts = await postsFor(offline, Math.max(1, Math.ceil(PUSHES / ACTORS)));
      const pushMs: number[] = [];
      const pushFloor: number[] = [];
      let pushMissed = 0;
      let before = (await receivedAt(device)).length;
      for (let k = 0; k < PUSHES && timeLeft() > 3 * 60_000; k++) {
        const f = await pushFloorOnce(k);
        if (f !== undefined) pushFloor.push(f);
        const a: Action = {
          actor: actors[k % ACTORS]!,
          type: "post.like",
          post: offlinePosts[Math.floor(k / ACTORS)]!,
        };
        const res = await act(a, offline);
        const answered = Date.now();
        await res.arrayBuffer();
        if (res.status !== 204) continue;
        const until = Date.now() + 10_000;
        let got: number[] = [];
        while (Date.now() < until) {
          got = await receivedAt(device);
          if (got.length > before) break;
          await sleep(5);
        }
        if (got.length > before) pushMs.push(got[got.length - 1]! - answered);
        else pushMissed++;
        before = got.length;
      }
      figures.push = {
        n: pushMs.length,
        missed: pushMissed,
        p50: percentile(pushMs, 50),
        p99: percentile(pushMs, 99),
        floor: { n: pushFloor.length, p50: percentile(pushFloor, 50), p99: percentile(pushFloor, 99) },
      };
      log(
        `push floor (SNS publish → tap SQS receive → VAPID + aes128gcm POST, n=${pushFloor.length}): p50 ${ms(percentile(pushFloor, 50))}, p99 ${ms(percentile(pushFloor, 99))} (whole ms)`,
      );
      log(
        `API answer → push received (offline, n=${pushMs.length}, missed ${pushMissed}): p50 ${ms(percentile(pushMs, 50))}, p99 ${ms(percentile(pushMs, 99))} (whole ms, the push service's clock)`,
      );
      const row = (figure: string, xs: number[]) => ({
        figure,
        n: xs.length,
        "p50 ms": Number(percentile(xs, 50).toFixed(1)),
        "p99 ms": Number(percentile(xs, 99).toFixed(1)),
        "× floor p50": Number((percentile(xs, 50) / percentile(pushFloor, 50)).toFixed(1)),
        "× floor p99": Number((percentile(xs, 99) / percentile(pushFloor, 99)).toFixed(1)),
      });
      table.push(
        row("push floor: SNS → SQS → push", pushFloor),
        row("2. API → push received (offline)", pushMs),
      );
    }
    for (const s of sockets) s.close();

    // Published events: PublishBatch of 10, a few in flight, as the stream dispatcher sends them.
    const publish = async (topic: string, events: WireEvent[]) =>
      pool(
        Array.from({ length: Math.ceil(events.length / 10) }, (_, i) => events.slice(i * 10, i * 10 + 10)),
        4,
        async (chunk) => {
          const out = await sns.send(
            new PublishBatchCommand({
              TopicArn: topic,
              PublishBatchRequestEntries: chunk.map((e, n) => ({
                Id: String(n),
                Message: JSON.stringify(e),
                MessageAttributes: { type: { DataType: "String", StringValue: e.type } },
              })),
            }),
          );
          if (out.Failed?.length) throw new Error(`publish: ${out.Failed.length} failed`);
        },
      );
    /** Until the queue holds nothing (each message handled and deleted, or dead-lettered), or the time is up. */
    const settle = async (name: string, limitMs: number) => {
      const until = Date.now() + limitMs;
      await sleep(50);
      while (queueTotal(name) > 0 && Date.now() < until) await sleep(20);
      return queueTotal(name) === 0;
    };
    /** Every row of a recipient's list: core's own list (the API's GET /notifications), strongly consistent pages. */
    const { Notification } = await import("../../packages/core/src/notification");
    const rowsOf = async (u: BenchUser) => {
      const rows: Row[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 10_000; page++) {
        const body = await Notification.list(u.id, { limit: 50, ...(cursor ? { cursor } : {}) });
        rows.push(...body.items);
        if (!body.cursor) break;
        cursor = body.cursor;
      }
      return rows;
    };
    const allRows = async () => (await pool(recipients, 4, rowsOf)).flat();

    // ---- figure 3: consumer throughput, beside the same events through SNS → a tap queue and a bare receive ----
    if (THROUGHPUT > 0 && timeLeft() > 2.5 * 60_000) {
      const now = Date.now();
      // Half likes (each post liked by every actor: grouped rows, contended writes), half mentions (a row each).
      // Every (recipient, post, actor) differs, or the store would rightly call the second a duplicate.
      const unique: WireEvent[] = shuffled(
        Array.from({ length: THROUGHPUT }, (_, k): WireEvent => {
          const i = Math.floor(k / 2);
          const r = i % RECIPIENTS;
          const like = k % 2 === 0;
          return {
            id: `tp-${run}-${k}`,
            type: like ? "post.like" : "post.mention",
            op: "add",
            actor: actors[Math.floor(i / RECIPIENTS) % ACTORS]!.id,
            recipient: recipients[r]!.id,
            subject: {
              kind: "post",
              id: like ? `tp-like-${r}-${Math.floor(i / (RECIPIENTS * ACTORS))}` : `tp-mention-${k}`,
              text: "bench",
            },
            at: now + k,
          };
        }),
      );

      const tap = `bench-tp-tap-${run}`;
      const { TopicArn: tpTopic } = await sns.send(new CreateTopicCommand({ Name: `bench-tp-${run}` }));
      const { QueueUrl: tpTapUrl } = await sqs.send(new CreateQueueCommand({ QueueName: tap }));
      await sns.send(
        new SubscribeCommand({
          TopicArn: tpTopic,
          Protocol: "sqs",
          Endpoint: cloud.messaging.queueArn(tap),
          Attributes: { RawMessageDelivery: "true" },
        }),
      );
      // Baseline: the same publishes through SNS into a queue, received and deleted 10 at a time by one poller.
      let t = performance.now();
      await publish(tpTopic!, unique);
      let drained = 0;
      while (drained < unique.length && timeLeft() > 60_000) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: tpTapUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
        );
        if (!Messages.length) continue;
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: tpTapUrl,
            Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
          }),
        );
        drained += Messages.length;
      }
      const baseSeconds = (performance.now() - t) / 1000;
      t = performance.now();
      await publish(topicArn, unique);
      const publishSeconds = (performance.now() - t) / 1000;
      const done = await settle(queueName, Math.max(10_000, timeLeft() - 2 * 60_000));
      const seconds = (performance.now() - t) / 1000;
      const rows = (await allRows()).filter((r) => r.subject?.id.startsWith("tp-"));
      const stored = rows.reduce((n, r) => n + r.actorCount, 0);
      const handled = consumerLog.outcomes(`tp-${run}-`);
      figures.throughput = {
        events: unique.length,
        seconds,
        perSecond: unique.length / seconds,
        publishSeconds,
        stored,
        rows: rows.length,
        handled,
        drained: done,
        baseline: { received: drained, seconds: baseSeconds, perSecond: drained / baseSeconds },
      };
      log(
        `baseline SNS → tap queue → receive + delete: ${drained} in ${baseSeconds.toFixed(1)} s = ${(drained / baseSeconds).toFixed(0)}/s`,
      );
      log(
        `consumer: ${unique.length} events (published in ${publishSeconds.toFixed(1)} s) stored in ${seconds.toFixed(1)} s = ${(unique.length / seconds).toFixed(0)} events/s${done ? "" : " (queue not empty at the time limit)"}; ${rows.length} rows hold ${stored} actor(s)`,
      );
      table.push(
        {
          figure: "baseline: SNS → SQS receive+delete",
          n: drained,
          "events/s": Number((drained / baseSeconds).toFixed(0)),
        },
        {
          figure: "3. consumer throughput",
          n: unique.length,
          "events/s": Number((unique.length / seconds).toFixed(0)),
          "× baseline": Number((unique.length / seconds / (drained / baseSeconds)).toFixed(2)),
        },
      );
    }

    // ---- figure 4: reliability, 30% of consumer invokes crash; then redrive with faults off ----
    if (RELIABILITY > 0 && timeLeft() > 90_000) {
      const now = Date.now();
      const prefix = `rel-${run}-`;
      // Mentions in distinct posts: one row each, so a second row or a missing one shows.
      const events: WireEvent[] = Array.from({ length: RELIABILITY }, (_, k) => ({
        id: `${prefix}${k}`,
        type: "post.mention",
        op: "add",
        actor: actors[k % ACTORS]!.id,
        recipient: recipients[Math.floor(k / ACTORS) % RECIPIENTS]!.id,
        subject: { kind: "post", id: `${prefix}${k}`, text: "bench" },
        at: now + k,
      }));
      const rules = cloud.setFaults(`${CONSUMER_GLOB}=${FAULT}`);
      log(
        `reliability: ${RELIABILITY} events, faults ${rules.map((r) => `${r.pattern}=${r.probability}`).join(", ")}`,
      );
      const injectedBefore = consumerLog.injected;
      const dlqBefore = queueTotal(dlqName);
      let t = performance.now();
      await publish(topicArn, events);
      const done = await settle(queueName, Math.max(20_000, timeLeft() - 45_000));
      const seconds = (performance.now() - t) / 1000;
      const injected = consumerLog.injected - injectedBefore;
      cloud.setFaults(undefined);

      const count = async () => {
        const rows = (await allRows()).filter((r) => r.subject?.id.startsWith(prefix));
        const perSubject = new Map<string, number>();
        let wrongActors = 0;
        for (const r of rows) {
          perSubject.set(r.subject!.id, (perSubject.get(r.subject!.id) ?? 0) + 1);
          if (r.actorCount !== 1) wrongActors++;
        }
        const idsIn = (queue: string) =>
          cloud.messaging.store
            .peek(queue)
            .map((m) => (JSON.parse(m.body) as { id?: string }).id ?? "")
            .filter((id) => id.startsWith(prefix));
        const dead = idsIn(dlqName);
        const deadSet = new Set(dead);
        // Still queued when the time ran out: neither stored nor lost yet.
        const pending = new Set(idsIn(queueName));
        const covered = new Set([...perSubject.keys(), ...deadSet, ...pending]);
        return {
          stored: perSubject.size,
          rows: rows.length,
          duplicates: rows.length - perSubject.size,
          wrongActors,
          deadLettered: dead.length,
          storedAndDead: [...deadSet].filter((id) => perSubject.has(id)).length,
          pending: pending.size,
          lost: events.filter((e) => !covered.has(e.id)).length,
          handlings: consumerLog.outcomes(prefix),
        };
      };
      const before = await count();
      log(
        `  after ${seconds.toFixed(1)} s${done ? "" : " (queue not empty at the time limit)"}: ${injected} consumer invokes crashed; stored ${before.stored}, dead-lettered ${before.deadLettered} (${queueTotal(dlqName) - dlqBefore} new in the DLQ), both ${before.storedAndDead}, still queued ${before.pending}, lost ${before.lost}, duplicate rows ${before.duplicates}, rows with actorCount ≠ 1 ${before.wrongActors}`,
      );

      // Redrive with faults off: the DLQ's messages go back to the queue (scripts/redrive.ts NotificationDeadLetters).
      process.env.AWS_ENDPOINT_URL_SQS = cloud.urls.sqs!.endpoint;
      t = performance.now();
      const moved = await moveBack(
        clientsFor(region, { credentials }),
        cloud.urls.sqs!.queues.NotificationDeadLetters!,
        cloud.urls.sqs!.queues.NotificationQueue!,
      );
      const redriven = await settle(queueName, Math.max(10_000, timeLeft() - 20_000));
      const redriveSeconds = (performance.now() - t) / 1000;
      const after = await count();
      log(
        `  redrive moved ${moved.replayed} back (${moved.failed.length} kept) in ${redriveSeconds.toFixed(1)} s${redriven ? "" : " (queue not empty at the time limit)"}: stored ${after.stored} of ${RELIABILITY}, dead-lettered ${after.deadLettered}, still queued ${after.pending}, lost ${after.lost}, duplicate rows ${after.duplicates}, rows with actorCount ≠ 1 ${after.wrongActors}; consumer handlings ${JSON.stringify(after.handlings)}`,
      );
      figures.reliability = {
        events: RELIABILITY,
        fault: FAULT,
        seconds,
        injectedCrashes: injected,
        before,
        redrive: { moved: moved.replayed, kept: moved.failed.length, seconds: redriveSeconds },
        after,
      };
      table.push(
        {
          figure: `4. ${RELIABILITY} events, ${FAULT * 100}% invokes crash`,
          n: RELIABILITY,
          stored: before.stored,
          DLQ: before.deadLettered,
          queued: before.pending,
          lost: before.lost,
          dup: before.duplicates,
        },
        {
          figure: "4. after redrive, faults off",
          n: RELIABILITY,
          stored: after.stored,
          DLQ: after.deadLettered,
          queued: after.pending,
          lost: after.lost,
          dup: after.duplicates,
        },
      );
    }

    console.log("");
    console.table(table);
    const outDir = join(root, ".asyncsns", "bench");
    await mkdir(outDir, { recursive: true });
    await writeFile(join(outDir, "notifications.json"), `${JSON.stringify(figures, null, 2)}\n`);
    log(`wrote ${join(outDir, "notifications.json")}`);
    if (consumerLog.errors.length) {
      log(`${consumerLog.errors.length} error line(s) from functions, the last 10:`);
      for (const line of consumerLog.errors.slice(-10)) console.log(`  ${line.slice(0, 400)}`);
    }
  } finally {
    for (const s of sockets) s.terminate();
    // Let the gateway run $disconnect for the closed sockets before the functions stop.
    await sleep(500);
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
