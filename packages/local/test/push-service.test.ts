// The local push service against the real `web-push` sender: what it decrypts, which VAPID tokens it takes.
import { createECDH, randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import webpush from "web-push";
import { PUSH_SECRETS as APP_PUSH_SECRETS } from "../../core/src/push/names";
import { loadVapidKeys, PUSH_SECRETS } from "../src/push-secrets";
import {
  decryptPush,
  type ReceivedPush,
  type RunningPushService,
  startPushService,
  verifyVapid,
} from "../src/standins/push-service";

const SUBJECT = "mailto:test@asyncsns.example";
const vapid = webpush.generateVAPIDKeys();
const now = () => Math.floor(Date.now() / 1000);

/** A user agent's subscription keys, made as a browser makes them. */
function userAgent() {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  const auth = randomBytes(16);
  return {
    ecdh,
    auth,
    keys: { p256dh: ecdh.getPublicKey().toString("base64url"), auth: auth.toString("base64url") },
  };
}

const authorization = (audience: string, keys = vapid, exp?: number) =>
  webpush.getVapidHeaders(audience, SUBJECT, keys.publicKey, keys.privateKey, "aes128gcm", exp).Authorization;

describe("decryptPush (RFC 8291 + RFC 8188)", () => {
  it("gives back what web-push encrypted for the subscription", () => {
    const ua = userAgent();
    const payload = JSON.stringify({ title: "こんにちは", n: 1, pad: "x".repeat(2900) });
    const request = webpush.generateRequestDetails(
      { endpoint: "https://push.example.com/x", keys: ua.keys },
      payload,
      {
        vapidDetails: { subject: SUBJECT, ...vapid },
      },
    );
    expect(request.headers["Content-Encoding"]).toBe("aes128gcm");
    expect(decryptPush(request.body!, ua).toString("utf8")).toBe(payload);
  });

  it("refuses a body altered in transit or meant for another subscription", () => {
    const ua = userAgent();
    const { body } = webpush.generateRequestDetails(
      { endpoint: "https://push.example.com/x", keys: ua.keys },
      "{}",
    );
    const tampered = Buffer.from(body!);
    tampered[tampered.length - 1]! ^= 1;
    expect(() => decryptPush(tampered, ua)).toThrow(/decryption failed/);
    expect(() => decryptPush(body!, userAgent())).toThrow(/decryption failed/);
  });
});

describe("verifyVapid (RFC 8292)", () => {
  const audience = "http://127.0.0.1:4000";

  it("accepts a token web-push signs for the endpoint's origin", () => {
    expect(verifyVapid(authorization(audience), { audience })).toEqual({ sub: SUBJECT });
  });

  it("refuses another audience, an expired token, one over 24 h and a missing header", () => {
    expect(() => verifyVapid(authorization("https://other.example"), { audience })).toThrow(/aud/);
    expect(() => verifyVapid(authorization(audience, vapid, now() - 5), { audience })).toThrow(/expired/);
    // Signed now for 12 h, checked as of a day ago: 36 h ahead.
    expect(() => verifyVapid(authorization(audience), { audience, now: now() - 24 * 3600 })).toThrow(
      /24 hours/,
    );
    expect(() => verifyVapid(undefined, { audience })).toThrow(/missing/);
  });

  it("refuses a token whose k is not the key that signed it", () => {
    const other = webpush.generateVAPIDKeys();
    const forged = authorization(audience).replace(/k=[^,\s]+/, `k=${other.publicKey}`);
    expect(() => verifyVapid(forged, { audience })).toThrow(/signature/);
  });

  it("answers 403 when k is not the applicationServerKey the subscription was made with", () => {
    const other = webpush.generateVAPIDKeys();
    try {
      verifyVapid(authorization(audience, other), {
        audience,
        applicationServerKey: Buffer.from(vapid.publicKey, "base64url"),
      });
      expect.unreachable();
    } catch (err) {
      expect((err as { status: number }).status).toBe(403);
    }
  });
});

describe("the push service over HTTP", () => {
  let service: RunningPushService;
  beforeAll(async () => {
    service = await startPushService();
  });
  afterAll(() => service?.stop());

  const subscribe = async (applicationServerKey?: string) => {
    const res = await fetch(`${service.endpoint}/subscriptions`, {
      method: "POST",
      body: JSON.stringify(applicationServerKey ? { applicationServerKey } : {}),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as { endpoint: string; keys: { p256dh: string; auth: string } };
  };

  const push = (
    sub: { endpoint: string; keys: { p256dh: string; auth: string } },
    payload: string,
    options: webpush.RequestOptions = {},
    drop: string[] = [],
  ) => {
    const request = webpush.generateRequestDetails(sub, payload, {
      vapidDetails: { subject: SUBJECT, ...vapid },
      ...options,
    });
    const headers = Object.fromEntries(
      Object.entries(request.headers)
        .filter(([name]) => name !== "Content-Length" && !drop.includes(name))
        .map(([k, v]) => [k, String(v)]),
    );
    return fetch(sub.endpoint, { method: "POST", headers, body: new Uint8Array(request.body!) });
  };

  const received = async (endpoint: string) =>
    ((await (await fetch(`${endpoint}/received`)).json()) as { items: ReceivedPush[] }).items;

  it("hands out subscriptions a browser would, and records each push decrypted with its headers", async () => {
    const sub = await subscribe(vapid.publicKey);
    expect(sub.endpoint).toMatch(new RegExp(`^${service.endpoint}/push/[0-9a-f-]{36}$`));
    expect(Buffer.from(sub.keys.p256dh, "base64url")).toHaveLength(65);
    expect(Buffer.from(sub.keys.auth, "base64url")).toHaveLength(16);

    const res = await push(sub, JSON.stringify({ type: "post.like", url: "/p/?id=1" }), {
      TTL: 600,
      urgency: "low",
      topic: "abc_DEF-123",
    });
    expect(res.status).toBe(201);
    expect(await received(sub.endpoint)).toEqual([
      {
        receivedAt: expect.any(Number),
        ttl: 600,
        urgency: "low",
        topic: "abc_DEF-123",
        payload: { type: "post.like", url: "/p/?id=1" },
        bytes: expect.any(Number),
      },
    ]);
  });

  it("refuses a push without TTL (400), without VAPID (401) or signed by another server (403)", async () => {
    const sub = await subscribe(vapid.publicKey);
    expect((await push(sub, "{}", {}, ["TTL"])).status).toBe(400);
    expect((await push(sub, "{}", {}, ["Authorization"])).status).toBe(401);
    const other = webpush.generateVAPIDKeys();
    const foreign = webpush.generateRequestDetails(sub, "{}", {
      vapidDetails: { subject: SUBJECT, ...other },
    });
    const res = await fetch(sub.endpoint, {
      method: "POST",
      headers: {
        TTL: "60",
        "Content-Encoding": "aes128gcm",
        Authorization: String(foreign.headers.Authorization),
      },
      body: new Uint8Array(foreign.body!),
    });
    expect(res.status).toBe(403);
    expect(await received(sub.endpoint)).toEqual([]);
  });

  it("answers 410 once the browser unsubscribed, and for an endpoint it never issued", async () => {
    const sub = await subscribe();
    expect((await fetch(sub.endpoint, { method: "DELETE" })).status).toBe(204);
    expect((await push(sub, "{}")).status).toBe(410);
    expect((await push({ ...sub, endpoint: `${service.endpoint}/push/unknown` }, "{}")).status).toBe(410);
  });

  it("answers the injected status the given number of times, then accepts again", async () => {
    const sub = await subscribe();
    const fail = await fetch(`${sub.endpoint}/fail`, {
      method: "POST",
      body: JSON.stringify({ status: 429, times: 2 }),
    });
    expect(fail.status).toBe(204);
    expect((await push(sub, '{"n":1}')).status).toBe(429);
    expect((await push(sub, '{"n":2}')).status).toBe(429);
    expect((await push(sub, '{"n":3}')).status).toBe(201);
    expect((await received(sub.endpoint)).map((p) => p.payload)).toEqual([{ n: 3 }]);
  });
});

describe("the local cloud's push secrets", () => {
  it("names the secrets infra/push.ts declares", () => {
    expect(PUSH_SECRETS).toEqual(APP_PUSH_SECRETS);
  });

  it("makes the VAPID key pair once per data dir and reuses it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "asyncsns-vapid-"));
    try {
      const first = await loadVapidKeys(dir);
      expect(Buffer.from(first.publicKey, "base64url")).toHaveLength(65);
      expect(await loadVapidKeys(dir)).toEqual(first);
      expect(JSON.parse(await readFile(join(dir, "vapid.json"), "utf8"))).toEqual(first);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
