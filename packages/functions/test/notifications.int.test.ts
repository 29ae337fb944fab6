// The notification pipeline on the local cloud, end to end: table write → stream → dispatcher → SNS (filter
// policy, raw delivery) → SQS (visibility, 5 receives, dead letters) → consumer → store, socket or Web Push.
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import type { NotificationItem } from "@asyncsns/realtime";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { useLocalTable } from "../../../tests/support/in-process-core";
import { createTestMember, type TestMember } from "../../../tests/support/test-user";

useLocalTable();
const { Push } = await import("@asyncsns/core/push");

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../../..");

interface Page {
  items: NotificationItem[];
  cursor: string | null;
  unread: number;
}
interface Received {
  items: { payload: Record<string, unknown>; urgency?: string; ttl?: number; topic?: string }[];
}

const cloud = () =>
  inject("localCloud") as ReturnType<typeof inject<"localCloud">> & { push: { url: string } };
const credentials = { accessKeyId: "local", secretAccessKey: "local" };

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  let last: T = await read();
  while (!ok(last)) {
    if (Date.now() > until) throw new Error(`not reached in ${ms} ms; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 150));
    last = await read();
  }
  return last;
}

const page = async (user: TestMember): Promise<Page> => {
  const res = await user.api("/notifications?limit=50");
  expect(res.status).toBe(200);
  return (await res.json()) as Page;
};

async function post(user: TestMember, text: string): Promise<string> {
  const res = await user.api("/posts", { method: "POST", body: JSON.stringify({ text }) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

/** A browser's push subscription, made by the local push service (it keeps the private key to decrypt). */
async function pushDevice(user: TestMember): Promise<{ endpoint: string; received(): Promise<Received> }> {
  const res = await fetch(`${cloud().push.url}/subscriptions`, { method: "POST", body: "{}" });
  expect(res.status).toBe(201);
  const sub = (await res.json()) as { endpoint: string; keys: { p256dh: string; auth: string } };
  const registered = await user.api("/push/subscriptions", { method: "POST", body: JSON.stringify(sub) });
  expect(registered.status).toBe(201);
  return {
    endpoint: sub.endpoint,
    received: async () => (await (await fetch(`${sub.endpoint}/received`)).json()) as Received,
  };
}

const sqs = () =>
  new SQSClient({ endpoint: cloud().sqs.endpoint, region: cloud().dynamodb.region, credentials });
async function depth(queue: string): Promise<number> {
  const { Attributes } = await sqs().send(
    new GetQueueAttributesCommand({
      QueueUrl: cloud().sqs.queues[queue],
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    }),
  );
  return (
    Number(Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}

/** Publishes an event to the topic as the dispatcher does: the same id twice is a redelivery. */
async function publish(event: Record<string, unknown>, type = String(event.type)) {
  const sns = new SNSClient({ endpoint: cloud().sns.endpoint, region: cloud().dynamodb.region, credentials });
  await sns.send(
    new PublishCommand({
      TopicArn: cloud().sns.topics.Notifications,
      Message: JSON.stringify(event),
      MessageAttributes: { type: { DataType: "String", StringValue: type } },
    }),
  );
}

describe("notifications from the table's stream", () => {
  let a: TestMember;
  let b: TestMember;
  beforeAll(async () => {
    [a, b] = await Promise.all([createTestMember("ntfa", "Aki"), createTestMember("ntfb", "Ben")]);
  });

  it("groups A's follow and likes of two posts into one row per post, newest first, with an exact unread count", async () => {
    const [p1, p2] = [await post(b, "first"), await post(b, "second")];
    // The queue is consumed by five batches at once: each action waits for its row, so the order is the actions'.
    const rows = (n: number) =>
      eventually(
        () => page(b),
        (p) => p.items.length >= n,
      );
    expect((await a.api(`/users/${b.handle}/follow`, { method: "POST" })).status).toBe(204);
    await rows(1);
    expect((await a.api(`/posts/${p1}/like`, { method: "POST" })).status).toBe(204);
    await rows(2);
    expect((await a.api(`/posts/${p2}/like`, { method: "POST" })).status).toBe(204);
    const got = await eventually(
      () => page(b),
      (p) => p.items.length >= 3,
    );
    expect(got.items.map((i) => [i.type, i.subject?.id ?? null, i.actorCount, i.read])).toEqual([
      ["post.like", p2, 1, false],
      ["post.like", p1, 1, false],
      ["follow", null, 1, false],
    ]);
    expect(got.items[0]!.actors.map((x) => x.handle)).toEqual([a.handle]);
    expect(got.unread).toBe(3);
    expect(await (await b.api("/notifications/unread")).json()).toEqual({ unread: 3 });
    // Nobody is notified of their own actions.
    await b.api(`/posts/${p1}/like`, { method: "POST" });
    const c = await createTestMember("ntfc", "Chie");
    await c.api(`/posts/${p1}/like`, { method: "POST" });
    const grouped = await eventually(
      () => page(b),
      (p) => p.items[0]?.actorCount === 2,
    );
    expect(grouped.items[0]).toMatchObject({
      type: "post.like",
      subject: { kind: "post", id: p1 },
      actorCount: 2,
    });
    expect(grouped.items[0]!.actors.map((x) => x.handle)).toEqual([c.handle, a.handle]);
    expect(grouped.items).toHaveLength(3);

    // Unlike retracts: the actor leaves the group, the count follows.
    await c.api(`/posts/${p1}/like`, { method: "DELETE" });
    await eventually(
      () => page(b),
      (p) => p.items.find((i) => i.subject?.id === p1)?.actorCount === 1,
    );
    await a.api(`/posts/${p2}/like`, { method: "DELETE" });
    const after = await eventually(
      () => page(b),
      (p) => p.items.length === 2,
    );
    expect(after.unread).toBe(2);

    // Mark all read; then read marks are per row.
    expect((await b.api("/notifications/read", { method: "POST", body: "{}" })).status).toBe(204);
    expect((await page(b)).unread).toBe(0);
  });

  it("deleting a post takes its likes, reposts and mentions out of everyone's notifications", async () => {
    const c = await createTestMember("ntfd", "Dai");
    const postId = await post(b, `hello @${c.handle}`);
    await a.api(`/posts/${postId}/like`, { method: "POST" });
    await a.api(`/posts/${postId}/repost`, { method: "POST" });
    const has = (p: Page) => p.items.filter((i) => i.subject?.id === postId).length;
    await eventually(
      () => page(b),
      (p) => has(p) === 2,
    );
    await eventually(
      () => page(c),
      (p) => has(p) === 1,
    );
    const unreadBefore = (await page(b)).unread;
    expect((await b.api(`/posts/${postId}`, { method: "DELETE" })).status).toBe(204);
    const after = await eventually(
      () => page(b),
      (p) => has(p) === 0,
    );
    expect(after.unread).toBe(unreadBefore - 2);
    await eventually(
      () => page(c),
      (p) => has(p) === 0,
    );
  });

  it("stores a redelivered event once", async () => {
    const before = await page(b);
    const event = {
      id: `test-redelivery-${Date.now()}`,
      type: "post.mention",
      op: "add",
      actor: a.sub,
      recipient: b.sub,
      subject: { kind: "post", id: `pst_redelivered${Date.now()}`, text: "hi @ben" },
      at: Date.now(),
    };
    await publish(event);
    await publish(event);
    await publish({ ...event, id: `${event.id}-again` });
    const got = await eventually(
      () => page(b),
      (p) => p.items.length > before.items.length,
    );
    await new Promise((r) => setTimeout(r, 1500));
    const settled = await page(b);
    expect(settled.items.filter((i) => i.subject?.id === event.subject.id)).toHaveLength(1);
    expect(settled.unread).toBe(before.unread + 1);
    expect(got.items[0]).toMatchObject({ type: "post.mention", actorCount: 1 });
  });

  it("pushes to an offline recipient's devices, skips types whose push is off, and forgets a gone (410) device", async () => {
    const writer = await createTestMember("ntfw", "Writer");
    const reader = await createTestMember("ntfr", "Reader");
    const device = await pushDevice(reader);
    expect(
      (
        await reader.api("/notifications/preferences", {
          method: "PUT",
          body: JSON.stringify({ "post.like": { inApp: true, push: false, from: "everyone" } }),
        })
      ).status,
    ).toBe(200);
    const postId = await post(reader, "push me");
    await writer.api(`/posts/${postId}/like`, { method: "POST" });
    await writer.api(`/users/${reader.handle}/follow`, { method: "POST" });
    const pushed = await eventually(
      () => device.received(),
      (r) => r.items.length >= 1,
    );
    // The like was stored, not pushed; the follow was pushed, decrypted by the push service.
    const listed = await eventually(
      () => page(reader),
      (p) => p.items.length === 2,
    );
    expect(listed.items.map((i) => i.type).sort()).toEqual(["follow", "post.like"]);
    await new Promise((r) => setTimeout(r, 1000));
    const items = (await device.received()).items;
    expect(items).toHaveLength(1);
    expect(pushed.items[0]!.payload).toMatchObject({
      type: "notification",
      kind: "follow",
      url: `/u/?h=${writer.handle}`,
    });
    expect(items[0]!.urgency).toBe("normal");

    // The browser unsubscribed: the next push gets 410 and the subscription is forgotten.
    await fetch(device.endpoint, { method: "DELETE" });
    const other = await createTestMember("ntfo", "Other");
    await other.api(`/users/${reader.handle}/follow`, { method: "POST" });
    await eventually(
      () => page(reader),
      (p) => p.items[0]?.actorCount === 2,
    );
    await eventually(
      () => Push.subscriptions(reader.sub),
      (subs) => subs.length === 0,
    );
    // Forgetting it again is fine (idempotent).
    const again = await reader.api("/push/subscriptions", {
      method: "DELETE",
      body: JSON.stringify({ endpoint: device.endpoint }),
    });
    expect(again.status).toBe(204);
  });

  it("honours `from`: with follows from people they follow only, a stranger's follow is not stored", async () => {
    const picky = await createTestMember("ntfk", "Picky");
    const [friend, stranger] = await Promise.all([
      createTestMember("ntff", "Friend"),
      createTestMember("ntfs", "Stranger"),
    ]);
    const put = await picky.api("/notifications/preferences", {
      method: "PUT",
      body: JSON.stringify({ follow: { inApp: true, push: true, from: "following" } }),
    });
    expect(((await put.json()) as Record<string, unknown>).follow).toEqual({
      inApp: true,
      push: true,
      from: "following",
    });
    await picky.api(`/users/${friend.handle}/follow`, { method: "POST" });
    await stranger.api(`/users/${picky.handle}/follow`, { method: "POST" });
    await friend.api(`/users/${picky.handle}/follow`, { method: "POST" });
    const got = await eventually(
      () => page(picky),
      (p) => p.items.length > 0,
    );
    // The stranger's follow came first; give its delivery time to land if it were going to.
    await new Promise((r) => setTimeout(r, 1500));
    const settled = await page(picky);
    expect(settled.items.flatMap((i) => i.actors.map((x) => x.handle))).toEqual([friend.handle]);
    expect(got.unread).toBe(1);
    // An unknown type is refused, not silently dropped.
    const bad = await picky.api("/notifications/preferences", {
      method: "PUT",
      body: JSON.stringify({ "post.bogus": { inApp: false, push: false, from: "everyone" } }),
    });
    expect(bad.status).toBe(400);
  });

  it("tells a chat member with no live socket of a new message, grouped per room", async () => {
    // B follows A: a stranger's message would be a quiet request (message-requests.int.test.ts).
    expect((await b.api(`/users/${a.handle}/follow`, { method: "POST" })).status).toBe(204);
    const room = await a.api("/rooms", {
      method: "POST",
      body: JSON.stringify({ memberHandles: [b.handle] }),
    });
    expect(room.status).toBeLessThan(300);
    const roomId = ((await room.json()) as { id: string }).id;
    for (const text of ["one", "two"])
      expect(
        (await a.api(`/rooms/${roomId}/messages`, { method: "POST", body: JSON.stringify({ text }) })).status,
      ).toBe(201);
    const got = await eventually(
      () => page(b),
      (p) => p.items.some((i) => i.type === "chat.message" && i.subject?.text === "two"),
    );
    expect(got.items.filter((i) => i.subject?.id === roomId)).toHaveLength(1);
  });

  it("dead-letters a message after five failed receives, and `npm run redrive` brings it back", async () => {
    const writer = await createTestMember("ntfp", "Poison");
    const reader = await createTestMember("ntfq", "Queue");
    const device = await pushDevice(reader);
    // The push service fails every attempt of five receives (5xx: retried through the queue).
    await fetch(`${device.endpoint}/fail`, {
      method: "POST",
      body: JSON.stringify({ status: 500, times: 5 }),
    });
    await writer.api(`/users/${reader.handle}/follow`, { method: "POST" });
    await eventually(
      () => depth("NotificationDeadLetters"),
      (n) => n === 1,
      60_000,
    );
    expect((await device.received()).items).toHaveLength(0);
    // Stored on the first receive, once, whatever the retries did.
    expect((await page(reader)).items).toHaveLength(1);

    const { stdout } = await run("npx", ["tsx", "scripts/redrive.ts", "NotificationDeadLetters"], {
      cwd: root,
      env: { ...process.env, ASYNCSNS_DATA_DIR: inject("localDataDir") },
    });
    expect(stdout).toContain("1 replayed, 0 kept");
    const pushed = await eventually(
      () => device.received(),
      (r) => r.items.length === 1,
      30_000,
    );
    expect(pushed.items[0]!.payload).toMatchObject({ kind: "follow" });
    expect(await depth("NotificationDeadLetters")).toBe(0);
    expect((await page(reader)).items).toHaveLength(1);
  }, 120_000);

  it("a body that is not an event is dead-lettered, never retried forever", async () => {
    const before = await depth("NotificationDeadLetters");
    await publish({ not: "an event" }, "follow");
    await eventually(
      () => depth("NotificationDeadLetters"),
      (n) => n === before + 1,
      60_000,
    );
  }, 90_000);
});
