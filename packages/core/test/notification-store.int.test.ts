import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { useLocalTable } from "../../../tests/support/in-process-core";

// The notification store in-process against the local cloud's DynamoDB Local table.
type Store = typeof import("../src/notification").Notification;
type Event = import("../src/notification").NotificationEvent;
let Notification: Store;
let UserEntity: typeof import("../src/user/user.entity").UserEntity;
let FollowEntity: typeof import("../src/follow/follow.entity").FollowEntity;
let DeletionEntity: typeof import("../src/account/account.entity").DeletionEntity;
let NotificationMarkEntity: typeof import("../src/notification/notification.entity").NotificationMarkEntity;

beforeAll(async () => {
  useLocalTable();
  ({ Notification } = await import("../src/notification"));
  ({ UserEntity } = await import("../src/user/user.entity"));
  ({ FollowEntity } = await import("../src/follow/follow.entity"));
  ({ DeletionEntity } = await import("../src/account/account.entity"));
  ({ NotificationMarkEntity } = await import("../src/notification/notification.entity"));
});

/** Real profiles, so rows resolve their actors' cards. */
async function users(n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, () => randomUUID());
  await Promise.all(
    ids.map((userId, i) =>
      UserEntity.put({ userId, handle: `n${userId.slice(0, 8)}`, displayName: `User ${i}` }).go(),
    ),
  );
  return ids;
}

const postId = () => `pst_${randomUUID()}`;
let clock = Date.now();
/** Distinct, increasing event times. */
const tick = () => ++clock;

const like = (
  recipient: string,
  actor: string,
  post: string,
  at: number,
  op: "add" | "retract" = "add",
): Event => ({
  type: "post.like",
  op,
  actor,
  recipient,
  subject: { kind: "post", id: post, text: "hello" },
  at,
});

async function all(userId: string) {
  const items = [];
  let cursor: string | undefined;
  do {
    const page = await Notification.list(userId, { limit: 50, ...(cursor ? { cursor } : {}) });
    items.push(...page.items);
    cursor = page.cursor ?? undefined;
  } while (cursor);
  return items;
}

/** The invariant every test leans on: the stored count is the number of unread rows. */
async function expectExactUnread(userId: string) {
  const items = await all(userId);
  const count = await Notification.unread(userId);
  expect(count).toBe(items.filter((item) => !item.read).length);
  return { items, count };
}

describe("apply", () => {
  it("makes nothing more of a redelivered add", async () => {
    const [me, aki] = await users(2);
    const post = postId();
    const at = tick();
    const first = await Notification.apply(like(me!, aki!, post, at));
    expect(first).toMatchObject({ outcome: "created", unread: 1 });
    const again = await Notification.apply(like(me!, aki!, post, at));
    expect(again.outcome).toBe("duplicate");
    expect(again.unread).toBe(1);
    expect(again.item).toEqual(first.item);
    const { items } = await expectExactUnread(me!);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ actorCount: 1, updatedAt: first.item!.updatedAt });
  });

  it("notifies nobody of their own action", async () => {
    const [me] = await users(1);
    const result = await Notification.apply(like(me!, me!, postId(), tick()));
    expect(result).toEqual({ outcome: "noop", unread: 0 });
    expect(await all(me!)).toEqual([]);
  });

  it("writes nothing for a recipient whose deletion was asked for, or who is gone", async () => {
    // The account sweeper removes a user's notifications once; an event the stream delivers later must not return.
    const [leaving, gone, actor] = await users(3);
    const post = postId();
    await Notification.apply(like(leaving!, actor!, post, tick()));
    await DeletionEntity.put({ userId: leaving! }).go();
    await UserEntity.delete({ userId: gone! }).go();
    const events = [
      like(leaving!, actor!, postId(), tick()),
      like(leaving!, actor!, post, tick(), "retract"),
      like(gone!, actor!, postId(), tick()),
      like(gone!, actor!, postId(), tick(), "retract"),
    ];
    for (const event of events)
      expect(await Notification.apply(event)).toEqual({ outcome: "noop", unread: 0 });
    // The row written before the request stays for the sweeper; no new row, no mark, no tombstone.
    expect(await all(leaving!)).toHaveLength(1);
    expect(await all(gone!)).toEqual([]);
    const marks = async (recipient: string) =>
      (await NotificationMarkEntity.query.byId({ recipient }).go({ consistent: true })).data;
    expect(await marks(leaving!)).toHaveLength(1);
    expect(await marks(gone!)).toEqual([]);
  });

  it("groups three likes on one post into one row, actors newest first", async () => {
    const [me, a, b, c] = await users(4);
    const post = postId();
    const outcomes = [];
    for (const actor of [a, b, c])
      outcomes.push((await Notification.apply(like(me!, actor!, post, tick()))).outcome);
    expect(outcomes).toEqual(["created", "updated", "updated"]);
    const { items, count } = await expectExactUnread(me!);
    expect(count).toBe(1);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      type: "post.like",
      groupKey: `post.like:${post}`,
      actorCount: 3,
      subject: { kind: "post", id: post, text: "hello" },
      read: false,
    });
    expect(items[0]!.actors.map((s) => s.id)).toEqual([c, b, a]);
    expect(items[0]!.actors[0]).toEqual({
      id: c,
      handle: `n${c!.slice(0, 8)}`,
      displayName: "User 3",
      avatarUrl: null,
    });
  });

  it("moves a row with a new actor to the top and makes it unread again", async () => {
    const [me, a, b] = await users(3);
    const [p1, p2] = [postId(), postId()];
    const first = await Notification.apply(like(me!, a!, p1, tick()));
    const second = await Notification.apply(like(me!, a!, p2, tick()));
    await Notification.markRead(me!);
    expect((await all(me!)).map((i) => i.id)).toEqual([second.id, first.id]);
    const bumped = await Notification.apply(like(me!, b!, p1, tick()));
    expect(bumped).toMatchObject({ outcome: "updated", id: first.id, unread: 1 });
    const { items } = await expectExactUnread(me!);
    expect(items.map((i) => [i.id, i.read])).toEqual([
      [first.id, false],
      [second.id, true],
    ]);
    expect(Date.parse(items[0]!.updatedAt)).toBeGreaterThan(Date.parse(first.item!.updatedAt));
  });

  it("retracts an unlike: the count drops, the actors are recomputed, the last one removes the row", async () => {
    const [me, a, b, c, d] = await users(5);
    const post = postId();
    const at = new Map<string, number>();
    for (const actor of [a!, b!, c!, d!]) {
      at.set(actor, tick());
      await Notification.apply(like(me!, actor, post, at.get(actor)!));
    }
    const dropD = await Notification.apply(like(me!, d!, post, at.get(d!)!, "retract"));
    expect(dropD.outcome).toBe("retracted");
    expect(dropD.item).toMatchObject({ actorCount: 3 });
    // d was shown; a, hidden behind three newer actors, comes back into view.
    expect(dropD.item!.actors.map((s) => s.id)).toEqual([c, b, a]);
    expect(dropD.unread).toBe(1);

    const dropB = await Notification.apply(like(me!, b!, post, at.get(b!)!, "retract"));
    expect(dropB.item!.actors.map((s) => s.id)).toEqual([c, a]);
    await Notification.apply(like(me!, c!, post, at.get(c!)!, "retract"));
    const last = await Notification.apply(like(me!, a!, post, at.get(a!)!, "retract"));
    expect(last).toEqual({ outcome: "retracted", id: dropD.id, unread: 0 });
    expect(await all(me!)).toEqual([]);
    // A redelivered retract changes nothing.
    expect((await Notification.apply(like(me!, a!, post, at.get(a!)!, "retract"))).outcome).toBe("duplicate");
    await expect(Notification.actors(me!, dropD.id!)).rejects.toMatchObject({
      code: "notification.not_found",
    });
  });

  it("keeps a read row read when an actor is retracted, and the count exact when an unread row goes", async () => {
    const [me, a, b] = await users(3);
    const [p1, p2] = [postId(), postId()];
    const [t1, t2, t3] = [tick(), tick(), tick()];
    await Notification.apply(like(me!, a!, p1, t1));
    await Notification.apply(like(me!, b!, p1, t2));
    await Notification.markRead(me!);
    await Notification.apply(like(me!, a!, p2, t3));
    const kept = await Notification.apply(like(me!, b!, p1, t2, "retract"));
    expect(kept).toMatchObject({ outcome: "retracted", unread: 1, item: { read: true, actorCount: 1 } });
    const gone = await Notification.apply(like(me!, a!, p2, t3, "retract"));
    expect(gone.unread).toBe(0);
    await expectExactUnread(me!);
  });

  it("treats an add arriving after its retract as stale, and applies a later re-like", async () => {
    const [me, a] = await users(2);
    const post = postId();
    const liked = tick();
    const early = await Notification.apply(like(me!, a!, post, liked, "retract"));
    expect(early).toEqual({ outcome: "noop", unread: 0 });
    const late = await Notification.apply(like(me!, a!, post, liked));
    expect(late.outcome).toBe("stale");
    expect(late.item).toBeUndefined();
    expect(await all(me!)).toEqual([]);
    expect(await Notification.unread(me!)).toBe(0);

    const again = await Notification.apply(like(me!, a!, post, tick()));
    expect(again).toMatchObject({ outcome: "created", unread: 1, item: { actorCount: 1 } });
  });

  it("applies like, unlike, re-like in order", async () => {
    const [me, a] = await users(2);
    const post = postId();
    const t1 = tick();
    await Notification.apply(like(me!, a!, post, t1));
    await Notification.apply(like(me!, a!, post, t1, "retract"));
    const t2 = tick();
    expect((await Notification.apply(like(me!, a!, post, t2))).outcome).toBe("created");
    // The re-like's retract of the first like, redelivered late, is stale: the like stays.
    expect((await Notification.apply(like(me!, a!, post, t1, "retract"))).outcome).toBe("stale");
    expect((await all(me!))[0]).toMatchObject({ actorCount: 1 });
  });

  it("keeps a re-like that overtook the first like's retract", async () => {
    const [me, a] = await users(2);
    const post = postId();
    const [t1, t2] = [tick(), tick()];
    await Notification.apply(like(me!, a!, post, t1));
    expect((await Notification.apply(like(me!, a!, post, t2))).outcome).toBe("duplicate");
    expect((await Notification.apply(like(me!, a!, post, t1, "retract"))).outcome).toBe("stale");
    const { items, count } = await expectExactUnread(me!);
    expect(items).toHaveLength(1);
    expect(count).toBe(1);
  });

  it("groups chat per room: distinct senders, the latest message as preview, each message its own mark", async () => {
    const [me, a, b] = await users(3);
    const room = `rom_${randomUUID()}`;
    const message = (
      actor: string,
      object: string,
      text: string,
      at: number,
      op: "add" | "retract" = "add",
    ) =>
      ({
        type: "chat.message",
        op,
        actor,
        recipient: me!,
        subject: { kind: "room", id: room, text },
        object,
        at,
      }) satisfies Event;
    const [t1, t2, t3] = [tick(), tick(), tick()];
    await Notification.apply(message(a!, "msg_1", "first", t1));
    await Notification.apply(message(a!, "msg_2", "second", t2));
    // An older message delivered late does not replace the preview.
    await Notification.apply(message(b!, "msg_0", "zeroth", t1 - 5));
    const third = await Notification.apply(message(b!, "msg_3", "third", t3));
    expect(third.item).toMatchObject({ actorCount: 2, subject: { id: room, text: "third" } });
    expect(third.item!.actors.map((s) => s.id)).toEqual([b, a]);
    expect(await all(me!)).toHaveLength(1);
    // Deleting one of a's two messages keeps a on the row.
    const kept = await Notification.apply(message(a!, "msg_1", "first", t1, "retract"));
    expect(kept.item).toMatchObject({ actorCount: 2 });
  });

  it("groups follows per UTC day", async () => {
    const [me, a, b, c] = await users(4);
    const day = Date.UTC(2026, 0, 10, 12);
    const follow = (actor: string, at: number): Event => ({
      type: "follow",
      op: "add",
      actor,
      recipient: me!,
      at,
    });
    await Notification.apply(follow(a!, day));
    const second = await Notification.apply(follow(b!, day + 60_000));
    const nextDay = await Notification.apply(follow(c!, day + 86_400_000));
    expect(second.item).toMatchObject({ groupKey: "follow:2026-01-10", actorCount: 2 });
    expect(nextDay).toMatchObject({
      outcome: "created",
      item: { groupKey: "follow:2026-01-11", actorCount: 1 },
    });
    expect(second.item!.subject).toBeUndefined();
    // Unfollowing, whatever day it happens, takes the actor off the row their follow landed on.
    const unfollowed = await Notification.apply({ ...follow(a!, day), op: "retract" });
    expect(unfollowed).toMatchObject({ outcome: "retracted", id: second.id, item: { actorCount: 1 } });
  });

  it("keeps replies and mentions one row each", async () => {
    const [me, a] = await users(2);
    const reply = (id: string): Event => ({
      type: "post.reply",
      op: "add",
      actor: a!,
      recipient: me!,
      subject: { kind: "post", id },
      object: id,
      at: tick(),
    });
    const r1 = await Notification.apply(reply(postId()));
    const r2 = await Notification.apply(reply(postId()));
    expect(r1.id).not.toBe(r2.id);
    expect(await all(me!)).toHaveLength(2);
  });
});

describe("unread under concurrency", () => {
  it("stays exact with 50 applies for one recipient at once (mixed groups, duplicates)", async () => {
    const [me, ...actors] = await users(6);
    const posts = Array.from({ length: 8 }, () => postId());
    const events = posts.flatMap((post) => actors.map((actor) => like(me!, actor, post, tick())));
    const follows = actors
      .slice(0, 2)
      .map((actor): Event => ({ type: "follow", op: "add", actor, recipient: me!, at: clock }));
    const redelivered = events.slice(0, 8);
    const all50 = [...events, ...follows, ...redelivered];
    expect(all50).toHaveLength(50);
    const results = await Promise.all(all50.map((e) => Notification.apply(e)));
    // One creation per row, and of each redelivered pair exactly one is the duplicate.
    expect(results.filter((r) => r.outcome === "created")).toHaveLength(posts.length + 1);
    expect(results.filter((r) => r.outcome === "duplicate")).toHaveLength(redelivered.length);

    const { items, count } = await expectExactUnread(me!);
    expect(items).toHaveLength(posts.length + 1);
    expect(count).toBe(posts.length + 1);
    for (const item of items.filter((i) => i.type === "post.like")) {
      expect(item.actorCount).toBe(actors.length);
      expect(item.actors).toHaveLength(3);
    }
    expect(items.find((i) => i.type === "follow")).toMatchObject({ actorCount: 2 });
  });

  it("stays exact when adds, retracts, redeliveries and mark-read race", async () => {
    const [me, ...actors] = await users(5);
    const posts = Array.from({ length: 6 }, () => postId());
    const adds = posts.flatMap((post) => actors.map((actor) => like(me!, actor, post, tick())));
    await Promise.all(adds.slice(0, 12).map((e) => Notification.apply(e)));
    // Retract half of what was added (some before their add lands), redeliver, and read, all at once.
    const retracts = adds.filter((_, i) => i % 2 === 0).map((e) => ({ ...e, op: "retract" as const }));
    const work = [
      ...adds.slice(12).map((e) => () => Notification.apply(e)),
      ...retracts.map((e) => () => Notification.apply(e)),
      ...adds.slice(0, 6).map((e) => () => Notification.apply(e)),
      () => Notification.markRead(me!),
      () => Notification.markRead(me!),
    ];
    await Promise.all(work.map((run) => run()));
    const { items } = await expectExactUnread(me!);
    // Every retracted like is gone for good (a late add is stale); every other like is counted once.
    const expected = new Map<string, number>();
    adds.forEach((e, i) => {
      if (i % 2 !== 0) expected.set(e.subject!.id, (expected.get(e.subject!.id) ?? 0) + 1);
    });
    expect(new Map(items.map((item) => [item.subject!.id, item.actorCount]))).toEqual(expected);
  });
});

describe("markRead", () => {
  it("reads everything at once", async () => {
    const [me, a] = await users(2);
    for (let i = 0; i < 3; i++) await Notification.apply(like(me!, a!, postId(), tick()));
    expect(await Notification.unread(me!)).toBe(3);
    expect(await Notification.markRead(me!)).toEqual({ unread: 0 });
    const { items } = await expectExactUnread(me!);
    expect(items.every((item) => item.read)).toBe(true);
  });

  it("reads a row and every older one, leaving newer ones unread", async () => {
    const [me, a] = await users(2);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await Notification.apply(like(me!, a!, postId(), tick()))).id!);
    expect(await Notification.markRead(me!, ids[1])).toEqual({ unread: 2 });
    const { items } = await expectExactUnread(me!);
    expect(items.map((item) => [item.id, item.read])).toEqual([
      [ids[3], false],
      [ids[2], false],
      [ids[1], true],
      [ids[0], true],
    ]);
    // Reading again is a no-op; reading the newest reads the rest.
    expect(await Notification.markRead(me!, ids[1])).toEqual({ unread: 2 });
    expect(await Notification.markRead(me!, ids[3])).toEqual({ unread: 0 });
  });

  it("answers 404 for an id that is not the user's", async () => {
    const [me, other, a] = await users(3);
    const theirs = await Notification.apply(like(other!, a!, postId(), tick()));
    await expect(Notification.markRead(me!, theirs.id)).rejects.toMatchObject({
      kind: "not-found",
      code: "notification.not_found",
    });
    await expect(Notification.markRead(me!, "ntf_nope")).rejects.toMatchObject({ kind: "not-found" });
  });
});

describe("list", () => {
  it("pages newest first by updatedAt without repeats", async () => {
    const [me, a, b] = await users(3);
    const ids: string[] = [];
    const posts = Array.from({ length: 5 }, () => postId());
    for (const post of posts) ids.push((await Notification.apply(like(me!, a!, post, tick()))).id!);
    // A new actor on the oldest row makes it the newest.
    await Notification.apply(like(me!, b!, posts[0]!, tick()));
    const expected = [ids[0], ids[4], ids[3], ids[2], ids[1]];

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<Store["list"]>> = await Notification.list(me!, {
        limit: 2,
        ...(cursor ? { cursor } : {}),
      });
      expect(page.items.length).toBeLessThanOrEqual(2);
      expect(page.unread).toBe(5);
      seen.push(...page.items.map((item) => item.id));
      cursor = page.cursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual(expected);
    expect(pages).toBe(3);
  });

  it("caps the limit at 50 and refuses a forged cursor", async () => {
    const [me] = await users(1);
    await expect(Notification.list(me!, { cursor: "bm9wZQ" })).rejects.toMatchObject({
      code: "cursor.invalid",
    });
    expect((await Notification.list(me!, { limit: 500 })).items).toEqual([]);
  });
});

describe("actors", () => {
  it("lists everyone on a row newest first, paged, only for its recipient", async () => {
    const [me, other, ...likers] = await users(7);
    const post = postId();
    let id = "";
    for (const actor of likers) id = (await Notification.apply(like(me!, actor, post, tick()))).id!;
    const first = await Notification.actors(me!, id, { limit: 3 });
    expect(first.cursor).not.toBeNull();
    const second = await Notification.actors(me!, id, { limit: 3, cursor: first.cursor! });
    expect(second.cursor).toBeNull();
    expect([...first.items, ...second.items].map((s) => s.id)).toEqual([...likers].reverse());
    await expect(Notification.actors(other!, id)).rejects.toMatchObject({ kind: "not-found" });
  });
});

describe("Preferences", () => {
  it("answers defaults, merges each subset into what is stored, ignores unknown types", async () => {
    const [me] = await users(1);
    expect(await Notification.Preferences.get(me!)).toEqual(Notification.Preferences.defaults());
    const off = { inApp: false, push: false, from: "everyone" } as const;
    const mutuals = { inApp: true, push: false, from: "mutuals" } as const;
    await Notification.Preferences.put(me!, { follow: off });
    const merged = await Notification.Preferences.put(me!, {
      "post.like": mutuals,
      ...({ "no.such": off } as object),
    });
    expect(merged).toEqual({ ...Notification.Preferences.defaults(), follow: off, "post.like": mutuals });
    expect(await Notification.Preferences.get(me!)).toEqual(merged);
    expect(Object.keys(merged)).not.toContain("no.such");
  });

  it("keeps both of two concurrent changes", async () => {
    const [me] = await users(1);
    const off = { inApp: false, push: false, from: "everyone" } as const;
    await Promise.all([
      Notification.Preferences.put(me!, { follow: off }),
      Notification.Preferences.put(me!, { "chat.message": off }),
      Notification.Preferences.put(me!, { "call.missed": off }),
    ]);
    expect(await Notification.Preferences.get(me!)).toMatchObject({
      follow: off,
      "chat.message": off,
      "call.missed": off,
    });
  });

  it("reads the follow relation both ways", async () => {
    const [recipient, actor, stranger] = await users(3);
    await FollowEntity.put({ followerId: actor!, followeeId: recipient! }).go();
    expect(await Notification.Preferences.relation(recipient!, actor!)).toEqual({
      following: false,
      followedBy: true,
    });
    await FollowEntity.put({ followerId: recipient!, followeeId: actor! }).go();
    expect(await Notification.Preferences.relation(recipient!, actor!)).toEqual({
      following: true,
      followedBy: true,
    });
    expect(await Notification.Preferences.relation(recipient!, stranger!)).toEqual({
      following: false,
      followedBy: false,
    });
  });
});
