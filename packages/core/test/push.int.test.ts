// The Web Push sender against DynamoDB Local and the local cloud's push service, with the cloud's own VAPID keys:
// what a device receives decrypts to the payload with the right headers; gone devices are dropped; busy ones retry
// without a second push to the devices that already took it.

import { createHash, randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { useLocalTable } from "../../../tests/support/in-process-core";

interface Device {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}
interface Received {
  receivedAt: number;
  ttl: number;
  urgency: string;
  topic: string | null;
  payload: unknown;
  bytes: number;
}

const SUBJECT = "mailto:int@asyncsns.example";
let pushUrl: string;
let vapid: { publicKey: string; privateKey: string };
// Imported after the env is set: Resource reads it at load, as in a Lambda.
let Push: typeof import("../src/push").Push;
let PushDeliveryEntity: typeof import("../src/push/push.entity").PushDeliveryEntity;

beforeAll(async () => {
  useLocalTable();
  const cloud = inject("localCloud");
  const dataDir = inject("localDataDir");
  pushUrl = cloud.push!.url;
  vapid = JSON.parse(await readFile(join(dataDir, "vapid.json"), "utf8"));
  // What a function linked to Push gets from the local cloud (infra/push.ts).
  process.env.SST_RESOURCE_Push = JSON.stringify({
    publicKey: vapid.publicKey,
    privateKey: vapid.privateKey,
    subject: SUBJECT,
    insecureOrigins: pushUrl,
    type: "sst.Linkable",
  });
  ({ Push } = await import("../src/push"));
  ({ PushDeliveryEntity } = await import("../src/push/push.entity"));
});

/** A browser's pushManager.subscribe() with the app's public key, against the local push service. */
async function device(): Promise<Device> {
  const res = await fetch(`${pushUrl}/subscriptions`, {
    method: "POST",
    body: JSON.stringify({ applicationServerKey: vapid.publicKey }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as Device;
}

const received = async (d: Device) =>
  ((await (await fetch(`${d.endpoint}/received`)).json()) as { items: Received[] }).items;

const failNext = async (d: Device, status: number, times: number) => {
  const res = await fetch(`${d.endpoint}/fail`, { method: "POST", body: JSON.stringify({ status, times }) });
  expect(res.status).toBe(204);
};

const user = () => `int-push-${randomUUID()}`;
const opts = { urgency: "high" as const, ttl: 3600, topic: "post.reply:pst_01" };

describe("the local cloud's Web Push settings", () => {
  it("serves the VAPID public key in /config.json and the push service in local.json", async () => {
    const cloud = inject("localCloud");
    const config = (await (await fetch(new URL("/config.json", cloud.webUrl))).json()) as Record<
      string,
      unknown
    >;
    expect(config.vapidPublicKey).toBe(vapid.publicKey);
    const local = JSON.parse(await readFile(join(inject("localDataDir"), "local.json"), "utf8"));
    expect(local.push).toEqual({ url: pushUrl });
  });
});

describe("Push.subscribe", () => {
  it("stores one subscription per endpoint, however often the browser registers it", async () => {
    const id = user();
    const d = await device();
    await Push.subscribe(id, d);
    await Push.subscribe(id, d);
    expect(await Push.subscriptions(id)).toEqual([d]);
    await Push.unsubscribe(id, d.endpoint);
    await Push.unsubscribe(id, d.endpoint);
    expect(await Push.subscriptions(id)).toEqual([]);
  });

  it("takes plain http only from the push service the stage lists", async () => {
    const d = await device();
    expect(() => Push.checkEndpoint(d.endpoint)).not.toThrow();
    const elsewhere = d.endpoint.replace(/:\d+\//, ":1/");
    await expect(Push.subscribe(user(), { ...d, endpoint: elsewhere })).rejects.toMatchObject({
      code: "push.endpoint_invalid",
    });
    await expect(Push.subscribe(user(), { ...d, keys: { ...d.keys, auth: "AAAA" } })).rejects.toMatchObject({
      code: "push.keys_invalid",
    });
  });

  it("keeps a browser with the account that registered it last", async () => {
    const [first, second] = [user(), user()];
    const shared = await device();
    await Push.subscribe(first, shared);
    await Push.subscribe(second, shared);
    expect(await Push.subscriptions(first)).toEqual([]);
    expect(await Push.subscriptions(second)).toEqual([shared]);
  });

  it(`keeps a user's ${20} most recently registered devices`, async () => {
    const id = user();
    const devices: Device[] = [];
    for (let i = 0; i < Push.MAX_DEVICES + 1; i++) {
      devices.push(await device());
      await Push.subscribe(id, devices[i]!);
    }
    const kept = await Push.subscriptions(id);
    expect(kept).toHaveLength(Push.MAX_DEVICES);
    expect(kept.map((d) => d.endpoint)).not.toContain(devices[0]!.endpoint);
    expect(kept.map((d) => d.endpoint)).toContain(devices[Push.MAX_DEVICES]!.endpoint);
  });
});

describe("Push.send", () => {
  it("delivers an encrypted push that decrypts to the payload, with TTL, Urgency and a hashed Topic", async () => {
    const id = user();
    const [phone, laptop] = [await device(), await device()];
    await Push.subscribe(id, phone);
    await Push.subscribe(id, laptop);
    const payload = { type: "post.reply", title: "Aki replied", body: "こんにちは", url: "/p/?id=pst_01" };
    expect(await Push.send(id, payload, opts)).toEqual({ sent: 2, removed: 0, failed: 0, skipped: 0 });
    for (const d of [phone, laptop]) {
      expect(await received(d)).toEqual([
        {
          receivedAt: expect.any(Number),
          ttl: 3600,
          urgency: "high",
          topic: Push.topicOf(opts.topic),
          payload,
          bytes: expect.any(Number),
        },
      ]);
    }
  });

  it("sends nothing to a user without devices", async () => {
    expect(await Push.send(user(), { a: 1 }, opts)).toEqual({ sent: 0, removed: 0, failed: 0, skipped: 0 });
  });

  it("deletes the subscription whose push service answers 410 (the browser unsubscribed)", async () => {
    const id = user();
    const [gone, kept] = [await device(), await device()];
    await Push.subscribe(id, gone);
    await Push.subscribe(id, kept);
    expect((await fetch(gone.endpoint, { method: "DELETE" })).status).toBe(204);
    expect(await Push.send(id, { n: 1 }, opts)).toEqual({ sent: 1, removed: 1, failed: 0, skipped: 0 });
    expect(await Push.subscriptions(id)).toEqual([kept]);
  });

  it("throws PushRetryable on 429 and 5xx after trying every device; the retry skips the ones that took it", async () => {
    const id = user();
    const [ok, busy, broken] = [await device(), await device(), await device()];
    for (const d of [ok, busy, broken]) await Push.subscribe(id, d);
    await failNext(busy, 429, 1);
    await failNext(broken, 503, 1);
    const dedupeKey = `evt_${randomUUID()}`;

    const error = await Push.send(id, { n: 1 }, { ...opts, dedupeKey }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Push.PushRetryable);
    expect(error).toMatchObject({ retryable: 2, result: { sent: 1, removed: 0, failed: 0, skipped: 0 } });
    expect(await received(ok)).toHaveLength(1);
    expect(await received(busy)).toHaveLength(0);

    // The queue redelivers the same message: only the two that refused get it now.
    expect(await Push.send(id, { n: 1 }, { ...opts, dedupeKey })).toEqual({
      sent: 2,
      removed: 0,
      failed: 0,
      skipped: 1,
    });
    expect(await Push.send(id, { n: 1 }, { ...opts, dedupeKey })).toMatchObject({ sent: 0, skipped: 3 });
    for (const d of [ok, busy, broken]) expect(await received(d)).toHaveLength(1);
    // Without a key every send pushes again.
    await Push.send(id, { n: 2 }, opts);
    expect(await received(ok)).toHaveLength(2);

    // The markers expire with the table's TTL, a day on.
    const markers = await PushDeliveryEntity.query
      .byKey({ dedupeHash: createHash("sha256").update(dedupeKey).digest("hex") })
      .go();
    expect(markers.data).toHaveLength(3);
    for (const m of markers.data)
      expect(m.expireAt - Date.now() / 1000).toBeGreaterThan(Push.DEDUPE_TTL_SECONDS - 60);
  });

  it("counts a push refused for good (400, 403, 413) as failed, keeps the device and does not throw", async () => {
    const id = user();
    const d = await device();
    await Push.subscribe(id, d);
    await failNext(d, 403, 1);
    expect(await Push.send(id, { n: 1 }, opts)).toEqual({ sent: 0, removed: 0, failed: 1, skipped: 0 });
    expect(await Push.subscriptions(id)).toEqual([d]);
  });

  it("refuses a payload over 3 KB before pushing anything: the caller must trim it", async () => {
    const id = user();
    const d = await device();
    await Push.subscribe(id, d);
    const big = { body: "x".repeat(Push.MAX_PAYLOAD_BYTES) };
    await expect(Push.send(id, big, opts)).rejects.toMatchObject({ code: "push.payload_too_large" });
    // Multi-byte text counts in bytes, not characters.
    const japanese = { body: "あ".repeat(1100) };
    await expect(Push.send(id, japanese, opts)).rejects.toMatchObject({ code: "push.payload_too_large" });
    expect(await received(d)).toEqual([]);
    const fits = { body: "x".repeat(Push.MAX_PAYLOAD_BYTES - 20) };
    expect(await Push.send(id, fits, opts)).toMatchObject({ sent: 1 });
    expect((await received(d))[0]!.payload).toEqual(fits);
  });
});
