// A suspended user's content on the local cloud: hidden from everyone else on every reader (timelines, the post page,
// replies, public pages, search, notifications, chat) while the suspension lasts, all back after the lift.
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { InitiateAuthCommand } from "@aws-sdk/client-cognito-identity-provider";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { cognitoClient, PASSWORD } from "../../../tests/support/cognito";
import { createTestMember, type TestMember } from "../../../tests/support/test-user";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../../..");
const cloud = () => inject("localCloud");
const cognito = () => cognitoClient(cloud().cognito);
const signedOut = (path: string) => fetch(`${cloud().apiUrl}${path}`);

/** Polls until the stream has carried the change through (the Cards and search subscribers). */
async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 30_000): Promise<T> {
  const until = Date.now() + ms;
  let last = await read();
  while (!ok(last)) {
    if (Date.now() > until) throw new Error(`not reached in ${ms} ms; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 200));
    last = await read();
  }
  return last;
}

async function json<T>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return (text ? JSON.parse(text) : undefined) as T;
}

const body = (value: unknown): RequestInit => ({ method: "POST", body: JSON.stringify(value) });

/** Tokens of a new sign-in or of a refresh: what the browser holds next. */
async function withTokens(user: TestMember, flow: "password" | "refresh"): Promise<TestMember> {
  const auth = await cognito().send(
    new InitiateAuthCommand({
      ClientId: cloud().cognito.clientId,
      ...(flow === "password"
        ? { AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: user.email, PASSWORD } }
        : { AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: user.refreshToken } }),
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

interface Post {
  id: string;
  author: { handle: string };
  repostedBy?: { handle: string };
}
interface Page {
  items: Post[];
}
interface Message {
  id: string;
  sender: { id: string; handle: string; displayName: string };
  text: string;
}
interface Room {
  id: string;
  members: { id: string; handle: string }[];
  lastMessage: Message | null;
}

describe("a suspended user's content", () => {
  let victim: TestMember;
  let reader: TestMember;
  let friend: TestMember;
  let fan: TestMember;
  let mod: TestMember;
  beforeAll(async () => {
    [victim, reader, friend, fan, mod] = await Promise.all([
      createTestMember("susv", "Suspect Person"),
      createTestMember("susr", "Reader"),
      createTestMember("susf", "Friend"),
      createTestMember("susn", "Fan"),
      createTestMember("susm", "Mod"),
    ]);
    await run("npx", ["tsx", "scripts/admin.ts", "grant", mod.email], {
      cwd: root,
      env: { ...process.env, ASYNCSNS_DATA_DIR: inject("localDataDir") },
    });
    mod = await withTokens(mod, "refresh");
  });

  it("is hidden from everyone else while suspended and all back after the lift", {
    timeout: 180_000,
  }, async () => {
    const marker = `q${Date.now().toString(36)}`;
    const tag = `sus${marker}`;
    // The reader follows the victim; the fan follows only the friend, who reposts the victim's post.
    for (const [who, whom] of [
      [reader, victim],
      [victim, reader],
      [fan, friend],
    ] as const)
      await json(await who.api(`/users/${whom.handle}/follow`, { method: "POST" }), 204);
    const own = await json<Post>(
      await victim.api("/posts", body({ text: `hello ${marker} #${tag} @${reader.handle}` })),
      201,
    );
    const root = await json<Post>(await friend.api("/posts", body({ text: "a thread to reply to" })), 201);
    const reply = await json<Post>(
      await victim.api("/posts", body({ text: `a reply ${marker}`, replyTo: root.id })),
      201,
    );
    await json(await friend.api(`/posts/${own.id}/repost`, { method: "POST" }), 204);
    const room = await json<Room>(await reader.api("/rooms", body({ memberHandles: [victim.handle] })), 201);
    const message = await json<Message>(
      await victim.api(`/rooms/${room.id}/messages`, body({ text: `psst ${marker}` })),
      201,
    );

    const reads = {
      home: async () => (await json<Page>(await reader.api("/timelines/home?limit=50"), 200)).items,
      fanHome: async () => (await json<Page>(await fan.api("/timelines/home?limit=50"), 200)).items,
      everyone: async () => {
        // Other test files post too: page on until past the victim's post (ids are time-ordered ULIDs).
        const items: Post[] = [];
        let cursor: string | null = null;
        do {
          const page: Page & { cursor: string | null } = await json(
            await reader.api(
              `/timelines/public?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
            ),
            200,
          );
          items.push(...page.items);
          cursor = page.items.some((p) => p.id < own.id) ? null : page.cursor;
        } while (cursor);
        return items;
      },
      tagged: async () => (await json<Page>(await reader.api(`/tags/${tag}/posts`), 200)).items,
      replies: async () =>
        (await json<{ replies: Page }>(await reader.api(`/posts/${root.id}`), 200)).replies.items,
      searched: async () =>
        (await json<Page>(await reader.api(`/search/posts?q=${encodeURIComponent(marker)}`), 200)).items,
      people: async () =>
        (
          await json<{ items: { id: string }[] }>(
            await reader.api(`/search/users?q=${encodeURIComponent(victim.handle)}`),
            200,
          )
        ).items,
      tags: async () =>
        (await json<{ items: { tag: string }[] }>(await reader.api(`/search/tags?q=${tag}`), 200)).items,
      notices: async () =>
        (
          await json<{ items: { type: string; actors: { id: string }[] }[] }>(
            await reader.api("/notifications?limit=50"),
            200,
          )
        ).items.filter((n) => n.actors.some((a) => a.id === victim.sub) || n.type === "post.mention"),
      messages: async () =>
        (await json<{ items: Message[] }>(await reader.api(`/rooms/${room.id}/messages`), 200)).items,
      rooms: async () =>
        (await json<{ items: Room[] }>(await reader.api("/rooms"), 200)).items.find((r) => r.id === room.id),
    };
    const has = (items: Post[], id: string) => items.some((p) => p.id === id);
    const ownThread = `/posts/${own.id}`;

    // Before: everything shows (search and reposts come through the stream).
    expect(has(await reads.home(), own.id)).toBe(true);
    await eventually(reads.fanHome, (items) => items.some((p) => p.id === own.id && p.repostedBy));
    expect(has(await reads.everyone(), own.id)).toBe(true);
    expect(has(await reads.tagged(), own.id)).toBe(true);
    expect(has(await reads.replies(), reply.id)).toBe(true);
    await eventually(reads.searched, (items) => has(items, own.id) && has(items, reply.id));
    await eventually(reads.people, (items) => items.some((u) => u.id === victim.sub));
    await eventually(reads.tags, (items) => items.some((t) => t.tag === tag));
    await eventually(reads.notices, (items) => items.some((n) => n.type === "follow"));
    expect((await reads.notices()).some((n) => n.type === "post.mention")).toBe(true);
    expect((await reads.messages()).find((m) => m.id === message.id)?.sender.handle).toBe(victim.handle);
    expect((await signedOut(`/public/posts/${own.id}`)).status).toBe(200);

    // Suspended through a report, as a moderator does it.
    await json(await reader.api("/reports", body({ type: "user", id: victim.sub, reason: "spam" })), 201);
    const cases = await json<{ items: { id: string; targetId: string }[] }>(
      await mod.api("/admin/reports?limit=50"),
      200,
    );
    const target = cases.items.find((c) => c.targetId === victim.sub);
    await json(await mod.api(`/admin/reports/${target?.id}/resolve`, body({ action: "suspend" })), 200);

    // The card marked suspended reaches every post through the Cards subscriber: wait for the last reader of it.
    await eventually(reads.searched, (items) => items.length === 0);
    await eventually(reads.fanHome, (items) => !has(items, own.id));
    expect(has(await reads.home(), own.id)).toBe(false);
    expect(has(await reads.everyone(), own.id)).toBe(false);
    expect(await reads.tagged()).toEqual([]);
    expect(has(await reads.replies(), reply.id)).toBe(false);
    expect((await reader.api(ownThread)).status).toBe(404);
    expect((await reader.api(`/users/${victim.handle}/posts`)).status).toBe(404);
    // Nobody to others, so nobody to follow: the follow is refused as for an unknown handle.
    const followed = await fan.api(`/users/${victim.handle}/follow`, { method: "POST" });
    expect(followed.status).toBe(404);
    expect(((await followed.json()) as { error: { code: string } }).error.code).toBe("profile.not_found");
    // The index itself forgets them: people search and tag suggestions (counted by the engine) too.
    await eventually(reads.people, (items) => items.length === 0);
    await eventually(reads.tags, (items) => items.length === 0);
    expect(await reads.notices()).toEqual([]);
    // In the room their messages read like a deleted user's; the room's member list and preview too.
    const hidden = (await reads.messages()).find((m) => m.id === message.id);
    expect(hidden).toMatchObject({
      sender: { id: victim.sub, handle: "", displayName: "" },
      text: `psst ${marker}`,
    });
    const reacted = await json<Message>(
      await reader.api(`/rooms/${room.id}/messages/${message.id}/reactions/${encodeURIComponent("👍")}`, {
        method: "POST",
      }),
      200,
    );
    expect(reacted.sender.handle).toBe("");
    const listed = await reads.rooms();
    expect(listed?.lastMessage?.sender.handle).toBe("");
    expect(listed?.members.find((m) => m.id === victim.sub)?.handle).toBe("");
    for (const path of [
      `/public/posts/${own.id}`,
      `/public/users/${victim.handle}`,
      `/public/users/${victim.handle}/posts`,
    ])
      expect((await signedOut(path)).status, path).toBe(404);
    expect((await signedOut(`/public/posts/${root.id}`)).status).toBe(200);

    // The lift brings everything back, through the same subscribers.
    await json(await mod.api(`/admin/users/${victim.handle}/unsuspend`, body({})), 204);
    await eventually(reads.searched, (items) => has(items, own.id) && has(items, reply.id));
    await eventually(reads.fanHome, (items) => has(items, own.id));
    expect(has(await reads.home(), own.id)).toBe(true);
    expect(has(await reads.everyone(), own.id)).toBe(true);
    expect(has(await reads.tagged(), own.id)).toBe(true);
    expect(has(await reads.replies(), reply.id)).toBe(true);
    expect((await reader.api(ownThread)).status).toBe(200);
    expect((await fan.api(`/users/${victim.handle}/follow`, { method: "POST" })).status).toBe(204);
    await eventually(reads.people, (items) => items.some((u) => u.id === victim.sub));
    await eventually(reads.tags, (items) => items.some((t) => t.tag === tag));
    expect((await reads.notices()).map((n) => n.type)).toEqual(
      expect.arrayContaining(["follow", "post.mention"]),
    );
    expect((await reads.messages()).find((m) => m.id === message.id)?.sender.handle).toBe(victim.handle);
    expect((await reads.rooms())?.lastMessage?.sender.handle).toBe(victim.handle);
    expect((await signedOut(`/public/posts/${own.id}`)).status).toBe(200);

    // Signed in again, the user sees their own content as before.
    const back = await withTokens(victim, "password");
    const mine = await json<Page>(await back.api(`/users/${victim.handle}/posts`), 200);
    expect(mine.items.map((p) => p.id)).toEqual(expect.arrayContaining([own.id, reply.id]));
    expect((await back.api(ownThread)).status).toBe(200);
  });
});

describe("acting on a suspended user", () => {
  let victim: TestMember;
  let caller: TestMember;
  let owner: TestMember;
  let other: TestMember;
  let inbox: TestMember;
  let mod: TestMember;
  beforeAll(async () => {
    [victim, caller, owner, other, inbox, mod] = await Promise.all([
      createTestMember("susav", "Suspended Later"),
      createTestMember("susac", "Caller"),
      createTestMember("susao", "Owner"),
      createTestMember("susao2", "Other"),
      createTestMember("susai", "Inbox"),
      createTestMember("susam", "Mod"),
    ]);
    await run("npx", ["tsx", "scripts/admin.ts", "grant", mod.email], {
      cwd: root,
      env: { ...process.env, ASYNCSNS_DATA_DIR: inject("localDataDir") },
    });
    mod = await withTokens(mod, "refresh");
  });

  const refused = async (res: Response) =>
    expect((await json<{ error: { code: string } }>(res, 404)).error.code).toBe("profile.not_found");

  it("refuses rooms, group adds, calls with them and their own writes; the bell skips them; until the lift", {
    timeout: 180_000,
  }, async () => {
    // The caller and the victim follow each other, so a call between them is allowed. The inbox gets two rows: the
    // victim's follow, and a mention by someone else.
    for (const [who, whom] of [
      [caller, victim],
      [victim, caller],
      [victim, inbox],
    ] as const)
      await json(await who.api(`/users/${whom.handle}/follow`, { method: "POST" }), 204);
    await json(await other.api("/posts", body({ text: `hi @${inbox.handle}` })), 201);
    const group = await json<Room>(
      await owner.api("/rooms", body({ memberHandles: [other.handle], name: "a group" })),
      201,
    );
    const bell = async () =>
      (await json<{ unread: number }>(await inbox.api("/notifications/unread"), 200)).unread;
    const listed = async () =>
      json<{ items: { actors: { id: string }[] }[]; unread: number }>(await inbox.api("/notifications"), 200);
    await eventually(bell, (n) => n === 2);
    expect((await listed()).items).toHaveLength(2);

    await json(await other.api("/reports", body({ type: "user", id: victim.sub, reason: "spam" })), 201);
    const cases = await json<{ items: { id: string; targetId: string }[] }>(
      await mod.api("/admin/reports?limit=50"),
      200,
    );
    const target = cases.items.find((c) => c.targetId === victim.sub);
    await json(await mod.api(`/admin/reports/${target?.id}/resolve`, body({ action: "suspend" })), 200);

    // Nobody to others: a 1:1 room, a group with them, adding them, calling them all answer as an unknown handle.
    await refused(await caller.api("/rooms", body({ memberHandles: [victim.handle] })));
    await refused(
      await owner.api("/rooms", body({ memberHandles: [victim.handle, other.handle], name: "with them" })),
    );
    await refused(await owner.api(`/rooms/${group.id}/members`, body({ handles: [victim.handle] })));
    await refused(await caller.api("/calls", body({ handle: victim.handle, kind: "audio" })));
    // Nothing was written: no room, no member, no call on either side.
    const roomsOf = async (who: TestMember) =>
      (await json<{ items: Room[] }>(await who.api("/rooms"), 200)).items;
    expect(await roomsOf(caller)).toEqual([]);
    expect((await roomsOf(owner)).map((r) => r.id)).toEqual([group.id]);
    expect((await roomsOf(owner))[0]?.members.map((m) => m.id).sort()).toEqual([owner.sub, other.sub].sort());
    expect((await json<{ items: unknown[] }>(await caller.api("/calls"), 200)).items).toEqual([]);
    // The bell counts what the list shows: the victim's follow leaves both.
    expect(await bell()).toBe(1);
    const during = await listed();
    expect(during.unread).toBe(1);
    expect(during.items.map((n) => n.actors.map((a) => a.id))).toEqual([[other.sub]]);

    // Their own token stays valid until it expires: it still reads, but every counted write is refused.
    await json(await victim.api("/me"), 200);
    for (const [path, value] of [
      ["/posts", { text: "still here" }],
      ["/rooms", { memberHandles: [caller.handle] }],
      ["/calls", { handle: caller.handle, kind: "audio" }],
      [`/users/${other.handle}/follow`, undefined],
    ] as const) {
      const res = await victim.api(path, value ? body(value) : { method: "POST" });
      expect((await json<{ error: { code: string } }>(res, 403)).error.code, path).toBe("user.suspended");
    }
    expect(await roomsOf(caller)).toEqual([]);

    // The lift: counted and listed again, and a room and a call with them work again.
    await json(await mod.api(`/admin/users/${victim.handle}/unsuspend`, body({})), 204);
    expect(await bell()).toBe(2);
    expect((await listed()).unread).toBe(2);
    const room = await json<Room>(await caller.api("/rooms", body({ memberHandles: [victim.handle] })), 201);
    const answered = await json<{ call: { id: string; state: string } }>(
      await caller.api("/calls", body({ handle: victim.handle, kind: "audio" })),
      201,
    );
    expect(answered.call.state).toBe("ringing");
    await json(await caller.api(`/calls/${answered.call.id}/cancel`, { method: "POST" }), 200);
    // Signed in again, the victim writes again and finds only what came after the lift: one room, one call.
    const back = await withTokens(victim, "password");
    await json(await back.api("/posts", body({ text: "back again" })), 201);
    expect((await roomsOf(back)).map((r) => r.id)).toEqual([room.id]);
    expect(
      (await json<{ items: { id: string }[] }>(await back.api("/calls"), 200)).items.map((c) => c.id),
    ).toEqual([answered.call.id]);
  });
});
