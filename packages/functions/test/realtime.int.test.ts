import { CreateUserPoolClientCommand, InitiateAuthCommand } from "@aws-sdk/client-cognito-identity-provider";
import { describe, expect, inject, it } from "vitest";
import WebSocket from "ws";
import { cognitoClient } from "../../../tests/support/cognito";
import { createTestMember, createTestUser } from "../../../tests/support/test-user";
import { expired, signAsPool } from "../../../tests/support/tokens";

const wsUrl = () => inject("localCloud").wsUrl;

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once("open", () => resolve(socket));
    socket.once("error", () => reject(new Error("refused")));
  });
}

/** The upgrade's HTTP status: 101 when the socket opened (then closed again), else the refusal's. */
function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once("open", () => {
      socket.close();
      resolve(101);
    });
    socket.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
    socket.once("error", reject);
  });
}

describe("WebSocket API on the local cloud", () => {
  it("refuses $connect without a token or with a bad one", async () => {
    await expect(open(wsUrl())).rejects.toThrow("refused");
    await expect(open(`${wsUrl()}?token=not-a-jwt`)).rejects.toThrow("refused");
  });

  // Each token below is signed with the local pool's own key, so only the authorizer's claim checks refuse it.
  it("refuses $connect with an expired access token, another client's, or an ID token", async () => {
    const cloud = inject("localCloud");
    const user = await createTestUser();
    const cognito = cognitoClient(cloud.cognito);
    const other = await cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: cloud.cognito.userPoolId,
        ClientName: `other-app-${Date.now()}`,
        ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      }),
    );
    const otherClientId = other.UserPoolClient?.ClientId;
    expect(otherClientId).toBeTruthy();
    expect(otherClientId).not.toBe(cloud.cognito.clientId);
    const signedIn = await cognito.send(
      new InitiateAuthCommand({
        ClientId: otherClientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: user.email, PASSWORD: user.password },
      }),
    );
    const otherClientToken = signedIn.AuthenticationResult?.AccessToken;
    expect(JSON.parse(Buffer.from(otherClientToken!.split(".")[1]!, "base64url").toString())).toMatchObject({
      client_id: otherClientId,
      token_use: "access",
      sub: user.sub,
    });
    const refused = {
      expired: await upgradeStatus(`${wsUrl()}?token=${await expired(user.accessToken)}`),
      otherClient: await upgradeStatus(`${wsUrl()}?token=${otherClientToken}`),
      idToken: await upgradeStatus(`${wsUrl()}?token=${user.idToken}`),
    };
    expect(refused).toEqual({ expired: 403, otherClient: 403, idToken: 403 });
    // Control: the same user's own access token opens a socket.
    expect(await upgradeStatus(`${wsUrl()}?token=${user.accessToken}`)).toBe(101);
  });

  it("accepts a signed-in user and answers a heartbeat through @connections", async () => {
    const user = await createTestUser();
    const socket = await open(`${wsUrl()}?token=${user.accessToken}`);
    const frame = new Promise<string>((resolve) => socket.once("message", (data) => resolve(String(data))));
    socket.send(JSON.stringify({ action: "ping" }));
    const envelope = JSON.parse(await frame);
    expect(envelope).toMatchObject({ v: 1, type: "system.pong" });
    expect(envelope.data.at).toBeTypeOf("number");
    socket.close();
  });

  it("answers an unknown action with an error event instead of dropping the socket", async () => {
    const user = await createTestUser();
    const socket = await open(`${wsUrl()}?token=${user.accessToken}`);
    const frame = new Promise<string>((resolve) => socket.once("message", (data) => resolve(String(data))));
    socket.send("hello?");
    expect(JSON.parse(await frame)).toMatchObject({
      type: "system.error",
      data: { code: "ws.unknown_action" },
    });
    expect(socket.readyState).toBe(WebSocket.OPEN);
    socket.close();
  });

  it("closes a socket once its token has expired, at the next frame it sends", async () => {
    const user = await createTestUser();
    const now = Math.floor(Date.now() / 1000);
    // Signed by the pool like any token, but valid for three more seconds only.
    const shortLived = await signAsPool(user.accessToken, { iat: now, exp: now + 3 });
    const socket = await open(`${wsUrl()}?token=${shortLived}`);
    // Envelopes only: the local gateway also echoes the route's response body ("OK").
    const frames: string[] = [];
    socket.on("message", (data) => {
      const text = String(data);
      if (text.startsWith("{")) frames.push(JSON.parse(text).type);
    });
    const closed = new Promise<number>((resolve) => socket.once("close", (code) => resolve(code)));
    // While the token is valid the heartbeat is answered.
    socket.send(JSON.stringify({ action: "ping" }));
    await expect.poll(() => frames.length).toBe(1);
    await new Promise((r) => setTimeout(r, Math.max(0, (now + 3) * 1000 - Date.now()) + 200));
    socket.send(JSON.stringify({ action: "ping" }));
    expect(await closed).toBe(1000);
    // No pong after expiry: the socket was closed instead of served.
    expect(frames).toEqual(["system.pong"]);
  });

  it("closes a socket whose token has expired instead of delivering an event to it", async () => {
    const [alice, bob] = await Promise.all([createTestMember("ea"), createTestMember("eb")]);
    // Bob follows Alice, so her message would reach him live (not as a quiet request) were his socket open.
    expect((await bob.api(`/users/${alice.handle}/follow`, { method: "POST" })).status).toBe(204);
    const room = await alice.api("/rooms", {
      method: "POST",
      body: JSON.stringify({ memberHandles: [bob.handle] }),
    });
    expect(room.status).toBe(201);
    const { id } = await room.json();
    const now = Math.floor(Date.now() / 1000);
    const socket = await open(
      `${wsUrl()}?token=${await signAsPool(bob.accessToken, { iat: now, exp: now + 3 })}`,
    );
    const types: string[] = [];
    socket.on("message", (data) => {
      const text = String(data);
      if (text.startsWith("{")) types.push(JSON.parse(text).type);
    });
    const closed = new Promise<number>((resolve) => socket.once("close", (code) => resolve(code)));
    await new Promise((r) => setTimeout(r, Math.max(0, (now + 3) * 1000 - Date.now()) + 200));
    const sent = await alice.api(`/rooms/${id}/messages`, {
      method: "POST",
      body: JSON.stringify({ text: "after your token expired" }),
    });
    expect(sent.status).toBe(201);
    expect(await closed).toBe(1000);
    expect(types).not.toContain("chat.message");
  });

  it("closes every socket of a user who signs out, and refuses their earlier token afterwards", async () => {
    const cloud = inject("localCloud");
    const user = await createTestUser();
    const [a, b] = await Promise.all([
      open(`${wsUrl()}?token=${user.accessToken}`),
      open(`${wsUrl()}?token=${user.accessToken}`),
    ]);
    const closes = [a, b].map(
      (s) => new Promise<number>((resolve) => s.once("close", (code) => resolve(code))),
    );
    // The sign-out must come after the token's issue second for "issued before sign-out" to hold.
    await new Promise((r) => setTimeout(r, 1100));
    const res = await user.api("/me/sign-out", { method: "POST" });
    expect(res.status).toBe(204);
    expect(await Promise.all(closes)).toEqual([1000, 1000]);
    // The token is still unexpired and the JWT checks pass, but it predates the sign-out.
    expect(await upgradeStatus(`${wsUrl()}?token=${user.accessToken}`)).toBe(401);
    // Signing in again gives a token that opens a socket.
    const again = await cognitoClient(cloud.cognito).send(
      new InitiateAuthCommand({
        ClientId: cloud.cognito.clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: user.email, PASSWORD: user.password },
      }),
    );
    expect(await upgradeStatus(`${wsUrl()}?token=${again.AuthenticationResult?.AccessToken}`)).toBe(101);
  });
});
