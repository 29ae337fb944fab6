import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { useLocalTable } from "../../../tests/support/in-process-core";
import { createId } from "../../core/src/id";

// The home read path in-process against the local cloud's table (its stream subscriber fans out as deployed),
// counting every DynamoDB call the read makes on core's client.
type Core = {
  withActor: typeof import("@asyncsns/core/actor").withActor;
  client: typeof import("@asyncsns/core/dynamo").client;
  User: typeof import("@asyncsns/core/user").User;
  Profile: typeof import("@asyncsns/core/profile").Profile;
  Follow: typeof import("@asyncsns/core/follow").Follow;
  Post: typeof import("@asyncsns/core/post").Post;
  Timeline: typeof import("@asyncsns/core/timeline").Timeline;
  MediaEntity: typeof import("@asyncsns/core/media").Media.MediaEntity;
  UserEntity: typeof import("../../core/src/user/user.entity").UserEntity;
  FeedEntryEntity: typeof import("../../core/src/timeline/feed").FeedEntryEntity;
  BigAuthorEntity: typeof import("../../core/src/timeline/feed").BigAuthorEntity;
  PostEntity: typeof import("../../core/src/post/post.entity").PostEntity;
  LikeEntity: typeof import("../../core/src/post/post.entity").LikeEntity;
  ReactionsEntity: typeof import("../../core/src/timeline/feed").ReactionsEntity;
  Reactions: typeof import("../../core/src/timeline/reactions");
};
let core: Core;

type Call = { name: string; input: unknown; start: number; end: number };
const calls: Call[] = [];
/** The reader's blocks (both ways), mutes and muted words: read beside the page, kept apart from its own reads. */
const safetyReads: Call[] = [];
const SAFETY_KEY = /^\$(block|mute|mutedword)_/i;
const isSafetyRead = (input: unknown) =>
  Object.values(
    (input as { ExpressionAttributeValues?: Record<string, unknown> }).ExpressionAttributeValues ?? {},
  ).some((v) => typeof v === "string" && SAFETY_KEY.test(v));
let counting = false;

beforeAll(async () => {
  useLocalTable();
  process.env.SST_RESOURCE_Media ??= JSON.stringify({ name: "unused", type: "sst.aws.Bucket" });
  const [actor, dynamo, user, follow, post, timeline, media, userEntity, postEntity] = await Promise.all([
    import("@asyncsns/core/actor"),
    import("@asyncsns/core/dynamo"),
    import("@asyncsns/core/user"),
    import("@asyncsns/core/follow"),
    import("@asyncsns/core/post"),
    import("@asyncsns/core/timeline"),
    import("@asyncsns/core/media"),
    import("../../core/src/user/user.entity"),
    import("../../core/src/post/post.entity"),
  ]);
  core = {
    withActor: actor.withActor,
    client: dynamo.client,
    User: user.User,
    Profile: (await import("@asyncsns/core/profile")).Profile,
    Follow: follow.Follow,
    Post: post.Post,
    Timeline: timeline.Timeline,
    MediaEntity: media.Media.MediaEntity,
    UserEntity: userEntity.UserEntity,
    FeedEntryEntity: (await import("../../core/src/timeline/feed")).FeedEntryEntity,
    BigAuthorEntity: (await import("../../core/src/timeline/feed")).BigAuthorEntity,
    PostEntity: postEntity.PostEntity,
    LikeEntity: postEntity.LikeEntity,
    ReactionsEntity: (await import("../../core/src/timeline/feed")).ReactionsEntity,
    Reactions: await import("../../core/src/timeline/reactions"),
  };
  core.client.middlewareStack.add(
    (next, context) => async (args) => {
      if (!counting) return next(args);
      const call = {
        name: context.commandName ?? "?",
        input: args.input,
        start: performance.now(),
        end: Number.NaN,
      };
      (isSafetyRead(args.input) ? safetyReads : calls).push(call);
      try {
        return await next(args);
      } finally {
        call.end = performance.now();
      }
    },
    { step: "initialize", name: "countCalls" },
  );
});

const as = <T>(userId: string, run: () => Promise<T>) =>
  core.withActor({ type: "user", properties: { userId } }, run);

async function person(prefix: string) {
  const userId = randomUUID();
  const handle = `${prefix}${randomUUID().replaceAll("-", "").slice(0, 10)}`;
  await as(userId, () => core.User.create({ handle, displayName: prefix }));
  return { userId, handle };
}

/** Polls until the check passes: stream subscribers and bucket notifications are asynchronous. */
const eventually = (check: () => Promise<void>, timeout = 20_000) =>
  vi.waitFor(check, { timeout, interval: 200 });

/** A post with an attachment as Post.create leaves it (verification needs S3, which this test does not use). */
async function postWithImage(authorId: string, text: string, alt: string) {
  const postId = createId("pst");
  const mediaId = createId("med");
  const postSeq = postId.slice(4);
  await core.MediaEntity.create({
    mediaId,
    ownerId: authorId,
    kind: "image",
    contentType: "image/png",
    size: 100,
    purpose: "post",
    alt,
    status: "ready",
    attachedTo: postId,
    width: 4,
    height: 3,
  }).go();
  const { data: author } = await core.UserEntity.get({ userId: authorId }).go();
  await core.PostEntity.create({
    postId,
    authorId,
    author: core.User.cardOf(author!),
    text,
    mediaIds: [mediaId],
  }).go();
  // The profile entry last: the stream fans it out, carrying author and media ids as Post.create writes them.
  await core.FeedEntryEntity.put({
    feed: `user#${authorId}`,
    seq: postSeq,
    postId,
    actorId: authorId,
    authorId,
    mediaIds: [mediaId],
  }).go();
  return { postId, mediaId };
}

describe("home timeline read", () => {
  it("serves a page of reposts, media, a big author's posts, an edit and a like from one key query round and one batch get; deleted posts stay hidden", async () => {
    const [reader, alice, bob, reposter, star] = await Promise.all([
      person("rd"),
      person("al"),
      person("bo"),
      person("rp"),
      person("st"),
    ]);
    // Above the suite's threshold (3): the star's posts are merged at read time, never fanned out.
    await core.UserEntity.patch({ userId: star.userId }).add({ followers: 100 }).go();
    // Big before anyone here follows them (the fan-out marks them on their first post), so nothing is backfilled.
    await as(star.userId, () => core.Post.create({ text: "warming up" }));
    await eventually(async () =>
      expect((await core.BigAuthorEntity.get({ scope: "all", userId: star.userId }).go()).data).toBeTruthy(),
    );
    for (const followee of [alice, bob, reposter, star])
      await as(reader.userId, () => core.Follow.follow({ handle: followee.handle }));

    const plain = await as(alice.userId, () => core.Post.create({ text: "first draft" }));
    const pictured = await postWithImage(alice.userId, "with a picture", "a red square");
    const doomed = await as(bob.userId, () => core.Post.create({ text: "about to be deleted" }));
    const bobs = await as(bob.userId, () => core.Post.create({ text: "bob stays" }));
    await as(reposter.userId, () => core.Post.repost({ postId: bobs.id }));
    const starred = await as(star.userId, () => core.Post.create({ text: "from the star" }));

    const home = () => as(reader.userId, () => core.Timeline.home({ limit: 20 }));
    await eventually(async () => {
      const ids = (await home()).items.map((i) => i.id);
      expect(ids).toEqual(expect.arrayContaining([plain.id, pictured.postId, doomed.id, starred.id]));
      expect((await home()).items.some((i) => i.repostedBy?.handle === reposter.handle)).toBe(true);
    });
    // Changes after fan-out must show: an edit, a like, a deletion (its home entry may still be there).
    await as(alice.userId, () => core.Post.edit({ postId: plain.id, text: "final text" }));
    await as(reader.userId, () => core.Post.like({ postId: plain.id }));
    await as(bob.userId, () => core.Post.remove({ postId: doomed.id }));

    calls.length = 0;
    safetyReads.length = 0;
    counting = true;
    const page = await home();
    counting = false;

    const byId = new Map(page.items.map((i) => [i.id, i]));
    expect(byId.has(doomed.id)).toBe(false);
    expect(byId.get(plain.id)).toMatchObject({
      text: "final text",
      editedAt: expect.any(String),
      likes: 1,
      likedByMe: true,
      author: { handle: alice.handle },
    });
    expect(byId.get(pictured.postId)?.media).toEqual([
      expect.objectContaining({ id: pictured.mediaId, alt: "a red square", width: 4, height: 3 }),
    ]);
    expect(byId.get(starred.id)).toMatchObject({ author: { handle: star.handle } });
    const repost = page.items.find((i) => i.repostedBy);
    expect(repost).toMatchObject({
      id: bobs.id,
      author: { handle: bob.handle },
      repostedBy: { handle: reposter.handle },
    });
    expect(page.items.filter((i) => i.id === bobs.id)).toHaveLength(2);

    // One round, all in parallel: the home partition (the reader's reactions and hybrid state on top of their
    // entries), the star's feed (this Lambda remembers the reader follows them) and the page's posts (this Lambda
    // remembers what the page showed last time). The edit, the like and the deletion show all the same.
    expect(calls.map((c) => c.name).sort()).toEqual(["BatchGetItemCommand", "QueryCommand", "QueryCommand"]);
    expect(Math.max(...calls.map((c) => c.start))).toBeLessThan(Math.min(...calls.map((c) => c.end)));
    // What the reader hides (blocks both ways, mutes, muted words): four key queries in that same round.
    expect(safetyReads.map((c) => c.name)).toEqual(Array(4).fill("QueryCommand"));
    expect(Math.max(...safetyReads.map((c) => c.start))).toBeLessThan(Math.min(...calls.map((c) => c.end)));

    // Unfollowing the star changes the reader's follow stamp: the remembered list is not reused.
    await as(reader.userId, () => core.Follow.unfollow({ handle: star.handle }));
    expect((await home()).items.map((i) => i.id)).not.toContain(starred.id);
  });
});

/** A big author (above the suite's threshold of 3), listed by the fan-out on their first post. */
async function bigAuthor(prefix: string) {
  const star = await person(prefix);
  await core.UserEntity.patch({ userId: star.userId }).add({ followers: 100 }).go();
  const first = await as(star.userId, () => core.Post.create({ text: "warming up" }));
  await eventually(async () =>
    expect((await core.BigAuthorEntity.get({ scope: "all", userId: star.userId }).go()).data).toBeTruthy(),
  );
  return { ...star, first };
}

const homeIds = async (userId: string, options: { limit?: number; cursor?: string } = {}) => {
  const page = await as(userId, () => core.Timeline.home(options));
  return { ids: page.items.map((i) => i.id), cursor: page.cursor };
};

describe("home timeline hybrid state", () => {
  it("reads a first page with one query, then one batch get; the same page again in one round; a new post adds only its keys", async () => {
    const [reader, alice] = await Promise.all([person("rd"), person("al")]);
    await as(reader.userId, () => core.Follow.follow({ handle: alice.handle }));
    // An empty home, read once: the follow's new hybrid state is built here, not in the reads measured below.
    expect((await homeIds(reader.userId)).ids).toEqual([]);
    const post = await as(alice.userId, () => core.Post.create({ text: "small world" }));
    // Waiting on the table, not through the home read: the first read below is this Lambda's first of a page.
    await eventually(async () =>
      expect(
        (await core.FeedEntryEntity.get({ feed: `home#${reader.userId}`, seq: post.id.slice(4) }).go()).data,
      ).toBeTruthy(),
    );

    const first = await countedHome(reader.userId);
    expect(calls.map((c) => c.name)).toEqual(["QueryCommand", "BatchGetItemCommand"]);
    expect(calls[1]!.start).toBeGreaterThanOrEqual(calls[0]!.end);
    const firstKeys = batchKeys(calls);

    // Read again (the web polls its first page): last time's keys are read beside the query, in one round.
    const again = await countedHome(reader.userId);
    expect(again).toEqual(first);
    expect(calls.map((c) => c.name)).toEqual(["QueryCommand", "BatchGetItemCommand"]);
    expect(calls[1]!.start).toBeLessThan(calls[0]!.end);
    expect(batchKeys(calls)).toEqual(firstKeys);

    // Changes show at once: a like, an edit; a new post is read after the query, alone.
    await as(reader.userId, () => core.Post.like({ postId: post.id }));
    await as(alice.userId, () => core.Post.edit({ postId: post.id, text: "small world, edited" }));
    const newer = await as(alice.userId, () => core.Post.create({ text: "newer" }));
    await eventually(async () =>
      expect(
        (await core.FeedEntryEntity.get({ feed: `home#${reader.userId}`, seq: newer.id.slice(4) }).go()).data,
      ).toBeTruthy(),
    );
    const changed = await countedHome(reader.userId);
    expect(changed.items.map((i) => [i.id, i.text, i.likedByMe, i.likes])).toEqual([
      [newer.id, "newer", false, 0],
      [post.id, "small world, edited", true, 1],
    ]);
    expect(calls.map((c) => c.name)).toEqual(["QueryCommand", "BatchGetItemCommand", "BatchGetItemCommand"]);
    expect(calls[1]!.start).toBeLessThan(calls[0]!.end);
    expect(batchPartitions(calls.slice(2))).toEqual([expect.stringContaining(newer.id.toLowerCase())]);
  });

  it("shows a big author on the first read after following, on later pages too, and not after unfollowing", async () => {
    const [reader, star] = await Promise.all([person("rd"), bigAuthor("st")]);
    const later = await as(star.userId, () => core.Post.create({ text: "star again" }));
    // The reader's state is built (following no one big) before the follow changes it.
    expect((await homeIds(reader.userId)).ids).toEqual([]);

    await as(reader.userId, () => core.Follow.follow({ handle: star.handle }));
    const first = await homeIds(reader.userId, { limit: 1 });
    expect(first.ids).toEqual([later.id]);
    // A later page starts below the cursor, so the state comes from a key read beside it.
    expect((await homeIds(reader.userId, { limit: 1, cursor: first.cursor! })).ids).toEqual([star.first.id]);
    // Nothing was fanned out to the reader: the star's posts came from the merge.
    const entry = await core.FeedEntryEntity.get({
      feed: `home#${reader.userId}`,
      seq: later.id.slice(4),
    }).go();
    expect(entry.data).toBeNull();

    await as(reader.userId, () => core.Follow.unfollow({ handle: star.handle }));
    expect((await homeIds(reader.userId)).ids).toEqual([]);
    expect((await homeIds(reader.userId, { limit: 1, cursor: first.cursor! })).ids).toEqual([]);
  });

  it("merges an author into their followers' homes once they cross the threshold", async () => {
    const [reader, rising] = await Promise.all([person("rd"), person("ri")]);
    await as(reader.userId, () => core.Follow.follow({ handle: rising.handle }));
    const small = await as(rising.userId, () => core.Post.create({ text: "still small" }));
    await eventually(async () => expect((await homeIds(reader.userId)).ids).toEqual([small.id]));

    await core.UserEntity.patch({ userId: rising.userId }).add({ followers: 100 }).go();
    const big = await as(rising.userId, () => core.Post.create({ text: "now big" }));
    await eventually(async () => expect((await homeIds(reader.userId)).ids).toEqual([big.id, small.id]));
    const entry = await core.FeedEntryEntity.get({
      feed: `home#${reader.userId}`,
      seq: big.id.slice(4),
    }).go();
    expect(entry.data).toBeNull();
    expect((await core.BigAuthorEntity.get({ scope: "all", userId: rising.userId }).go()).data).toMatchObject(
      {
        announced: true,
      },
    );
  });
});

/** The sort keys a BatchGetItem asked for, e.g. `$like_1#userid_…` for a "liked by me" read. */
const batchKeys = (list: Call[]) =>
  list
    .filter((c) => c.name === "BatchGetItemCommand")
    .flatMap((c) =>
      Object.values(
        (c.input as { RequestItems: Record<string, { Keys: { sk: string | { S: string } }[] }> })
          .RequestItems,
      )
        .flatMap((r) => r.Keys)
        // ElectroDB's requests go through the document client (plain values), the rest marshalled.
        .map((key) => (typeof key.sk === "string" ? key.sk : key.sk.S)),
    );
/** The partition keys a BatchGetItem asked for, lowercased (a post's holds its id). */
const batchPartitions = (list: Call[]) =>
  list
    .filter((c) => c.name === "BatchGetItemCommand")
    .flatMap((c) =>
      Object.values(
        (c.input as { RequestItems: Record<string, { Keys: { pk: string | { S: string } }[] }> })
          .RequestItems,
      )
        .flatMap((r) => r.Keys)
        .map((key) => (typeof key.pk === "string" ? key.pk : key.pk.S).toLowerCase()),
    );
const viewerKeys = (list: Call[]) => batchKeys(list).filter((sk) => /^\$(like|repost)_/.test(sk));

async function countedHome(userId: string) {
  calls.length = 0;
  safetyReads.length = 0;
  counting = true;
  try {
    return await as(userId, () => core.Timeline.home({ limit: 20 }));
  } finally {
    counting = false;
  }
}

const reactionsOf = async (userId: string) =>
  (await core.ReactionsEntity.get({ feed: `home#${userId}` }).go({ consistent: true })).data;

describe("the reader's own likes and reposts on their home", () => {
  it("come from the reactions item the page's query returns: no like or repost key per post, right after each change", async () => {
    const [reader, alice] = await Promise.all([person("rd"), person("al")]);
    await as(reader.userId, () => core.Follow.follow({ handle: alice.handle }));
    const posts = [];
    for (const text of ["one", "two", "three", "four"])
      posts.push(await as(alice.userId, () => core.Post.create({ text })));
    const [liked, reposted, both, undone] = posts as [(typeof posts)[0], ...typeof posts];
    await eventually(async () => expect((await homeIds(reader.userId)).ids).toHaveLength(4));

    await as(reader.userId, async () => {
      await core.Post.like({ postId: liked.id });
      await core.Post.repost({ postId: reposted!.id });
      await core.Post.like({ postId: both!.id });
      await core.Post.repost({ postId: both!.id });
      await core.Post.like({ postId: undone!.id });
      await core.Post.repost({ postId: undone!.id });
      await core.Post.unlike({ postId: undone!.id });
      await core.Post.unrepost({ postId: undone!.id });
      // Idempotent both ways: a second like or unrepost changes nothing.
      await core.Post.like({ postId: liked.id });
      await core.Post.unrepost({ postId: undone!.id });
    });

    const page = await countedHome(reader.userId);
    const byId = new Map(page.items.map((i) => [i.id, i]));
    expect(byId.get(liked.id)).toMatchObject({ likedByMe: true, repostedByMe: false, likes: 1 });
    expect(byId.get(reposted!.id)).toMatchObject({ likedByMe: false, repostedByMe: true, reposts: 1 });
    expect(byId.get(both!.id)).toMatchObject({ likedByMe: true, repostedByMe: true });
    expect(byId.get(undone!.id)).toMatchObject({
      likedByMe: false,
      repostedByMe: false,
      likes: 0,
      reposts: 0,
    });
    // One query; the batch gets read posts and the reader's own reposts' card, never a like or repost.
    expect(calls.map((c) => c.name).filter((name) => name !== "BatchGetItemCommand")).toEqual([
      "QueryCommand",
    ]);
    expect(batchKeys(calls).length).toBeGreaterThan(0);
    expect(viewerKeys(calls)).toEqual([]);

    // Later pages read the reactions by key beside their entries: still no key per post. (The reader's own two
    // reposts reach their home too, through the stream: six entries, four posts.)
    await eventually(async () => expect((await homeIds(reader.userId)).ids).toHaveLength(6));
    const flags = new Map<string, [boolean, boolean]>();
    let cursor: string | null = null;
    let pages = 0;
    calls.length = 0;
    safetyReads.length = 0;
    counting = true;
    do {
      const next = await as(reader.userId, () =>
        core.Timeline.home({ limit: 2, ...(cursor ? { cursor } : {}) }),
      );
      for (const i of next.items) flags.set(i.id, [i.likedByMe, i.repostedByMe]);
      cursor = next.cursor;
      pages++;
    } while (cursor);
    counting = false;
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(Object.fromEntries(flags)).toEqual({
      [liked.id]: [true, false],
      [reposted!.id]: [false, true],
      [both!.id]: [true, true],
      [undone!.id]: [false, false],
    });
    expect(viewerKeys(calls)).toEqual([]);

    // The same from another reader's point of view: alice liked none of them.
    const alices = new Map(
      (await as(alice.userId, () => core.Timeline.profile(alice.handle))).items.map((i) => [i.id, i]),
    );
    expect(alices.get(liked.id)).toMatchObject({ likedByMe: false, likes: 1 });

    await as(reader.userId, () => core.Post.unlike({ postId: liked.id }));
    const after = new Map((await countedHome(reader.userId)).items.map((i) => [i.id, i]));
    expect(after.get(liked.id)).toMatchObject({ likedByMe: false, likes: 0 });
    expect(after.get(both!.id)).toMatchObject({ likedByMe: true, repostedByMe: true });
  });

  it("keeps every one of many concurrent likes by one reader", async () => {
    const [reader, alice] = await Promise.all([person("rd"), person("al")]);
    await as(reader.userId, () => core.Follow.follow({ handle: alice.handle }));
    const posts = [];
    for (let i = 0; i < 12; i++)
      posts.push(await as(alice.userId, () => core.Post.create({ text: `p${i}` })));
    await eventually(async () => expect((await homeIds(reader.userId)).ids).toHaveLength(12));
    // All against the reader's one state item at once: transaction conflicts are retried, none is lost.
    await Promise.all(posts.map((p) => as(reader.userId, () => core.Post.like({ postId: p.id }))));
    const page = await countedHome(reader.userId);
    expect(page.items.map((i) => [i.likedByMe, i.likes])).toEqual(posts.map(() => [true, 1]));
    expect(viewerKeys(calls)).toEqual([]);
    expect((await reactionsOf(reader.userId))?.liked).toHaveLength(12);
  });

  it("trims the sets to their newest seqs, raising the floor, and stays exact on both sides of it", async () => {
    const [reader, alice] = await Promise.all([person("rd"), person("al")]);
    await as(reader.userId, () => core.Follow.follow({ handle: alice.handle }));
    const older = await as(alice.userId, () => core.Post.create({ text: "older" }));
    await new Promise((r) => setTimeout(r, 5));
    const newer = await as(alice.userId, () => core.Post.create({ text: "newer" }));
    await eventually(async () => expect((await homeIds(reader.userId)).ids).toHaveLength(2));
    await as(reader.userId, async () => {
      await core.Post.like({ postId: older.id });
      await core.Post.like({ postId: newer.id });
    });
    // Many more likes on posts between the two (seqs in between; no such posts need exist for the sets).
    const { MAX, KEEP } = core.Reactions;
    const [lo, hi] = [older.id.slice(4), newer.id.slice(4)];
    expect(hi.slice(0, 10) > lo.slice(0, 10)).toBe(true);
    const between = Array.from(
      { length: MAX },
      (_, i) => `${lo.slice(0, 10)}ZZZZZZ${String(i).padStart(10, "0")}`,
    );
    expect(between.every((seq) => seq > lo && seq < hi)).toBe(true);
    await core.ReactionsEntity.update({ feed: `home#${reader.userId}` })
      .add({ liked: between })
      .go();

    // The read uses the sets as they were, and trims them for the next one.
    const page = await countedHome(reader.userId);
    expect(page.items.map((i) => [i.id, i.likedByMe])).toEqual([
      [newer.id, true],
      [older.id, true],
    ]);
    const state = await reactionsOf(reader.userId);
    expect(state?.liked).toHaveLength(KEEP);
    expect(state?.liked).toContain(newer.id.slice(4));
    expect(state?.liked).not.toContain(lo);
    expect(state!.coveredFrom! > lo).toBe(true);

    // Below the floor the like is read by key; above it, from the set.
    const next = await countedHome(reader.userId);
    expect(next.items.map((i) => [i.id, i.likedByMe])).toEqual([
      [newer.id, true],
      [older.id, true],
    ]);
    expect(viewerKeys(calls).map((sk) => sk.replace(/#.*/, ""))).toEqual(["$like_1", "$repost_1"]);
    await as(reader.userId, () => core.Post.unlike({ postId: older.id }));
    expect((await countedHome(reader.userId)).items[1]).toMatchObject({ id: older.id, likedByMe: false });
  });
});

describe("authors' cards on their posts", () => {
  const userKeys = (list: Call[]) => batchKeys(list).filter((sk) => sk.startsWith("$user_"));
  const postItem = async (postId: string) => (await core.PostEntity.get({ postId }).go()).data;

  it("pages read no profile per author; a new name or picture reaches every one of the author's posts", async () => {
    const [reader, alice, bob] = await Promise.all([person("rd"), person("al"), person("bo")]);
    for (const followee of [alice, bob])
      await as(reader.userId, () => core.Follow.follow({ handle: followee.handle }));
    const first = await as(alice.userId, () => core.Post.create({ text: "first" }));
    const bobs = await as(bob.userId, () => core.Post.create({ text: "bob's" }));
    const reply = await as(alice.userId, () => core.Post.create({ text: "a reply", replyTo: bobs.id }));
    await as(alice.userId, () => core.Post.repost({ postId: bobs.id }));
    // Her post, her reply, bob's post and her repost of it.
    await eventually(async () => expect((await homeIds(reader.userId)).ids).toHaveLength(4));

    const page = await countedHome(reader.userId);
    expect(page.items.find((i) => i.id === first.id)?.author).toMatchObject({ displayName: "al" });
    // Only the reposter's profile is read: authors come on their posts.
    expect(userKeys(calls)).toHaveLength(1);
    expect(page.items.find((i) => i.repostedBy)?.repostedBy).toMatchObject({ handle: alice.handle });

    // Two quick renames: the last one ends up on every post of hers (her reply too), none on bob's post.
    await as(alice.userId, () => core.Profile.update({ displayName: "Alice A." }));
    await as(alice.userId, () => core.Profile.update({ displayName: "Alice B." }));
    await eventually(async () => {
      for (const id of [first.id, reply.id])
        expect((await postItem(id))?.author).toMatchObject({ displayName: "Alice B.", handle: alice.handle });
    });
    expect((await postItem(bobs.id))?.author).toMatchObject({ displayName: "bo" });
    const renamed = await countedHome(reader.userId);
    expect(renamed.items.find((i) => i.id === first.id)?.author.displayName).toBe("Alice B.");
    expect(renamed.items.find((i) => i.repostedBy)?.repostedBy?.displayName).toBe("Alice B.");
    // A bio is not on the card: nothing to spread.
    const stamp = (await postItem(first.id))?.author?.at;
    await as(alice.userId, () => core.Profile.update({ bio: "just a bio" }));
    expect((await core.UserEntity.get({ userId: alice.userId }).go()).data?.cardAt).toBe(stamp);
  });

  it("carries on a copy that stopped part-way from where it stopped, without redoing the pages before", async () => {
    const alice = await person("al");
    const posts: { id: string }[] = [];
    for (let i = 0; i < 5; i++) posts.push(await as(alice.userId, () => core.Post.create({ text: `p${i}` })));
    // As a run that timed out after its first page (here: the two oldest entries) would have left the profile.
    const { cursor } = await core.FeedEntryEntity.query
      .byFeed({ feed: `user#${alice.userId}` })
      .go({ limit: 2 });
    const at = Date.now();
    await core.UserEntity.patch({ userId: alice.userId })
      .set({ displayName: "Resumed", cardAt: at, cardSpreadAt: at, cardSpreadTo: cursor! })
      .go();
    // The subscriber (the stream's retry) starts from that cursor: the three newer posts get the card, and the
    // two it had done are not touched again (here they still hold the old one).
    await eventually(async () => {
      for (const post of posts.slice(2))
        expect((await postItem(post.id))?.author?.displayName).toBe("Resumed");
      expect((await core.UserEntity.get({ userId: alice.userId }).go()).data?.cardSpreadTo).toBeUndefined();
    });
    for (const post of posts.slice(0, 2)) expect((await postItem(post.id))?.author?.displayName).toBe("al");
  });

  it("gives posts written while the name changes the new name", async () => {
    const [alice] = await Promise.all([person("al")]);
    const [, ...posts] = await Promise.all([
      as(alice.userId, () => core.Profile.update({ displayName: "Renamed" })),
      ...Array.from({ length: 6 }, (_, i) => as(alice.userId, () => core.Post.create({ text: `p${i}` }))),
    ]);
    await eventually(async () => {
      for (const post of posts) expect((await postItem(post.id))?.author?.displayName).toBe("Renamed");
    });
  });
});
