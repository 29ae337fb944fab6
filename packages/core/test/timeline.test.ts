import { marshall } from "@aws-sdk/util-dynamodb";
import { describe, expect, it } from "vitest";
import { Cursor } from "../src/cursor";
import { idOf, keyOf, readWith } from "../src/dynamo/batch";
import { FollowEntity } from "../src/follow/follow.entity";
import { Media } from "../src/media";
import { LikeEntity, PostEntity, RepostEntity } from "../src/post/post.entity";
import { Fanout } from "../src/timeline/fanout";
import {
  cursorOf,
  FeedEntryEntity,
  HomeStateEntity,
  mergeNewest,
  PUBLIC_SHARDS,
  publicFeed,
  ReactionsEntity,
  seqFromCursor,
} from "../src/timeline/feed";
import * as Reactions from "../src/timeline/reactions";
import { UserEntity } from "../src/user/user.entity";

const SEQ_A = "01J00000000000000000000000";
const SEQ_B = "01J00000000000000000000001";
const SEQ_C = "01J00000000000000000000002";

describe("public timeline shards", () => {
  it("spreads posts evenly over the shards by their ULID's random end, the same shard every time", () => {
    const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    const counts = new Map<string, number>();
    for (const c of alphabet) {
      const feed = publicFeed(`01J0000000000000000000000${c}`);
      expect(publicFeed(`01J0000000000000000000000${c}`)).toBe(feed);
      counts.set(feed, (counts.get(feed) ?? 0) + 1);
    }
    expect(counts.size).toBe(PUBLIC_SHARDS);
    expect(new Set(counts.values())).toEqual(new Set([alphabet.length / PUBLIC_SHARDS]));
  });
});

describe("fan-out decision", () => {
  it("fans out up to the threshold and merges at read time above it", () => {
    expect(Fanout.shouldFanOut(0, 3)).toBe(true);
    expect(Fanout.shouldFanOut(3, 3)).toBe(true);
    expect(Fanout.shouldFanOut(4, 3)).toBe(false);
    expect(Fanout.shouldFanOut(50_000, 10_000)).toBe(false);
  });
});

describe("stream changes", () => {
  const record = (eventName: string, item: Record<string, unknown>) => {
    const image = marshall(item, { removeUndefinedValues: true });
    return { eventName, dynamodb: eventName === "REMOVE" ? { OldImage: image } : { NewImage: image } };
  };
  const expected = { seq: SEQ_A, postId: `pst_${SEQ_A}`, actorId: "u1", authorId: "u1", mediaIds: [] };
  const entry = (feed: string) => FeedEntryEntity.put({ feed, ...expected }).params().Item;

  it("reads profile-feed activity (added and removed) and nothing from other feeds", () => {
    expect(Fanout.changeOf(record("INSERT", entry("user#u1")))).toEqual({
      type: "activity.added",
      entry: expected,
    });
    expect(Fanout.changeOf(record("REMOVE", entry("user#u1")))).toEqual({
      type: "activity.removed",
      entry: expected,
    });
    expect(Fanout.changeOf(record("INSERT", entry("home#u2")))).toBeUndefined();
    expect(Fanout.changeOf(record("INSERT", entry("tag#東京")))).toBeUndefined();
  });

  it("reads follow births and deaths, ignores modifications and other entities", () => {
    const edge = FollowEntity.create({ followerId: "a", followeeId: "b" }).params().Item;
    expect(Fanout.changeOf(record("INSERT", edge))).toEqual({
      type: "follow.added",
      followerId: "a",
      followeeId: "b",
    });
    // The edge's birth bounds which of the followee's entries an unfollow must remove.
    expect(Fanout.changeOf(record("REMOVE", edge))).toEqual({
      type: "follow.removed",
      followerId: "a",
      followeeId: "b",
      since: edge.createdAt,
    });
    expect(Fanout.changeOf(record("MODIFY", edge))).toBeUndefined();
    const like = LikeEntity.create({ postId: "pst_x", userId: "a" }).params().Item;
    expect(Fanout.changeOf(record("INSERT", like))).toBeUndefined();
  });
});

describe("keys", () => {
  it("writes a home entry to no secondary index (one write unit each) and carries its post's keys", () => {
    const home = FeedEntryEntity.put({
      feed: "home#a",
      seq: SEQ_A,
      postId: "p",
      actorId: "r",
      repostedBy: "r",
      authorId: "b",
      mediaIds: ["med_1"],
    }).params().Item;
    expect(Object.keys(home).filter((k) => k.startsWith("gsi"))).toEqual([]);
    expect(
      Fanout.changeOf({ eventName: "INSERT", dynamodb: { NewImage: marshall({ ...home, feed: "user#r" }) } }),
    ).toMatchObject({ entry: { authorId: "b", mediaIds: ["med_1"], repostedBy: "r" } });
  });

  it("keeps a reader's home state in their home partition, above every entry, so one query returns both", () => {
    const state = HomeStateEntity.update({ feed: "home#a" }).add({ version: 1 }).params().Key;
    const newest = FeedEntryEntity.put({
      feed: "home#a",
      seq: "7ZZZZZZZZZZZZZZZZZZZZZZZZZ",
      postId: "p",
      actorId: "u",
      authorId: "u",
      mediaIds: [],
    }).params().Item;
    expect(state.pk).toBe(newest.pk);
    expect(state.sk > newest.sk).toBe(true);
    // The reader's own reactions sit on top of both: the first page's one query range starts there.
    const reactions = keyOf(ReactionsEntity, { feed: "home#a" });
    expect(reactions.pk).toBe(newest.pk);
    expect(String(reactions.sk) > state.sk).toBe(true);
  });

  it("names batch-get keys exactly as each entity's own get does", () => {
    const cases: [Parameters<typeof keyOf>[0], Record<string, string>][] = [
      [PostEntity, { postId: `pst_${SEQ_A}` }],
      [LikeEntity, { postId: `pst_${SEQ_A}`, userId: "Mixed-Case-Id" }],
      [RepostEntity, { postId: `pst_${SEQ_A}`, userId: "Mixed-Case-Id" }],
      [UserEntity, { userId: "Mixed-Case-Id" }],
      [Media.MediaEntity, { mediaId: `med_${SEQ_B}` }],
      [HomeStateEntity, { feed: "home#Mixed-Case-Id" }],
      [ReactionsEntity, { feed: "home#Mixed-Case-Id" }],
    ];
    for (const [entity, key] of cases)
      expect(keyOf(entity, key), entity.schema.model.entity).toEqual(
        (entity.get(key as never).params() as { Key: unknown }).Key,
      );
  });

  it("sorts feed entries by seq, so a page query is newest-first by time", () => {
    const sk = (seq: string) =>
      FeedEntryEntity.put({
        feed: "public",
        seq,
        postId: "p",
        actorId: "u",
        authorId: "u",
        mediaIds: [],
      }).params().Item.sk;
    expect([sk(SEQ_C), sk(SEQ_A), sk(SEQ_B)].sort()).toEqual([sk(SEQ_A), sk(SEQ_B), sk(SEQ_C)]);
  });

  it("keeps likes in the post's partition, keyed by user, for a batch get of likedByMe", () => {
    const post = PostEntity.create({
      postId: `pst_${SEQ_A}`,
      authorId: "a",
      author: { handle: "a", displayName: "A", at: 0 },
      text: "x",
    }).params().Item;
    const like = LikeEntity.create({ postId: `pst_${SEQ_A}`, userId: "u" }).params().Item;
    expect(like.pk).toBe(post.pk);
    expect(post).not.toHaveProperty("gsi1pk");
  });
});

describe("cursors and merging", () => {
  it("round-trips a seq and refuses anything else with cursor.invalid", () => {
    expect(seqFromCursor(cursorOf(SEQ_B))).toBe(SEQ_B);
    expect(seqFromCursor(undefined)).toBeUndefined();
    expect(cursorOf(undefined)).toBeNull();
    for (const bad of [
      "garbage",
      Cursor.encode({ s: "not-a-ulid" }),
      Cursor.encode({ x: 1 }),
      "eyJ2IjoyfQ",
    ]) {
      expect(() => seqFromCursor(bad), String(bad)).toThrow(
        expect.objectContaining({ code: "cursor.invalid" }),
      );
    }
  });

  it("merges home entries with big authors' feeds newest first, once per seq, up to the limit", () => {
    const ref = (seq: string, actorId: string) => ({
      seq,
      postId: `pst_${seq}`,
      actorId,
      authorId: actorId,
      mediaIds: [],
    });
    const home = [ref(SEQ_C, "small"), ref(SEQ_A, "big")];
    const big = [ref(SEQ_B, "big"), ref(SEQ_A, "big")];
    expect(mergeNewest([home, big], 10).map((e) => e.seq)).toEqual([SEQ_C, SEQ_B, SEQ_A]);
    expect(mergeNewest([home, big], 2).map((e) => e.seq)).toEqual([SEQ_C, SEQ_B]);
    expect(mergeNewest([[], []], 5)).toEqual([]);
  });
});

describe("the reader's own reactions on their home state", () => {
  it("are trusted only for posts at or above the floor, and only once a floor was set", () => {
    const item = { coveredFrom: SEQ_B, liked: new Set([SEQ_A, SEQ_C]), reposted: ["X"] };
    const reactions = Reactions.fromItem(item)!;
    expect(reactions.liked).toEqual(new Set([SEQ_A, SEQ_C]));
    // ElectroDB reads a set as an array; a raw read as a Set: both are understood.
    expect(reactions.reposted).toEqual(new Set(["X"]));
    expect(Reactions.covers(reactions, SEQ_A)).toBe(false);
    expect(Reactions.covers(reactions, SEQ_B)).toBe(true);
    expect(Reactions.covers(reactions, SEQ_C)).toBe(true);
    // Sets kept before any floor (or none at all) prove nothing.
    expect(Reactions.fromItem({ liked: new Set([SEQ_C]) })).toBeUndefined();
    expect(Reactions.covers(undefined, SEQ_C)).toBe(false);
    // A new profile's floor is below every seq.
    expect(Reactions.covers({ ...reactions, from: Reactions.START }, SEQ_A)).toBe(true);
  });
});

describe("reading a page's keys ahead", () => {
  it("takes what was read ahead, found or known missing, and reads nothing more when it covers every key", async () => {
    const a = keyOf(PostEntity, { postId: `pst_${SEQ_A}` });
    const b = keyOf(PostEntity, { postId: `pst_${SEQ_B}` });
    const c = keyOf(PostEntity, { postId: `pst_${SEQ_C}` });
    // A and B were asked for ahead; only A exists. C was asked for but is not on this page.
    const ahead = {
      asked: new Set([a, b, c].map(idOf)),
      items: [
        { ...a, postId: "A" },
        { ...c, postId: "C" },
      ],
    };
    expect(await readWith([a, b], ahead)).toEqual([{ ...a, postId: "A" }]);
    expect(await readWith([b], ahead)).toEqual([]);
  });
});

describe("live timeline recipients", () => {
  it("never sends a repost back to the reposted post's author, nor stores it in their home", async () => {
    const { Live } = await import("../src/timeline/live");
    const post = { authorId: "a" };
    expect(Live.recipientsOf(post, ["a", "c"])).toEqual(["a", "c"]);
    expect(Live.recipientsOf({ ...post, repostedBy: "b" }, ["a", "c"])).toEqual(["c"]);
    expect(Live.eventIdOf({ seq: "01J" })).toBe("tl-01J");
  });
});
