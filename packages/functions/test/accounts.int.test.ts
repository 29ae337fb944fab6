// Accounts on the local cloud: deletion (DELETE /api/me → queue → sweeper) leaves no item of the user behind, export
// builds an archive behind an expiring link, and the Cognito flows (password change and reset, sign-out everywhere).
import {
  AdminGetUserCommand,
  ChangePasswordCommand,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { describe, expect, inject, it } from "vitest";
import WebSocket from "ws";
import { cognitoClient, PASSWORD } from "../../../tests/support/cognito";
import { useLocalTable } from "../../../tests/support/in-process-core";
import { PNG, upload } from "../../../tests/support/media";
import { createTestMember, createTestUser, type TestMember } from "../../../tests/support/test-user";

// The stale-sign-in case runs the Accounts app in-process: its modules name the table at load.
useLocalTable();
const { app } = await import("../src/api/accounts");
const { CaseEntity } = await import("../../core/src/moderation/moderation.entity");
const { FeedEntryEntity, HomeStateEntity } = await import("../../core/src/timeline/feed.entity");
const Feed = await import("../../core/src/timeline/feed");

const cloud = () => inject("localCloud");
const cognito = () => cognitoClient(cloud().cognito);
const credentials = { accessKeyId: "local", secretAccessKey: "local" };

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 30_000): Promise<T> {
  const until = Date.now() + ms;
  let last: T = await read();
  while (!ok(last)) {
    if (Date.now() > until) throw new Error(`not reached in ${ms} ms; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 200));
    last = await read();
  }
  return last;
}

const signIn = (email: string, password: string) =>
  cognito().send(
    new InitiateAuthCommand({
      ClientId: cloud().cognito.clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );
const refresh = (token: string) =>
  cognito().send(
    new InitiateAuthCommand({
      ClientId: cloud().cognito.clientId,
      AuthFlow: "REFRESH_TOKEN_AUTH",
      AuthParameters: { REFRESH_TOKEN: token },
    }),
  );

async function json<T>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return (text ? JSON.parse(text) : undefined) as T;
}

async function post(user: TestMember, body: Record<string, unknown>): Promise<string> {
  return (
    await json<{ id: string }>(await user.api("/posts", { method: "POST", body: JSON.stringify(body) }), 201)
  ).id;
}

/** Every key of every item in the test table that names `needle` (the table is shared: only this user's count). */
async function keysNaming(...needles: string[]): Promise<string[]> {
  const { endpoint, tables } = inject("localDynamo");
  const client = new DynamoDBClient({ endpoint, region: cloud().dynamodb.region, credentials });
  const found: string[] = [];
  let start: Record<string, never> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tables[0],
        ProjectionExpression: "pk, sk, gsi1pk, gsi1sk, gsi2pk, gsi2sk",
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      const keys = Object.values(item).map((v) => v.S ?? "");
      const line = keys.join(" | ");
      if (needles.some((n) => line.toLowerCase().includes(n.toLowerCase()))) found.push(line);
    }
    start = page.LastEvaluatedKey as typeof start;
  } while (start);
  return found;
}

function open(user: TestMember): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${cloud().wsUrl}?token=${user.accessToken}`);
    socket.once("open", () => resolve(socket));
    socket.once("error", () => reject(new Error("refused")));
  });
}
const closed = (socket: WebSocket) =>
  new Promise<void>((resolve) => {
    if (socket.readyState === WebSocket.CLOSED) resolve();
    socket.once("close", () => resolve());
  });

/** The Accounts app with a given token's claims, as API Gateway hands them over. */
const asClaims = (claims: Record<string, unknown>) =>
  app.request("/api/me", { method: "DELETE" }, {
    event: { requestContext: { authorizer: { jwt: { claims: { token_use: "access", ...claims } } } } },
  } as never);

describe("account deletion", () => {
  it("refuses a stale sign-in (403 account.reauthenticate) and a missing token (401)", async () => {
    const old = Math.floor(Date.now() / 1000) - 3600;
    const res = await asClaims({ sub: "00000000-0000-0000-0000-000000000000", auth_time: old });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("account.reauthenticate");
    expect((await asClaims({ sub: "00000000-0000-0000-0000-000000000000" })).status).toBe(403);
    expect((await fetch(`${cloud().apiUrl}/me`, { method: "DELETE" })).status).toBe(401);
  });

  it("a refreshed token keeps the sign-in's auth_time, as Cognito's does", async () => {
    const user = await createTestMember("fresh");
    const claimsOf = (token: string) =>
      JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString()) as { auth_time: number };
    await new Promise((r) => setTimeout(r, 1100));
    const refreshed = await refresh(user.refreshToken);
    expect(claimsOf(refreshed.AuthenticationResult?.AccessToken ?? "").auth_time).toBe(
      claimsOf(user.accessToken).auth_time,
    );
  });

  it("removes every item of the user, their posts from homes and search, and the Cognito user", {
    timeout: 180_000,
  }, async () => {
    const [alice, bob, carol] = await Promise.all([
      createTestMember("gone"),
      createTestMember("bob"),
      createTestMember("carol"),
    ]);
    const word = `farewell${Date.now().toString(36)}`;
    // Follows both ways, posts with a tag, a reply and media, reactions both ways.
    for (const [a, b] of [
      [alice, bob],
      [bob, alice],
      [carol, alice],
    ] as const)
      await json(await a.api(`/users/${b.handle}/follow`, { method: "POST" }), 204);
    const mediaId = await upload(alice, PNG, "image/png");
    const alicePost = await post(alice, { text: `${word} #${word}`, mediaIds: [mediaId] });
    const bobPost = await post(bob, { text: "hello from bob" });
    await post(alice, { text: "a reply", replyTo: bobPost });
    await json(await bob.api(`/posts/${alicePost}/like`, { method: "POST" }), 204);
    await json(await bob.api(`/posts/${alicePost}/repost`, { method: "POST" }), 204);
    await json(await alice.api(`/posts/${bobPost}/like`, { method: "POST" }), 204);
    await json(await alice.api(`/posts/${bobPost}/repost`, { method: "POST" }), 204);
    // A shared 1:1 room and a group, with messages from everyone.
    const direct = await json<{ id: string }>(
      await alice.api("/rooms", { method: "POST", body: JSON.stringify({ memberHandles: [bob.handle] }) }),
      201,
    );
    const group = await json<{ id: string }>(
      await bob.api("/rooms", {
        method: "POST",
        body: JSON.stringify({ memberHandles: [alice.handle, carol.handle], name: "trio" }),
      }),
      201,
    );
    for (const room of [direct.id, group.id]) {
      await json(
        await alice.api(`/rooms/${room}/messages`, {
          method: "POST",
          body: JSON.stringify({ text: "from alice" }),
        }),
        201,
      );
      const fromBob = await json<{ id: string }>(
        await bob.api(`/rooms/${room}/messages`, {
          method: "POST",
          body: JSON.stringify({ text: "from bob" }),
        }),
        201,
      );
      // Alice's reactions are keyed by her id: the sweep takes them and her part of the counts.
      for (const [who, emoji] of [
        [alice, "❤️"],
        [bob, "❤️"],
        [alice, "👍"],
      ] as const)
        await json(
          await who.api(`/rooms/${room}/messages/${fromBob.id}/reactions/${encodeURIComponent(emoji)}`, {
            method: "POST",
          }),
          200,
        );
    }
    // A call bob declined: it stays in bob's history with alice's card blanked; alice's history and marker go.
    const { call } = await json<{ call: { id: string } }>(
      await alice.api("/calls", {
        method: "POST",
        body: JSON.stringify({ handle: bob.handle, kind: "audio" }),
      }),
      201,
    );
    await json(await bob.api(`/calls/${call.id}/decline`, { method: "POST" }), 200);
    // Reports both ways: alice reports bob's post; bob reports alice's post, carol reports alice herself.
    const report = (who: TestMember, body: Record<string, unknown>) =>
      who.api("/reports", { method: "POST", body: JSON.stringify(body) }).then((r) => json(r, 201));
    await report(alice, { type: "post", id: bobPost, reason: "spam", text: "alice's words" });
    await report(bob, { type: "post", id: alicePost, reason: "harassment" });
    await report(carol, { type: "user", id: alice.sub, reason: "other", text: "about alice" });
    // The post reached bob's home and search; alice has notifications (bob's follow, like, repost).
    const home = async () =>
      (await json<{ items: { id: string }[] }>(await bob.api("/timelines/home?limit=50"), 200)).items;
    await eventually(home, (items) => items.some((p) => p.id === alicePost));
    const search = async () =>
      (await json<{ items: { id: string }[] }>(await bob.api(`/search/posts?q=${word}`), 200)).items;
    await eventually(search, (items) => items.some((p) => p.id === alicePost));
    await eventually(
      async () => (await json<{ items: unknown[] }>(await alice.api("/notifications"), 200)).items.length,
      (n) => n > 0,
    );
    const socket = await open(alice);
    const gone = closed(socket);

    const res = await alice.api("/me", { method: "DELETE" });
    expect(await json(res, 202)).toEqual({ status: "deleting" });
    // Signed out at once: the socket closes, the refresh token and the password stop working.
    await gone;
    await expect(refresh(alice.refreshToken)).rejects.toThrow();
    await expect(signIn(alice.email, PASSWORD)).rejects.toThrow();

    // The sweeper runs from the queue: nothing keyed by the user's id or handle stays but the handle's reservation.
    const left = await eventually(
      () => keysNaming(alice.sub, alice.handle),
      (keys) => keys.every((k) => k.includes("handle") && !k.includes(alice.sub)),
      60_000,
    );
    expect(left).toHaveLength(1);
    // A fan-out that read its followers before her follows went writes into her home after the sweep: the writes it
    // makes (an entry, a home-state bump), made now, are gone again after the late sweeps (2 s apart here).
    await FeedEntryEntity.put({
      feed: Feed.key.home(alice.sub),
      seq: Feed.seqOf(bobPost),
      postId: bobPost,
      actorId: bob.sub,
      authorId: bob.sub,
      mediaIds: [],
    }).go();
    await HomeStateEntity.update({ feed: Feed.key.home(alice.sub) })
      .add({ version: 1 })
      .go();
    expect(await keysNaming(alice.sub)).toHaveLength(2);
    await eventually(
      () => keysNaming(alice.sub),
      (keys) => keys.length === 0,
    );
    // Her report went (the key scan), the case it fed stays for review; the case about her went with its reports;
    // the case about her (deleted) post stays, naming her in an attribute only (docs/architecture.md says why).
    const caseOf = async (targetType: "post" | "user", targetId: string) =>
      (await CaseEntity.get({ targetType, targetId }).go({ consistent: true })).data;
    expect(await caseOf("post", bobPost)).toMatchObject({ status: "open", count: 1, ownerId: bob.sub });
    expect(await caseOf("user", alice.sub)).toBeNull();
    expect(await caseOf("post", alicePost)).toMatchObject({ status: "open", ownerId: alice.sub });
    await expect(
      cognito().send(
        new AdminGetUserCommand({ UserPoolId: cloud().cognito.userPoolId, Username: alice.sub }),
      ),
    ).rejects.toThrow();

    // Others: the posts left homes and search, counters went down, shared messages show a deleted sender.
    await eventually(home, (items) => !items.some((p) => p.id === alicePost));
    await eventually(search, (items) => items.length === 0);
    expect((await bob.api(`/users/${alice.handle}`)).status).toBe(404);
    expect((await bob.api(`/posts/${alicePost}`)).status).toBe(404);
    const bobNow = await json<{ followers: number; following: number }>(await bob.api("/me"), 200);
    expect(bobNow).toMatchObject({ followers: 0, following: 0 });
    const { post: liked } = await json<{ post: { likes: number; reposts: number; replies: number } }>(
      await bob.api(`/posts/${bobPost}`),
      200,
    );
    expect(liked).toMatchObject({ likes: 0, reposts: 0, replies: 0 });
    for (const room of [direct.id, group.id]) {
      const { items } = await json<{
        items: { text: string; sender: { handle: string; displayName: string }; call?: unknown }[];
      }>(await bob.api(`/rooms/${room}/messages`), 200);
      expect(items.filter((m) => !m.call).map((m) => [m.text, m.sender.handle])).toEqual([
        ["from alice", ""],
        ["from bob", bob.handle],
      ]);
      expect(items.find((m) => m.text === "from bob")).toMatchObject({
        reactions: [{ emoji: "❤️", count: 1, mine: true }],
      });
      // The declined call's line in the 1:1 room, sent as the caller, shows the deleted sender too.
      expect(items.filter((m) => m.call).map((m) => m.sender.handle)).toEqual(room === direct.id ? [""] : []);
    }
    const kept = await json<{
      call: { state: string; caller: { handle: string }; callee: { handle: string } };
    }>(await bob.api(`/calls/${call.id}`), 200);
    expect(kept.call).toMatchObject({
      state: "declined",
      caller: { handle: "" },
      callee: { handle: bob.handle },
    });
    // The handle is reserved: nobody can take it over at once.
    const taker = await createTestUser();
    const retake = await taker.api("/me", {
      method: "POST",
      body: JSON.stringify({ handle: alice.handle, displayName: "taker" }),
    });
    expect(retake.status).toBe(409);
  });
});

describe("export", () => {
  it("builds an archive behind an unguessable link that needs no sign-in and expires", {
    timeout: 90_000,
  }, async () => {
    const [dora, eve] = await Promise.all([createTestMember("dora"), createTestMember("eve")]);
    await json(await dora.api(`/users/${eve.handle}/follow`, { method: "POST" }), 204);
    await json(await eve.api(`/users/${dora.handle}/follow`, { method: "POST" }), 204);
    await post(dora, { text: "exported words" });
    const { id } = await json<{ id: string }>(await dora.api("/me/export", { method: "POST" }), 202);
    expect(id).toMatch(/^exp_/);
    // Someone else's export is not found; neither is a malformed id.
    expect((await eve.api(`/me/export/${id}`)).status).toBe(404);
    expect((await dora.api("/me/export/nope")).status).toBe(404);
    const ready = await eventually(
      async () =>
        json<{ status: string; url?: string; expiresAt?: string }>(await dora.api(`/me/export/${id}`), 200),
      (v) => v.status === "ready",
    );
    expect(Date.parse(ready.expiresAt ?? "") - Date.now()).toBeGreaterThan(50 * 60_000);
    const url = new URL(ready.url ?? "");
    expect(url.pathname).toMatch(new RegExp(`/exports/${dora.sub}/${id}-[0-9A-Z]{26}\\.json$`));
    const archive = (await (await fetch(url)).json()) as {
      profile: { handle: string };
      posts: { text: string }[];
      following: { handle: string }[];
      followers: { handle: string }[];
    };
    expect(archive.profile.handle).toBe(dora.handle);
    expect(archive.posts.map((p) => p.text)).toEqual(["exported words"]);
    expect(archive.following.map((f) => f.handle)).toEqual([eve.handle]);
    expect(archive.followers.map((f) => f.handle)).toEqual([eve.handle]);
    // The signature covers the key and the expiry: a guessed key or a stretched expiry is refused.
    const guessed = new URL(url);
    guessed.pathname = guessed.pathname.replace(/-[0-9A-Z]{26}\.json$/, "-00000000000000000000000000.json");
    expect((await fetch(guessed)).status).toBe(403);
    const stretched = new URL(url);
    stretched.searchParams.set("X-Amz-Expires", "604800");
    expect((await fetch(stretched)).status).toBe(403);
  });
});

describe("Cognito account flows on the stand-in", () => {
  it("changes the password: the new one signs in, the old one no longer does", async () => {
    const user = await createTestMember("pw");
    await cognito().send(
      new ChangePasswordCommand({
        AccessToken: user.accessToken,
        PreviousPassword: PASSWORD,
        ProposedPassword: "N3wPassword!",
      }),
    );
    await expect(signIn(user.email, PASSWORD)).rejects.toThrow();
    expect((await signIn(user.email, "N3wPassword!")).AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it("resets a forgotten password with the emailed code", async () => {
    const user = await createTestMember("forgot");
    await cognito().send(
      new ForgotPasswordCommand({ ClientId: cloud().cognito.clientId, Username: user.email }),
    );
    await expect(
      cognito().send(
        new ConfirmForgotPasswordCommand({
          ClientId: cloud().cognito.clientId,
          Username: user.email,
          ConfirmationCode: "000000",
          Password: "Res3tPassword!",
        }),
      ),
    ).rejects.toThrow();
    await cognito().send(
      new ConfirmForgotPasswordCommand({
        ClientId: cloud().cognito.clientId,
        Username: user.email,
        ConfirmationCode: "123456",
        Password: "Res3tPassword!",
      }),
    );
    expect((await signIn(user.email, "Res3tPassword!")).AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it("changes the email with a code sent to the new address; the new email signs in", async () => {
    const user = await createTestMember("mail");
    const next = `new-${user.email}`;
    await cognito().send(
      new UpdateUserAttributesCommand({
        AccessToken: user.accessToken,
        UserAttributes: [{ Name: "email", Value: next }],
      }),
    );
    await expect(
      cognito().send(
        new VerifyUserAttributeCommand({
          AccessToken: user.accessToken,
          AttributeName: "email",
          Code: "000000",
        }),
      ),
    ).rejects.toThrow();
    await cognito().send(
      new VerifyUserAttributeCommand({
        AccessToken: user.accessToken,
        AttributeName: "email",
        Code: "123456",
      }),
    );
    const claims = (token: string) =>
      JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString()) as Record<string, unknown>;
    const signedIn = await signIn(next, PASSWORD);
    expect(claims(signedIn.AuthenticationResult?.IdToken ?? "")).toMatchObject({
      email: next,
      email_verified: true,
      sub: user.sub,
    });
  });

  it("signs out everywhere: sockets close and the refresh token stops working", async () => {
    const user = await createTestMember("out");
    const socket = await open(user);
    const gone = closed(socket);
    await json(await user.api("/me/sign-out", { method: "POST" }), 204);
    await cognito().send(new GlobalSignOutCommand({ AccessToken: user.accessToken }));
    await gone;
    await expect(refresh(user.refreshToken)).rejects.toThrow();
  });
});
