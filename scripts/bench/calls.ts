// Calls: connect time (POST /api/calls → both peers `connect`, relay-only through the local coturn) in Debian's
// Chromium, beside a floor from the same run: raw simple-peer, credentials in hand, signals passed in-process.
// The measured side runs the app's own peer code (packages/web/src/lib/call) through the real Call API and socket.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  CreateSignalingChannelCommand,
  DescribeSignalingChannelCommand,
  GetSignalingChannelEndpointCommand,
  KinesisVideoClient,
  ResourceNotFoundException,
} from "@aws-sdk/client-kinesis-video";
import {
  GetIceServerConfigCommand,
  KinesisVideoSignalingClient,
} from "@aws-sdk/client-kinesis-video-signaling";
import { type Browser, type BrowserContext, chromium, type Page } from "@playwright/test";
import { build } from "esbuild";
import { type LocalCloud, startLocalCloud } from "../../packages/local/src/local-cloud";
import type { IceServer } from "../../packages/realtime/src/call";
import { percentile } from "./stats";
import { cognitoClient, cognitoUser } from "./users";

const { values: args } = parseArgs({
  options: {
    /** Calls through the app (the measured figure). */
    calls: { type: "string", default: "20" },
    /** Raw simple-peer connections (the floor). */
    floor: { type: "string", default: "20" },
    /**
     * Uncounted first runs of each: the functions' and the browser's cold starts are not what is compared. Five,
     * because trickled signals arrive together and start new signal-route workers for the first few calls.
     */
    warmup: { type: "string", default: "5" },
    /** Calls answered after a person's pause (answer-after-ms): the figure is accept → both peers connect. */
    human: { type: "string", default: "10" },
    "answer-after-ms": { type: "string", default: "1500" },
    chromium: { type: "string", default: "/usr/bin/chromium" },
    "deadline-min": { type: "string", default: "8" },
  },
});
const CALLS = Number(args.calls);
const FLOOR = Number(args.floor);
const WARMUP = Number(args.warmup);
const HUMAN = Number(args.human);
const ANSWER_AFTER_MS = Number(args["answer-after-ms"]);
const deadline = Date.now() + Number(args["deadline-min"]) * 60_000;
/** Signals one call can have in flight at once, per side: the signal route's workers started before counting. */
const SIGNAL_WORKERS = 6;
/** Call API requests one call can have in flight at once (the POST and the accept). */
const CALL_WORKERS = 2;
/** One connection that takes longer than this is reported as failed, not waited for. */
const CONNECT_TIMEOUT_MS = 15_000;

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
// Per-user abuse limits (core/limit/rules.ts) would refuse twenty invites in a row: the bench measures connecting.
process.env.ASYNCSNS_LIMIT_FACTOR ??= "100";

const root = resolve(import.meta.dirname, "../..");
const SIMPLE_PEER = createRequire(import.meta.url).resolve("simple-peer/simplepeer.min.js");
/** Chromium's fake camera and microphone, granted without a prompt. */
const FAKE_MEDIA = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"];
const credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
const log = (line: string) => console.log(`[bench] ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (x: number) => (Number.isFinite(x) ? `${x.toFixed(0)} ms` : "–");

/** Epoch ms (performance.timeOrigin + now: one clock across the pages) of each step of a call. */
type Marks = Record<string, number>;

interface Figure {
  n: number;
  failed: number;
  p50: number;
  p95: number;
  samples: number[];
}
const figure = (samples: number[], failed: number): Figure => ({
  n: samples.length,
  failed,
  p50: percentile(samples, 50),
  p95: percentile(samples, 95),
  samples: samples.map((s) => Math.round(s * 10) / 10),
});

/** TURN credentials from the KVS stand-in for the floor, as the app's adapter gets them (not timed). */
async function floorCredentials(cloud: LocalCloud) {
  const kvs = cloud.urls.kvs!;
  const control = new KinesisVideoClient({ endpoint: kvs.endpoint, region: kvs.region, credentials });
  const ChannelName = "bench-floor";
  let arn: string | undefined;
  try {
    arn = (await control.send(new DescribeSignalingChannelCommand({ ChannelName }))).ChannelInfo?.ChannelARN;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    arn = (await control.send(new CreateSignalingChannelCommand({ ChannelName }))).ChannelARN;
  }
  const { ResourceEndpointList } = await control.send(
    new GetSignalingChannelEndpointCommand({
      ChannelARN: arn,
      SingleMasterChannelEndpointConfiguration: { Protocols: ["HTTPS"], Role: "MASTER" },
    }),
  );
  control.destroy();
  const signalling = new KinesisVideoSignalingClient({
    endpoint: ResourceEndpointList![0]!.ResourceEndpoint!,
    region: kvs.region,
    credentials,
  });
  return async (clientId: string): Promise<IceServer[]> => {
    const out = await signalling.send(
      new GetIceServerConfigCommand({ ChannelARN: arn, ClientId: clientId, Service: "TURN" }),
    );
    return (out.IceServerList ?? []).map((s) => ({
      urls: s.Uris!,
      username: s.Username!,
      credential: s.Password!,
    }));
  };
}

/** A page on the app's origin (a secure context on localhost) with simple-peer and the fake camera's stream. */
async function preparedPage(context: BrowserContext, origin: string): Promise<Page> {
  // tsx compiles with esbuild's keepNames: functions handed to page.evaluate call its `__name` helper.
  await context.addInitScript("globalThis.__name = (fn) => fn;");
  const page = await context.newPage();
  // Any same-origin document will do; the API's JSON keeps the web app's own scripts out of the measurement.
  await page.goto(`${origin}/api/openapi.json`);
  await page.addScriptTag({ path: SIMPLE_PEER });
  await page.evaluate(async () => {
    const w = window as unknown as { benchStream: MediaStream };
    w.benchStream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
  });
  return page;
}

/** The floor: two relay-only peers in one page, signals handed over directly; ms from creation to both `connect`. */
async function floorOnce(
  page: Page,
  a: IceServer[],
  b: IceServer[],
): Promise<{ ms: number; relay: boolean }> {
  return page.evaluate(
    ({ a, b, timeoutMs }) =>
      new Promise<{ ms: number; relay: boolean }>((resolve, reject) => {
        type Peer = {
          on(e: string, f: (x?: unknown) => void): void;
          signal(d: unknown): void;
          destroy(): void;
          _pc: RTCPeerConnection;
        };
        const w = window as unknown as {
          SimplePeer: new (o: object) => Peer;
          benchStream: MediaStream;
        };
        const options = (iceServers: unknown, initiator: boolean) => ({
          initiator,
          trickle: true,
          stream: w.benchStream,
          config: { iceServers, iceTransportPolicy: "relay" },
        });
        const t0 = performance.now();
        const pa = new w.SimplePeer(options(a, true));
        const pb = new w.SimplePeer(options(b, false));
        const end = () => {
          clearTimeout(timer);
          pa.destroy();
          pb.destroy();
        };
        const timer = setTimeout(() => {
          end();
          reject(new Error("floor: no connect in time"));
        }, timeoutMs);
        pa.on("signal", (d) => pb.signal(d));
        pb.on("signal", (d) => pa.signal(d));
        let connected = 0;
        const onConnect = async () => {
          if (++connected < 2) return;
          const ms = performance.now() - t0;
          // After the clock stopped: the pair ICE chose must be a relayed one. The transport names it (the
          // nominated flag can lag behind `connect` on a busy machine), else the nominated succeeded pair.
          const stats = (await pa._pc.getStats()) as unknown as Map<string, Record<string, unknown>>;
          let pair: Record<string, unknown> | undefined;
          stats.forEach((r) => {
            if (r.type === "transport" && typeof r.selectedCandidatePairId === "string")
              pair ??= stats.get(r.selectedCandidatePairId);
          });
          stats.forEach((r) => {
            if (!pair && r.type === "candidate-pair" && r.nominated && r.state === "succeeded") pair = r;
          });
          const relay = stats.get(String(pair?.localCandidateId))?.candidateType === "relay";
          end();
          resolve({ ms, relay });
        };
        pa.on("connect", onConnect);
        pb.on("connect", onConnect);
        for (const p of [pa, pb])
          p.on("error", (e) => {
            end();
            reject(e);
          });
      }),
    { a, b, timeoutMs: CONNECT_TIMEOUT_MS },
  );
}

/**
 * The app's own call code for the measured pages: its CallPeer (simple-peer behind the adapter, relay-only as the
 * app's forced-relay build), SignalGate and collapseHeld, bundled for the page as `window.AsyncsnsCall`.
 */
async function appCallBundle(): Promise<string> {
  const out = await build({
    stdin: {
      contents: `export { CallPeer } from "./peer"; export * from "./call-logic";`,
      resolveDir: join(root, "packages/web/src/lib/call"),
      loader: "ts",
    },
    bundle: true,
    format: "iife",
    globalName: "AsyncsnsCall",
    platform: "browser",
    write: false,
    alias: { "simple-peer": SIMPLE_PEER },
    define: { "process.env.NEXT_PUBLIC_ASYNCSNS_FORCE_RELAY": '"1"' },
    logLevel: "silent",
  });
  return out.outputFiles[0]!.text;
}

/** A signed-in participant's page: the app's call code, its WebSocket, and every event it received. */
async function participantPage(
  context: BrowserContext,
  origin: string,
  wsUrl: string,
  token: string,
  appCall: string,
) {
  const page = await preparedPage(context, origin);
  await page.addScriptTag({ content: appCall });
  await page.evaluate(
    ({ wsUrl, token }) =>
      new Promise<void>((resolve, reject) => {
        type Frame = { type: string; data: { call?: { id: string }; callId?: string; data?: unknown } };
        const w = window as unknown as {
          bench: { ws: WebSocket; token: string; frames: Frame[]; listeners: Set<(f: Frame) => void> };
        };
        const ws = new WebSocket(`${wsUrl}?token=${encodeURIComponent(token)}`);
        w.bench = { ws, token, frames: [], listeners: new Set() };
        ws.onmessage = (m) => {
          const frame = JSON.parse(String(m.data)) as Frame;
          w.bench.frames.push(frame);
          for (const l of w.bench.listeners) l(frame);
        };
        ws.onopen = () => resolve();
        ws.onerror = () => reject(new Error("WebSocket failed"));
      }),
    { wsUrl, token },
  );
  return page;
}

/** What the app's call code gives a page: `window.AsyncsnsCall` (see appCallBundle). */
type AppCall = {
  CallPeer: new (options: {
    initiator: boolean;
    iceServers: unknown;
    video: boolean;
    stream: MediaStream | null;
    handlers: Record<string, (x?: unknown) => void>;
  }) => {
    signal(d: unknown): void;
    attachMedia(stream: MediaStream): void;
    destroy(): void;
    readonly pc: RTCPeerConnection;
  };
  SignalGate: new () => { push(d: unknown): unknown[]; open(): unknown[]; readonly opened: boolean };
  collapseHeld(held: unknown[], now: RTCSessionDescription | null): unknown[];
  batchFrames(signals: unknown[]): unknown[];
  unbatch(frame: unknown): unknown[];
};

/**
 * The callee's side of one call, as the app's call provider does it with the app's CallPeer: on `call.ringing` its
 * peer starts at once with the ring's credentials (no media yet); it gets the camera's tracks and accepts (at once:
 * the worst case, a person takes seconds), its signals held until the accept's answer; then it answers the caller's
 * offer. Resolves with the epoch times (ms) of its steps.
 */
function calleeSide(page: Page, answerAfterMs = 0) {
  return page.evaluate(
    ({ timeoutMs, answerAfterMs }) =>
      new Promise<Marks>((resolve, reject) => {
        type Frame = {
          type: string;
          data: { call?: { id: string }; callId?: string; data?: unknown; iceServers?: unknown[] };
        };
        const w = window as unknown as {
          AsyncsnsCall: AppCall;
          benchStream: MediaStream;
          benchPeer?: { destroy(): void };
          bench: { ws: WebSocket; token: string; frames: Frame[]; listeners: Set<(f: Frame) => void> };
        };
        const { bench } = w;
        const { CallPeer, SignalGate, collapseHeld, batchFrames, unbatch } = w.AsyncsnsCall;
        const gate = new SignalGate();
        const quiet = {
          stream: () => {},
          remoteState: () => {},
          bye: () => {},
          ice: () => {},
          close: () => {},
        };
        let callId: string | undefined;
        let peer: InstanceType<AppCall["CallPeer"]> | undefined;
        const early: unknown[] = [];
        const marks: Record<string, number> = {};
        const mark = (name: string) => {
          marks[name] ??= performance.timeOrigin + performance.now();
        };
        const timer = setTimeout(() => {
          bench.listeners.delete(listener);
          reject(new Error("callee: no connect in time"));
        }, timeoutMs);
        const send = (id: string, data: unknown) =>
          bench.ws.send(JSON.stringify({ action: "call.signal", callId: id, data }));
        const begin = (id: string, iceServers: unknown) => {
          mark("calleePeer");
          const made = new CallPeer({
            initiator: false,
            iceServers,
            video: true,
            stream: null,
            handlers: {
              signal: (data) => {
                const signals = unbatch(data) as { type?: string; candidate?: unknown }[];
                if (signals.some((d) => d.type === "answer")) mark("calleeAnswerSent");
                if (signals.some((d) => d.candidate)) mark("calleeCandidateSent");
                for (const out of gate.push(data)) send(id, out);
              },
              connect: () => {
                clearTimeout(timer);
                bench.listeners.delete(listener);
                mark("calleeConnected");
                resolve(marks);
              },
              error: (e) => reject(e),
              ...quiet,
            },
          });
          peer = made;
          w.benchPeer = made;
          // The caller's offer may have come in before the peer existed.
          for (const d of early.splice(0)) made.signal(d);
        };
        const accept = async (id: string, ringIceServers: unknown[] | undefined) => {
          if (ringIceServers?.length) begin(id, ringIceServers);
          // A person takes a moment to answer (0: the worst case, an answer at once).
          if (answerAfterMs > 0) await new Promise((r) => setTimeout(r, answerAfterMs));
          mark("calleeAcceptClicked");
          // As the app's accept: the camera's tracks join the peer made at the ring, then the POST.
          peer?.attachMedia(w.benchStream);
          const res = await fetch(`/api/calls/${id}/accept`, {
            method: "POST",
            headers: { authorization: `Bearer ${bench.token}` },
          });
          if (res.status !== 200) throw new Error(`accept: ${res.status} ${await res.text()}`);
          const { iceServers, signals } = (await res.json()) as { iceServers: unknown; signals?: unknown[] };
          mark("calleeAccepted");
          if (signals?.length) mark("calleeHeldSignals");
          // The caller's signals held while it rang, ahead of anything relayed (the peer orders candidates).
          if (peer) for (const d of signals ?? []) peer.signal(d);
          else {
            early.push(...(signals ?? []));
            begin(id, iceServers);
            peer!.attachMedia(w.benchStream);
          }
          // As the app's armAccepted: what the peer said before the accept's answer goes now.
          const held = collapseHeld(gate.open().flatMap(unbatch), peer!.pc.localDescription);
          for (const frame of batchFrames(held)) send(id, frame);
        };
        const listener = (f: Frame) => {
          if (f.type === "call.ringing" && !callId && f.data.call) {
            callId = f.data.call.id;
            mark("calleeRinging");
            accept(callId, f.data.iceServers).catch(reject);
          } else if (f.type === "call.signal" && f.data.callId === callId) {
            mark("calleeFirstSignal");
            if (peer) peer.signal(f.data.data);
            else early.push(f.data.data);
          }
        };
        bench.listeners.add(listener);
      }),
    { timeoutMs: CONNECT_TIMEOUT_MS, answerAfterMs },
  );
}

/**
 * The caller's side, as the app's call provider does it with the app's CallPeer: POST /api/calls, the initiator
 * peer with the answered ICE servers at once (its offer and relay candidates made while the call rings), its signals
 * held until `call.accepted` and then sent, collapsed into the offer as it is then. Resolves with the epoch times
 * (ms) of its steps and the call id.
 */
function callerSide(page: Page, handle: string) {
  return page.evaluate(
    ({ handle, timeoutMs }) =>
      new Promise<{ marks: Marks; callId: string }>((resolve, reject) => {
        type Frame = { type: string; data: { call?: { id: string }; callId?: string; data?: unknown } };
        const w = window as unknown as {
          AsyncsnsCall: AppCall;
          benchStream: MediaStream;
          benchPeer?: { destroy(): void };
          bench: { ws: WebSocket; token: string; frames: Frame[]; listeners: Set<(f: Frame) => void> };
        };
        const { bench } = w;
        const { CallPeer, SignalGate, collapseHeld, batchFrames, unbatch } = w.AsyncsnsCall;
        const gate = new SignalGate();
        const quiet = {
          stream: () => {},
          remoteState: () => {},
          bye: () => {},
          ice: () => {},
          close: () => {},
        };
        let callId: string | undefined;
        let iceServers: unknown;
        let peer: InstanceType<AppCall["CallPeer"]> | undefined;
        const seen: Frame[] = [];
        let accepted = false;
        // As the app's armAccepted: the held offer (candidates gathered meanwhile in its SDP) goes once accepted.
        const flush = () => {
          if (!accepted || !peer || gate.opened) return;
          mark("callerHeldSent");
          const held = collapseHeld(gate.open().flatMap(unbatch), peer.pc.localDescription);
          for (const frame of batchFrames(held)) send(frame);
        };
        const marks: Record<string, number> = {};
        const mark = (name: string) => {
          marks[name] ??= performance.timeOrigin + performance.now();
        };
        const timer = setTimeout(() => {
          bench.listeners.delete(listener);
          reject(new Error("caller: no connect in time"));
        }, timeoutMs);
        const send = (data: unknown) =>
          bench.ws.send(JSON.stringify({ action: "call.signal", callId, data }));
        const start = () => {
          if (peer || !iceServers || !callId) return;
          const id = callId;
          const made = new CallPeer({
            initiator: true,
            iceServers,
            video: true,
            stream: w.benchStream,
            handlers: {
              signal: (data) => {
                mark("callerSignalReady");
                for (const out of gate.push(data)) send(out);
              },
              connect: () => {
                clearTimeout(timer);
                bench.listeners.delete(listener);
                mark("callerConnected");
                resolve({ marks, callId: id });
              },
              error: (e) => reject(e),
              ...quiet,
            },
          });
          peer = made;
          w.benchPeer = made;
          flush();
          // As the app's provider while it rings: the offer goes to the server (held for the accept) once its
          // candidates are in, or after a second.
          const release = () => {
            if (gate.opened || w.benchPeer !== made) return;
            mark("callerReleasedWhileRinging");
            const held = collapseHeld(gate.open().flatMap(unbatch), made.pc.localDescription);
            for (const frame of batchFrames(held)) send(frame);
          };
          made.pc.addEventListener("icegatheringstatechange", () => {
            if (made.pc.iceGatheringState === "complete") release();
          });
          setTimeout(release, 1_000);
        };
        const handle_ = (f: Frame) => {
          if (f.type === "call.accepted" && f.data.call?.id === callId) {
            mark("callerAccepted");
            accepted = true;
            start();
            flush();
          } else if (f.type === "call.signal" && f.data.callId === callId) {
            mark("callerFirstSignal");
            const got = w.AsyncsnsCall.unbatch(f.data.data) as { candidate?: unknown; sdp?: string }[];
            if (got.some((d) => d.candidate || d.sdp?.includes("a=candidate:")))
              mark("callerFirstRemoteCandidate");
            peer?.signal(f.data.data);
          }
        };
        // Events that arrive before the POST's answer names the call are replayed once it does.
        const listener = (f: Frame) => (callId ? handle_(f) : seen.push(f));
        bench.listeners.add(listener);
        mark("posted");
        fetch("/api/calls", {
          method: "POST",
          headers: { authorization: `Bearer ${bench.token}`, "content-type": "application/json" },
          body: JSON.stringify({ handle, kind: "video" }),
        })
          .then(async (res) => {
            if (res.status !== 201) throw new Error(`POST /api/calls: ${res.status} ${await res.text()}`);
            const body = (await res.json()) as { call: { id: string; state: string }; iceServers: unknown };
            callId = body.call.id;
            mark("postAnswered");
            iceServers = body.iceServers;
            if (body.call.state === "accepted") accepted = true;
            start();
            for (const f of seen.splice(0)) handle_(f);
          })
          .catch((e) => {
            clearTimeout(timer);
            bench.listeners.delete(listener);
            reject(e);
          });
      }),
    { handle, timeoutMs: CONNECT_TIMEOUT_MS },
  );
}

const destroyPeer = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as { benchPeer?: { destroy(): void } };
    w.benchPeer?.destroy();
    w.benchPeer = undefined;
  });

async function main() {
  const dataDir = await mkdtemp(join(tmpdir(), "asyncsns-bench-calls-"));
  const started = performance.now();
  const cloud: LocalCloud = await startLocalCloud({
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
  });
  log(`local cloud up in ${((performance.now() - started) / 1000).toFixed(1)} s at ${cloud.urls.webUrl}`);
  let browser: Browser | undefined;
  const figures: Record<string, unknown> = {};
  try {
    const origin = new URL(cloud.urls.apiUrl).origin;
    browser = await chromium.launch({ executablePath: args.chromium, args: FAKE_MEDIA });
    log(`Chromium ${browser.version()}; TURN ${cloud.urls.turn?.urls.join(", ")}; relay-only`);

    // ---- floor: raw simple-peer, two peers in one page, credentials fetched before the clock starts ----
    const iceFor = await floorCredentials(cloud);
    const floorContext = await browser.newContext();
    const floorPage = await preparedPage(floorContext, origin);
    const floor: number[] = [];
    let floorFailed = 0;
    let floorDirect = 0;
    for (let i = 0; i < WARMUP + FLOOR && Date.now() < deadline; i++) {
      const [a, b] = await Promise.all([iceFor(`floor-a-${i}`), iceFor(`floor-b-${i}`)]);
      try {
        const { ms, relay } = await floorOnce(floorPage, a!, b!);
        if (!relay) {
          floorDirect++;
          log(`floor ${i}: the selected pair is not relayed`);
        }
        if (i >= WARMUP) floor.push(ms);
      } catch (error) {
        if (i >= WARMUP) floorFailed++;
        log(`floor ${i}: ${String(error)}`);
      }
    }
    await floorContext.close();
    if (floorDirect) throw new Error(`floor: ${floorDirect} connection(s) did not go through the relay`);
    figures.floor = figure(floor, floorFailed);
    log(
      `floor: ${floor.length} connects, p50 ${fmt(percentile(floor, 50))}, p95 ${fmt(percentile(floor, 95))}`,
    );

    // ---- measured: two signed-in users who follow each other, through the Call API and the WebSocket ----
    const { apiUrl, wsUrl, cognito } = cloud.urls;
    const idp = cognitoClient(cognito);
    const run = Date.now().toString(36);
    const api = (token: string, method: string, path: string, body?: unknown) =>
      fetch(`${apiUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body ? { "content-type": "application/json" } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(30_000),
      });
    const [caller, callee] = await Promise.all(
      [0, 1].map(async (i) => {
        const { token } = await cognitoUser(cognito, { email: `call-${run}-${i}@example.com`, client: idp });
        const handle = `c${run}${i}`.slice(0, 20);
        const res = await api(token, "POST", "/me", { handle, displayName: `Bench caller ${i}` });
        if (res.status !== 201) throw new Error(`POST /me: ${res.status} ${await res.text()}`);
        return { token, handle };
      }),
    );
    const pairs: [typeof caller, typeof caller][] = [
      [caller, callee],
      [callee, caller],
    ];
    for (const [a, b] of pairs) {
      const res = await api(a!.token, "POST", `/users/${b!.handle}/follow`);
      if (!res.ok) throw new Error(`follow: ${res.status} ${await res.text()}`);
    }
    const probe = await api(caller!.token, "GET", "/calls");
    if (probe.status === 404) {
      log("the Call API (GET /api/calls) is not in this build: measured part skipped, floor only");
      figures.measured = null;
    } else {
      const callerContext = await browser.newContext();
      const calleeContext = await browser.newContext();
      const appCall = await appCallBundle();
      const callerPage = await participantPage(callerContext, origin, wsUrl, caller!.token, appCall);
      const calleePage = await participantPage(calleeContext, origin, wsUrl, callee!.token, appCall);
      // The signal route's workers, started before anything is counted: a burst of signals for no call (each
      // refused) needs as many at once as a call's signals can, as a deployed stage keeps warm ones around.
      await Promise.all(
        [callerPage, calleePage].map((page) =>
          page.evaluate(
            (n) =>
              new Promise<void>((resolve) => {
                const { bench } = window as unknown as {
                  bench: { ws: WebSocket; listeners: Set<(f: { type: string }) => void> };
                };
                let refused = 0;
                const listener = (f: { type: string }) => {
                  if (f.type === "system.error" && ++refused === n) done();
                };
                const done = () => {
                  bench.listeners.delete(listener);
                  resolve();
                };
                bench.listeners.add(listener);
                setTimeout(done, 5_000);
                for (let i = 0; i < n; i++)
                  bench.ws.send(JSON.stringify({ action: "call.signal", callId: `warm-${i}`, data: {} }));
              }),
            SIGNAL_WORKERS,
          ),
        ),
      );
      /** One call, its steps' epoch times; the callee answers `answerAfterMs` after its ring. */
      const oneCall = async (answerAfterMs: number): Promise<Marks> => {
        const calleeDone = calleeSide(calleePage, answerAfterMs);
        let callId: string | undefined;
        try {
          const [callerResult, calleeMarks] = await Promise.all([
            callerSide(callerPage, callee!.handle),
            calleeDone,
          ]);
          callId = callerResult.callId;
          return { ...callerResult.marks, ...calleeMarks };
        } catch (error) {
          await calleeDone.catch(() => {});
          throw error;
        } finally {
          await Promise.all([destroyPeer(callerPage), destroyPeer(calleePage)]);
          if (callId) {
            const res = await api(caller!.token, "POST", `/calls/${callId}/hangup`, { reason: "hangup" });
            if (res.status !== 200) log(`hangup ${callId}: ${res.status} ${await res.text()}`);
          }
          // The callee's "call.ended" and the peers' sockets settle before the next call rings.
          await sleep(200);
        }
      };
      const connectedAt = (m: Marks) => Math.max(m.callerConnected!, m.calleeConnected!);
      // And the Call function's: a ring's accept can come while the POST that rang is still finishing.
      await Promise.all(
        Array.from({ length: 2 * CALL_WORKERS }, (_, i) =>
          api(i % 2 ? caller!.token : callee!.token, "GET", "/calls"),
        ),
      );
      const measured: number[] = [];
      const warm: number[] = [];
      const phases: Record<string, number[]> = {};
      let failed = 0;
      for (let i = 0; i < WARMUP + CALLS && Date.now() < deadline; i++) {
        try {
          const marks = await oneCall(0);
          const t0 = marks.posted!;
          const total = connectedAt(marks) - t0;
          if (i < WARMUP) warm.push(total);
          else {
            measured.push(total);
            for (const [name, at] of Object.entries(marks)) phases[name] = [...(phases[name] ?? []), at - t0];
          }
        } catch (error) {
          if (i >= WARMUP) failed++;
          log(`call ${i}${i < WARMUP ? " (warm-up)" : ""}: ${String(error)}`);
        }
      }
      // A person answers after a pause: both peers and the caller's offer (held by the server) are ready by then,
      // so what is left is the accept, one relayed answer and ICE.
      const human: number[] = [];
      let humanFailed = 0;
      for (let i = 0; i < HUMAN && Date.now() < deadline; i++) {
        try {
          const marks = await oneCall(ANSWER_AFTER_MS);
          if (!marks.calleeHeldSignals) log(`human call ${i}: the accept's answer held no signals`);
          human.push(connectedAt(marks) - marks.calleeAcceptClicked!);
        } catch (error) {
          humanFailed++;
          log(`human call ${i}: ${String(error)}`);
        }
      }
      figures.acceptToConnect = { answerAfterMs: ANSWER_AFTER_MS, ...figure(human, humanFailed) };
      log(
        `answered after ${ANSWER_AFTER_MS} ms: ${human.length} calls, accept → both connect p50 ${fmt(percentile(human, 50))}, p95 ${fmt(percentile(human, 95))}`,
      );
      await callerContext.close();
      await calleeContext.close();
      figures.measured = figure(measured, failed);
      figures.measuredWarmUp = warm.map((x) => Math.round(x));
      // Where a call's time goes: each step's p50, ms after the POST.
      const steps = Object.fromEntries(
        Object.entries(phases)
          .map(([name, xs]) => [name, Math.round(percentile(xs, 50))] as const)
          .sort((a, b) => a[1] - b[1]),
      );
      figures.measuredSteps = steps;
      log(`measured warm-up call(s), not counted: ${warm.map(fmt).join(", ") || "none"}`);
      log(
        `measured: ${measured.length} calls, p50 ${fmt(percentile(measured, 50))}, p95 ${fmt(percentile(measured, 95))}`,
      );
      log(`measured steps, p50 ms after the POST: ${JSON.stringify(steps)}`);
    }

    const f = figures.floor as Figure;
    const m = figures.measured as Figure | null;
    const ratio = m ? { p50: m.p50 / f.p50, p95: m.p95 / f.p95 } : null;
    figures.ratio = ratio;
    // The machine's load over the last minute when the run ended: figures from a busy machine compare badly.
    figures.loadAverage = loadavg().map((x) => Math.round(x * 100) / 100);
    figures.target = "measured ≤ 1.5 × floor";
    console.log("");
    console.table([
      {
        figure: "floor: raw simple-peer, in-process signals",
        n: f.n,
        failed: f.failed,
        p50: fmt(f.p50),
        p95: fmt(f.p95),
      },
      ...(m
        ? [
            {
              figure: "POST /api/calls → both peers connect",
              n: m.n,
              failed: m.failed,
              p50: fmt(m.p50),
              p95: fmt(m.p95),
            },
            {
              figure: "ratio (target ≤ 1.5×)",
              n: "",
              failed: "",
              p50: `${ratio!.p50.toFixed(2)}×`,
              p95: `${ratio!.p95.toFixed(2)}×`,
            },
          ]
        : []),
    ]);
    const outDir = join(root, ".asyncsns", "bench");
    await mkdir(outDir, { recursive: true });
    await writeFile(join(outDir, "calls.json"), `${JSON.stringify(figures, null, 2)}\n`);
    log(`load average (1, 5, 15 min): ${(figures.loadAverage as number[]).join(", ")}`);
    log(`wrote ${join(outDir, "calls.json")}`);
  } finally {
    await browser?.close();
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
