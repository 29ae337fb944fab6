// Per-user limits against DynamoDB Local, in-process with lowered limits (the local cloud's are raised for
// the other suites): the request over the limit is a 429 with Retry-After, others are unaffected, a refused
// request counts nothing, concurrent requests cannot pass together, and the next window starts afresh.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { useLocalTable } from "../../../tests/support/in-process-core";

const LOWERED = {
  post: [{ seconds: 600, max: 3 }],
  follow: [{ seconds: 600, max: 2 }],
  upload: [
    { seconds: 86_400, max: 5 },
    { seconds: 86_400, max: 1000, unit: "bytes" },
  ],
  callInvite: [{ seconds: 600, max: 3 }],
};

type Core = {
  withActor: typeof import("@asyncsns/core/actor").withActor;
  User: typeof import("@asyncsns/core/user").User;
  Limit: typeof import("@asyncsns/core/limit").Limit;
  RateLimited: typeof import("@asyncsns/core/error").RateLimited;
};
let core: Core;
let postApp: typeof import("../src/api/post").app;
let profileApp: typeof import("../src/api/profile").app;
let callApp: typeof import("../src/api/call").app;
let Call: typeof import("@asyncsns/core/call").Call;

beforeAll(async () => {
  useLocalTable();
  // Presigning needs only a name and credentials: no upload reaches a bucket here.
  process.env.SST_RESOURCE_Media ??= JSON.stringify({ name: "limits-test", type: "sst.aws.Bucket" });
  process.env.SST_RESOURCE_Limits = JSON.stringify({ rules: LOWERED, type: "sst.Linkable" });
  process.env.SST_RESOURCE_Calls ??= JSON.stringify({ ringSeconds: 4, type: "sst.Linkable" });
  const [actor, user, limit, error, post, profile] = await Promise.all([
    import("@asyncsns/core/actor"),
    import("@asyncsns/core/user"),
    import("@asyncsns/core/limit"),
    import("@asyncsns/core/error"),
    import("../src/api/post"),
    import("../src/api/profile"),
  ]);
  core = { withActor: actor.withActor, User: user.User, Limit: limit.Limit, RateLimited: error.RateLimited };
  callApp = (await import("../src/api/call")).app;
  ({ Call } = await import("@asyncsns/core/call"));
  postApp = post.app;
  profileApp = profile.app;
});

const as = <T>(userId: string, run: () => Promise<T>) =>
  core.withActor({ type: "user", properties: { userId } }, run);

async function person(prefix: string) {
  const userId = randomUUID();
  const handle = `${prefix}${randomUUID().replaceAll("-", "").slice(0, 10)}`;
  await as(userId, () => core.User.create({ handle, displayName: prefix }));
  return { userId, handle };
}

/** A request as the gateway hands it over: the JWT already verified, its `sub` in the claims. */
const call = (
  app: typeof postApp | typeof profileApp | typeof callApp,
  userId: string,
  method: string,
  path: string,
  body?: unknown,
) =>
  app.request(
    path,
    {
      method,
      headers: { "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    },
    {
      event: { requestContext: { authorizer: { jwt: { claims: { sub: userId, token_use: "access" } } } } },
    } as never,
  );

describe("per-user limits", () => {
  it("answer the post over the limit with 429, Retry-After and rate.limited; another user posts on", async () => {
    const alice = await person("lima");
    const bob = await person("limb");
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await call(postApp, alice.userId, "POST", "/api/posts", { text: `p${i}` });
      expect(res.status).toBe(201);
      ids.push((await res.json()).id);
    }
    const refused = await call(postApp, alice.userId, "POST", "/api/posts", { text: "one too many" });
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("Retry-After"));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(600);
    const body = await refused.json();
    expect(body.error.code).toBe("rate.limited");
    expect(body.error.message).toMatch(/posting too fast — try again in \d+ (second|minute)s?\./);
    expect(body.error.details).toEqual({ action: "post", retryAfter });
    // Replies are posts too.
    const reply = await call(postApp, alice.userId, "POST", "/api/posts", { text: "re", replyTo: ids[0] });
    expect(reply.status).toBe(429);
    expect((await call(postApp, bob.userId, "POST", "/api/posts", { text: "unaffected" })).status).toBe(201);
  });

  it("count uploads and their bytes together, and a refused upload counts neither", async () => {
    const carol = await person("limc");
    const upload = (size: number) =>
      call(postApp, carol.userId, "POST", "/api/media/uploads", { contentType: "image/png", size });
    expect((await upload(600)).status).toBe(201);
    const over = await upload(600);
    expect(over.status).toBe(429);
    expect((await over.json()).error.details.action).toBe("upload");
    // 600 + 400 is exactly the day's bytes: the refused 600 was not counted, in bytes or in uploads.
    expect((await upload(400)).status).toBe(201);
    expect((await upload(1)).status).toBe(429);
  });

  it("count follows and unfollows in one budget", async () => {
    const dave = await person("limd");
    const erin = await person("lime");
    expect((await call(profileApp, dave.userId, "POST", `/api/users/${erin.handle}/follow`)).status).toBe(
      204,
    );
    expect((await call(profileApp, dave.userId, "DELETE", `/api/users/${erin.handle}/follow`)).status).toBe(
      204,
    );
    const third = await call(profileApp, dave.userId, "POST", `/api/users/${erin.handle}/follow`);
    expect(third.status).toBe(429);
    expect(Number(third.headers.get("Retry-After"))).toBeGreaterThan(0);
  });

  it("answer the call invite over the limit with 429 (busy calls count too); refusals before it count nothing", async () => {
    const [fay, gus, hal] = await Promise.all([person("limf"), person("limg"), person("limh")]);
    for (const [a, b] of [
      [fay, gus],
      [gus, fay],
    ] as const)
      expect((await call(profileApp, a.userId, "POST", `/api/users/${b.handle}/follow`)).status).toBe(204);
    // Gus is in a call with Hal, so Fay's calls are answered busy at once (no ring, no timer).
    const party = (p: { userId: string; handle: string }) => ({ ...p, displayName: p.handle });
    await Call.Store.create({ caller: party(hal), callee: party(gus), kind: "audio", ringSeconds: 600 });
    const invite = (handle: string) =>
      call(callApp, fay.userId, "POST", "/api/calls", { handle, kind: "audio" });
    // Not allowed to call Hal (no room, no mutual follow): refused before counting.
    expect((await invite(hal.handle)).status).toBe(403);
    for (let i = 0; i < 3; i++) {
      const res = await invite(gus.handle);
      expect(res.status).toBe(201);
      expect((await res.json()).call.state).toBe("busy");
    }
    const over = await invite(gus.handle);
    expect(over.status).toBe(429);
    expect((await over.json()).error).toMatchObject({
      code: "rate.limited",
      details: { action: "callInvite" },
    });
    expect(Number(over.headers.get("Retry-After"))).toBeGreaterThan(0);
  });

  it("let no more than the limit through when requests race (one conditional write each)", async () => {
    const userId = randomUUID();
    const now = Date.now();
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => as(userId, () => core.Limit.consume("callInvite", { now }))),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
    for (const r of results.filter((r) => r.status === "rejected"))
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(core.RateLimited);
  });

  it("start afresh when the window ends, and say exactly how long until then", async () => {
    const userId = randomUUID();
    const start = Math.floor(Date.now() / 600_000) * 600_000;
    const at = start + 200_500;
    for (let i = 0; i < 3; i++) await as(userId, () => core.Limit.consume("callInvite", { now: at }));
    const refused = await as(userId, () => core.Limit.consume("callInvite", { now: at })).catch((e) => e);
    expect(refused).toBeInstanceOf(core.RateLimited);
    expect(refused.retryAfter).toBe(400);
    // The next window's first request passes, and so do the rest of its allowance.
    for (let i = 0; i < 3; i++)
      await as(userId, () => core.Limit.consume("callInvite", { now: start + 600_000 }));
    await expect(
      as(userId, () => core.Limit.consume("callInvite", { now: start + 600_000 })),
    ).rejects.toBeInstanceOf(core.RateLimited);
  });
});
