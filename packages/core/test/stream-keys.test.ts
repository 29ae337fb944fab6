import { describe, expect, it } from "vitest";
import { CallEntity } from "../src/call/call.entity";
import { MessageEntity } from "../src/chat/room.entity";
import { FollowEntity } from "../src/follow/follow.entity";
import { LikeEntity, PostEntity, RepostEntity } from "../src/post/post.entity";
import { FeedEntryEntity } from "../src/timeline/feed.entity";
import { key } from "../src/timeline/keys";
import { streamKeys } from "../src/timeline/stream-keys";
import { UserEntity } from "../src/user/user.entity";

const SEQ = "01J00000000000000000000000";
const entryPk = (feed: string) =>
  FeedEntryEntity.put({
    feed,
    seq: SEQ,
    postId: "pst_1",
    actorId: "u1",
    authorId: "u1",
    mediaIds: [],
  }).params().Item.pk as string;

// Infra filters the stream by these prefixes: if ElectroDB wrote other keys, the subscribers would hear nothing.
describe("stream key prefixes infra filters on", () => {
  it("match every profile-feed entry and no other feed's", () => {
    expect(entryPk(key.user("Mixed-Case-1")).startsWith(streamKeys.profileEntryPk)).toBe(true);
    for (const other of [key.home("u1"), key.tag("user"), key.replies("pst_1"), key.public(0)])
      expect(entryPk(other).startsWith(streamKeys.profileEntryPk)).toBe(false);
  });

  it("match a follow edge's sort key", () => {
    const { sk } = FollowEntity.put({ followerId: "a", followeeId: "b" }).params().Item;
    expect(String(sk).startsWith(streamKeys.followSk)).toBe(true);
  });

  it("equal a profile's sort key", () => {
    const { sk } = UserEntity.put({ userId: "u1", handle: "alice", displayName: "Alice" }).params().Item;
    expect(sk).toBe(streamKeys.userSk);
  });

  it("equal a call's sort key (missed calls notify)", () => {
    expect(CallEntity.get({ callId: "cal_1" }).params().Key.sk).toBe(streamKeys.callSk);
  });

  it("equal a post's sort key", () => {
    expect(PostEntity.get({ postId: "pst_1" }).params().Key.sk).toBe(streamKeys.postSk);
  });

  it("match likes, reposts and chat messages (what notifications derive from)", () => {
    const like = LikeEntity.put({ postId: "pst_1", userId: "u1" }).params().Item;
    expect(String(like.sk).startsWith(streamKeys.likeSk)).toBe(true);
    expect(
      String(RepostEntity.put({ postId: "pst_1", userId: "u1", seq: SEQ }).params().Item.sk).startsWith(
        streamKeys.repostSk,
      ),
    ).toBe(true);
    const message = MessageEntity.put({
      roomId: "rom_1",
      seq: 7,
      messageId: "msg_1",
      senderId: "u1",
      senderHandle: "u1",
      senderName: "U",
    }).params().Item;
    expect(String(message.sk).startsWith(streamKeys.messageSk)).toBe(true);
  });
});
