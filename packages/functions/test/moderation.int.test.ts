// Reports and moderators on the local cloud: the Cognito group in the access token gates /api/admin, the queue groups
// reports per target, and each action (remove, suspend, lift) acts through the real paths and lands in the audit log.
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import type { NotificationItem } from "@asyncsns/realtime";
import { InitiateAuthCommand } from "@aws-sdk/client-cognito-identity-provider";
import { beforeAll, describe, expect, inject, it } from "vitest";
import WebSocket from "ws";
import { cognitoClient, PASSWORD } from "../../../tests/support/cognito";
import { createTestMember, type TestMember } from "../../../tests/support/test-user";
import { routeTable } from "../src/api/route-table";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../../..");
const cloud = () => inject("localCloud");
const cognito = () => cognitoClient(cloud().cognito);

interface Case {
  id: string;
  type: string;
  targetId: string;
  reasons: string[];
  count: number;
  status: string;
  createdAt: string;
  owner: { handle: string } | null;
  content: { text: string; deleted: boolean } | null;
  ownerSuspended: boolean;
  notes: string[];
}
interface Audit {
  id: string;
  action: string;
  moderator: { handle: string } | null;
  subject: { handle: string } | null;
  caseId?: string;
  note?: string;
}

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  let last = await read();
  while (!ok(last)) {
    if (Date.now() > until) throw new Error(`not reached in ${ms} ms; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 150));
    last = await read();
  }
  return last;
}

async function json<T>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return (text ? JSON.parse(text) : undefined) as T;
}

const signIn = (email: string) =>
  cognito().send(
    new InitiateAuthCommand({
      ClientId: cloud().cognito.clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: email, PASSWORD },
    }),
  );

/** The user with the tokens of a refresh: what a browser holds after its next token refresh. */
async function refreshed(user: TestMember): Promise<TestMember> {
  const auth = await cognito().send(
    new InitiateAuthCommand({
      ClientId: cloud().cognito.clientId,
      AuthFlow: "REFRESH_TOKEN_AUTH",
      AuthParameters: { REFRESH_TOKEN: user.refreshToken },
    }),
  );
  const accessToken = auth.AuthenticationResult?.AccessToken ?? "";
  return {
    ...user,
    accessToken,
    api: (path, init = {}) =>
      fetch(`${cloud().apiUrl}${path}`, {
        ...init,
        headers: {
          authorization: `Bearer ${accessToken}`,
          ...(init.body ? { "content-type": "application/json" } : {}),
          ...init.headers,
        },
      }),
  };
}

const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString()) as Record<string, unknown>;

const admin = (command: "grant" | "revoke", email: string) =>
  run("npx", ["tsx", "scripts/admin.ts", command, email], {
    cwd: root,
    env: { ...process.env, ASYNCSNS_DATA_DIR: inject("localDataDir") },
  });

async function post(user: TestMember, text: string): Promise<string> {
  return (
    await json<{ id: string }>(
      await user.api("/posts", { method: "POST", body: JSON.stringify({ text }) }),
      201,
    )
  ).id;
}

const report = (user: TestMember, body: Record<string, unknown>) =>
  user.api("/reports", { method: "POST", body: JSON.stringify(body) });

async function queue(mod: TestMember): Promise<Case[]> {
  return (await json<{ items: Case[] }>(await mod.api("/admin/reports?limit=50"), 200)).items;
}

const resolveCase = (mod: TestMember, id: string, body: Record<string, unknown>) =>
  mod.api(`/admin/reports/${id}/resolve`, { method: "POST", body: JSON.stringify(body) });

async function audit(mod: TestMember): Promise<Audit[]> {
  return (await json<{ items: Audit[] }>(await mod.api("/admin/audit?limit=100"), 200)).items;
}

describe("reports and moderators", () => {
  let author: TestMember;
  let reader: TestMember;
  let other: TestMember;
  let mod: TestMember;
  beforeAll(async () => {
    [author, reader, other, mod] = await Promise.all([
      createTestMember("mauth", "Author"),
      createTestMember("mread", "Reader"),
      createTestMember("moth", "Other"),
      createTestMember("mmod", "Mod"),
    ]);
  });

  it("refuses every /api/admin route with 403 to a signed-in user outside the moderators group", async () => {
    const adminRoutes = routeTable.filter((r) => r.path.startsWith("/api/admin/"));
    expect(adminRoutes.length).toBeGreaterThanOrEqual(4);
    for (const route of adminRoutes) {
      const path = route.path
        .replace("/api", "")
        .replace("{id}", "cas_01JZZZZZZZZZZZZZZZZZZZZZZZ")
        .replace("{handle}", author.handle);
      const res = await reader.api(path, {
        method: route.method,
        ...(route.method === "POST" ? { body: JSON.stringify({ action: "dismiss" }) } : {}),
      });
      const body = await json<{ error: { code: string } }>(res, 403);
      expect(body.error.code, `${route.method} ${route.path}`).toBe("admin.forbidden");
    }
    // Without a token the gateway answers first.
    expect((await fetch(`${cloud().apiUrl}/admin/reports`)).status).toBe(401);
  });

  it("`npm run admin -- grant` shows in the next token, not the current one; revoke takes it away again", async () => {
    const { stdout } = await admin("grant", mod.email);
    expect(stdout).toContain("is a moderator");
    // The token in hand was issued before the grant: still refused.
    expect((await mod.api("/admin/reports")).status).toBe(403);
    mod = await refreshed(mod);
    expect(claimsOf(mod.accessToken)["cognito:groups"]).toEqual(["moderators"]);
    expect((await mod.api("/admin/reports")).status).toBe(200);

    const temp = await createTestMember("mtmp", "Temp");
    await admin("grant", temp.email);
    const granted = await refreshed(temp);
    expect((await granted.api("/admin/audit")).status).toBe(200);
    await admin("revoke", temp.email);
    const revoked = await refreshed(granted);
    expect(claimsOf(revoked.accessToken)["cognito:groups"]).toBeUndefined();
    expect((await revoked.api("/admin/audit")).status).toBe(403);
  });

  it("groups reports on one target into one case; reporting again is a no-op; bad reports are 4xx", async () => {
    const first = await post(author, "first reported post");
    const second = await post(author, "second reported post");
    const a = await json<{ id: string }>(
      await report(reader, { type: "post", id: first, reason: "spam", text: "ads everywhere" }),
      201,
    );
    expect(a.id).toMatch(/^rpt_/);
    await json(await report(other, { type: "post", id: first, reason: "harassment" }), 201);
    // The same reporter again: the first report's id, nothing counted twice.
    const again = await json<{ id: string }>(
      await report(reader, { type: "post", id: first, reason: "other" }),
      201,
    );
    expect(again.id).toBe(a.id);
    await json(await report(reader, { type: "post", id: second, reason: "illegal" }), 201);

    const cases = await queue(mod);
    const mine = cases.filter((c) => c.targetId === first || c.targetId === second);
    // Oldest first: the first post was reported first.
    expect(mine.map((c) => [c.targetId, c.count, c.reasons, c.status])).toEqual([
      [first, 2, ["harassment", "spam"], "open"],
      [second, 1, ["illegal"], "open"],
    ]);
    expect(mine[0]).toMatchObject({
      type: "post",
      owner: { handle: author.handle },
      content: { text: "first reported post", deleted: false },
      notes: ["ads everywhere"],
    });
    const created = cases.map((c) => c.createdAt);
    expect([...created].sort()).toEqual(created);

    const bad = async (body: Record<string, unknown>, status: number, code: string) => {
      const res = await json<{ error: { code: string } }>(await report(reader, body), status);
      expect(res.error.code).toBe(code);
    };
    await bad({ type: "post", id: first, reason: "boring" }, 400, "request.invalid");
    await bad(
      { type: "post", id: "pst_01JZZZZZZZZZZZZZZZZZZZZZZZ", reason: "spam" },
      404,
      "report.target_not_found",
    );
    await bad({ type: "user", id: reader.sub, reason: "spam" }, 400, "report.self");
    await bad({ type: "user", id: "no-such-user", reason: "spam" }, 404, "report.target_not_found");
  });

  it("remove deletes the post through its author's delete path and tells the author; a second resolve is 409", async () => {
    const postId = await post(author, "this breaks the rules");
    await json(await report(reader, { type: "post", id: postId, reason: "harassment" }), 201);
    const target = (await queue(mod)).find((c) => c.targetId === postId)!;
    const resolved = await json<Case>(
      await resolveCase(mod, target.id, { action: "remove", note: "harassment, first warning" }),
      200,
    );
    expect(resolved).toMatchObject({ status: "removed", content: { deleted: true } });
    expect((await reader.api(`/posts/${postId}`)).status).toBe(404);
    expect((await author.api(`/posts/${postId}`)).status).toBe(404);
    expect((await queue(mod)).some((c) => c.targetId === postId)).toBe(false);
    const conflict = await json<{ error: { code: string } }>(
      await resolveCase(mod, target.id, { action: "dismiss" }),
      409,
    );
    expect(conflict.error.code).toBe("report.resolved");

    const notice = await eventually(
      async () =>
        (await json<{ items: NotificationItem[] }>(await author.api("/notifications?limit=50"), 200)).items,
      (items) => items.some((i) => i.type === "moderation.removed"),
    );
    expect(notice.find((i) => i.type === "moderation.removed")?.subject).toMatchObject({
      kind: "post",
      id: postId,
    });

    const log = await audit(mod);
    expect(log[0]).toMatchObject({
      action: "remove",
      caseId: target.id,
      moderator: { handle: mod.handle },
      subject: { handle: author.handle },
      note: "harassment, first warning",
    });
  });

  it("remove on a reported message leaves a tombstone in the room; only members may report it", async () => {
    const room = await json<{ id: string }>(
      await author.api("/rooms", {
        method: "POST",
        body: JSON.stringify({ memberHandles: [reader.handle] }),
      }),
      201,
    );
    const message = await json<{ id: string }>(
      await author.api(`/rooms/${room.id}/messages`, {
        method: "POST",
        body: JSON.stringify({ text: "nasty" }),
      }),
      201,
    );
    const outsider = await json<{ error: { code: string } }>(
      await report(other, { type: "message", id: message.id, reason: "harassment" }),
      404,
    );
    expect(outsider.error.code).toBe("report.target_not_found");
    await json(await report(reader, { type: "message", id: message.id, reason: "harassment" }), 201);
    const target = (await queue(mod)).find((c) => c.targetId === message.id)!;
    expect(target.content).toMatchObject({ text: "nasty", deleted: false });
    await json(await resolveCase(mod, target.id, { action: "remove" }), 200);
    const history = await json<{ items: { id: string; text: string; deleted: boolean }[] }>(
      await reader.api(`/rooms/${room.id}/messages`),
      200,
    );
    expect(history.items.find((m) => m.id === message.id)).toMatchObject({ text: "", deleted: true });
  });

  it("suspend disables sign-in, revokes refresh, closes sockets and hides the user; lifting reverses it", async () => {
    const victim = await createTestMember("msus", "Suspect");
    await post(victim, "spam spam spam");
    await json(await reader.api(`/users/${victim.handle}/follow`, { method: "POST" }), 204);
    const socket = new WebSocket(`${cloud().wsUrl}?token=${victim.accessToken}`);
    await new Promise((ok, fail) => {
      socket.once("open", ok);
      socket.once("error", fail);
    });
    const socketClosed = new Promise<void>((ok) => socket.once("close", () => ok()));

    await json(await report(reader, { type: "user", id: victim.sub, reason: "spam" }), 201);
    const target = (await queue(mod)).find((c) => c.targetId === victim.sub)!;
    expect(target).toMatchObject({ type: "user", owner: { handle: victim.handle }, content: null });
    const resolved = await json<Case>(
      await resolveCase(mod, target.id, { action: "suspend", note: "bot" }),
      200,
    );
    expect(resolved).toMatchObject({ status: "suspended", ownerSuspended: true });

    await socketClosed;
    await expect(signIn(victim.email)).rejects.toThrow(/disabled/i);
    await expect(refreshed(victim)).rejects.toThrow();
    // Their profile is hidden from others (and their content: suspension.int.test.ts).
    expect((await reader.api(`/users/${victim.handle}`)).status).toBe(404);

    const notSuspended = await json<{ error: { code: string } }>(
      await mod.api(`/admin/users/${reader.handle}/unsuspend`, { method: "POST", body: "{}" }),
      409,
    );
    expect(notSuspended.error.code).toBe("user.not_suspended");
    await json(
      await mod.api(`/admin/users/${victim.handle}/unsuspend`, {
        method: "POST",
        body: JSON.stringify({ note: "appeal accepted" }),
      }),
      204,
    );
    expect((await signIn(victim.email)).AuthenticationResult?.AccessToken).toBeTruthy();
    expect((await reader.api(`/users/${victim.handle}`)).status).toBe(200);

    const log = await audit(mod);
    expect(log.slice(0, 2).map((e) => [e.action, e.subject?.handle, e.note])).toEqual([
      ["unsuspend", victim.handle, "appeal accepted"],
      ["suspend", victim.handle, "bot"],
    ]);
    expect(log[0]?.moderator?.handle).toBe(mod.handle);
  });

  it("dismiss closes the case without touching the content; a new report opens it again", async () => {
    const postId = await post(author, "borderline");
    await json(await report(reader, { type: "post", id: postId, reason: "other" }), 201);
    const target = (await queue(mod)).find((c) => c.targetId === postId)!;
    await json(await resolveCase(mod, target.id, { action: "dismiss" }), 200);
    expect((await reader.api(`/posts/${postId}`)).status).toBe(200);
    expect((await queue(mod)).some((c) => c.targetId === postId)).toBe(false);
    await json(await report(other, { type: "post", id: postId, reason: "spam" }), 201);
    const reopened = (await queue(mod)).find((c) => c.targetId === postId)!;
    expect(reopened).toMatchObject({ id: target.id, count: 1, reasons: ["spam"], status: "open" });
    expect((await audit(mod))[0]).toMatchObject({ action: "dismiss", caseId: target.id });
  });
});
