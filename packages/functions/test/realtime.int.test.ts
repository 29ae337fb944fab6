import { describe, expect, inject, it } from "vitest";
import WebSocket from "ws";
import { createTestUser } from "../../../tests/support/test-user";

const wsUrl = () => inject("localCloud").wsUrl;

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once("open", () => resolve(socket));
    socket.once("error", () => reject(new Error("refused")));
  });
}

describe("WebSocket API on the local cloud", () => {
  it("refuses $connect without a token or with a bad one", async () => {
    await expect(open(wsUrl())).rejects.toThrow("refused");
    await expect(open(`${wsUrl()}?token=not-a-jwt`)).rejects.toThrow("refused");
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
});
