import { inject } from "vitest";
import WebSocket from "ws";
import { createTestUser, type TestUser, uniqueHandle } from "../../../tests/support/test-user";

export type ChatUser = TestUser & { handle: string };

/** A signed-in user with a profile (chat needs a handle). */
export async function chatUser(prefix = "c"): Promise<ChatUser> {
  const user = await createTestUser();
  const handle = uniqueHandle(prefix);
  const res = await user.api("/me", {
    method: "POST",
    body: JSON.stringify({ handle, displayName: handle }),
  });
  if (res.status !== 201) throw new Error(`profile: ${res.status} ${await res.text()}`);
  return { ...user, handle };
}

export interface Frame {
  type: string;
  id: string;
  data: Record<string, any>;
}

/** A WebSocket that records every event it receives, for later assertions. */
export interface Listener {
  socket: WebSocket;
  frames: Frame[];
  next(type: string, match?: (f: Frame) => boolean, timeoutMs?: number): Promise<Frame>;
  close(): Promise<void>;
}

export function listen(user: TestUser): Promise<Listener> {
  const socket = new WebSocket(`${inject("localCloud").wsUrl}?token=${user.accessToken}`);
  const frames: Frame[] = [];
  const waiters = new Set<() => void>();
  socket.on("message", (data) => {
    frames.push(JSON.parse(String(data)));
    for (const w of waiters) w();
  });
  const next = (type: string, match: (f: Frame) => boolean = () => true, timeoutMs = 5_000) =>
    new Promise<Frame>((resolve, reject) => {
      const check = () => {
        const found = frames.find((f) => f.type === type && match(f));
        if (!found) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no ${type} within ${timeoutMs} ms; got ${frames.map((f) => f.type).join(", ")}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  const close = () =>
    new Promise<void>((resolve) => {
      if (socket.readyState === WebSocket.CLOSED) return resolve();
      socket.once("close", () => resolve());
      socket.close();
    });
  return new Promise((resolve, reject) => {
    socket.once("open", () => resolve({ socket, frames, next, close }));
    socket.once("error", reject);
  });
}

export async function json<T = any>(res: Response | Promise<Response>, status?: number): Promise<T> {
  const r = await res;
  const text = await r.text();
  if (status !== undefined && r.status !== status)
    throw new Error(`expected ${status}, got ${r.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export const post = (body: unknown): RequestInit => ({ method: "POST", body: JSON.stringify(body) });

/** Makes every pair follow each other, so rooms between them skip message requests. */
export async function friends(...users: ChatUser[]): Promise<void> {
  await Promise.all(
    users.flatMap((a) =>
      users
        .filter((b) => b !== a)
        .map(async (b) => {
          const res = await a.api(`/users/${b.handle}/follow`, { method: "POST" });
          if (res.status !== 204) throw new Error(`follow: ${res.status} ${await res.text()}`);
        }),
    ),
  );
}
