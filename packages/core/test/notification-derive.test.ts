import { marshall } from "@aws-sdk/util-dynamodb";
import { describe, expect, it } from "vitest";
import { derive } from "../src/notification/derive";

const image = (item: Record<string, unknown>) => marshall(item, { removeUndefinedValues: true });
const record = (eventName: "INSERT" | "MODIFY" | "REMOVE", before?: object, after?: object) => ({
  eventName,
  dynamodb: {
    ...(before ? { OldImage: image(before as Record<string, unknown>) } : {}),
    ...(after ? { NewImage: image(after as Record<string, unknown>) } : {}),
  },
});

const follow = { __edb_e__: "follow", followerId: "aki", followeeId: "ben", createdAt: 1000 };
const post = (over: Record<string, unknown> = {}) => ({
  __edb_e__: "post",
  postId: "pst_1",
  authorId: "aki",
  text: "hello @ben @chie",
  mentions: [
    { handle: "ben", userId: "ben" },
    { handle: "chie", userId: "chie" },
  ],
  createdAt: 2000,
  ...over,
});

describe("notification events derived from stream records", () => {
  it("a new follow edge notifies the followee; its removal retracts with the edge's createdAt", async () => {
    expect(await derive(record("INSERT", undefined, follow))).toEqual([
      { type: "follow", op: "add", actor: "aki", recipient: "ben", at: 1000 },
    ]);
    expect(await derive(record("REMOVE", follow))).toEqual([
      { type: "follow", op: "retract", actor: "aki", recipient: "ben", at: 1000 },
    ]);
  });

  it("a post notifies each mentioned user once, never its author", async () => {
    const events = await derive(
      record(
        "INSERT",
        undefined,
        post({
          mentions: [...post().mentions, { handle: "aki", userId: "aki" }, { handle: "Ben", userId: "ben" }],
        }),
      ),
    );
    expect(events.map((e) => [e.type, e.op, e.recipient, e.subject?.id])).toEqual([
      ["post.mention", "add", "ben", "pst_1"],
      ["post.mention", "add", "chie", "pst_1"],
    ]);
  });

  it("an edit notifies only mentions it added and retracts those it dropped; a counter change means nothing", async () => {
    const edited = post({
      mentions: [
        { handle: "chie", userId: "chie" },
        { handle: "dai", userId: "dai" },
      ],
    });
    const events = await derive(record("MODIFY", post(), edited));
    expect(events.map((e) => [e.op, e.recipient])).toEqual([
      ["add", "dai"],
      ["retract", "ben"],
    ]);
    expect(await derive(record("MODIFY", post(), post({ likes: 3 })))).toEqual([]);
  });

  it("a call that becomes missed notifies its callee once, from the caller; other transitions mean nothing", async () => {
    const call = (state: string) => ({
      __edb_e__: "call",
      callId: "cal_1",
      callerId: "aki",
      calleeId: "ben",
      kind: "video",
      state,
      createdAt: 3000,
    });
    expect(await derive(record("MODIFY", call("ringing"), call("missed")))).toEqual([
      {
        type: "call.missed",
        op: "add",
        actor: "aki",
        recipient: "ben",
        subject: { kind: "call", id: "cal_1" },
        at: 3000,
      },
    ]);
    expect(await derive(record("INSERT", undefined, call("ringing")))).toEqual([]);
    expect(await derive(record("MODIFY", call("ringing"), call("accepted")))).toEqual([]);
    expect(await derive(record("MODIFY", call("ringing"), call("declined")))).toEqual([]);
    // A later write to a missed call (its history mark) is not a second miss.
    expect(await derive(record("MODIFY", call("missed"), call("missed")))).toEqual([]);
  });

  it("a call's entry in a room's history is not a chat message to notify of", async () => {
    const entry = {
      __edb_e__: "message",
      roomId: "rom_1",
      messageId: "msg_1",
      senderId: "aki",
      text: "",
      createdAt: 4000,
      call: { callId: "cal_1", kind: "audio", state: "missed", durationSeconds: 0 },
    };
    expect(await derive(record("INSERT", undefined, entry))).toEqual([]);
  });

  it("a moderator's removal tells the author, about the post or the message's room; other actions tell no one", async () => {
    const entry = (fields: Record<string, unknown>) => ({
      __edb_e__: "modaudit",
      log: "moderation",
      auditId: "aud_1",
      moderatorId: "mod",
      subjectId: "ben",
      createdAt: 5000,
      ...fields,
    });
    expect(
      await derive(
        record("INSERT", undefined, entry({ action: "remove", targetType: "post", targetId: "pst_1" })),
      ),
    ).toEqual([
      {
        type: "moderation.removed",
        op: "add",
        actor: "mod",
        recipient: "ben",
        subject: { kind: "post", id: "pst_1" },
        object: "aud_1",
        at: 5000,
      },
    ]);
    const [message] = await derive(
      record(
        "INSERT",
        undefined,
        entry({ action: "remove", targetType: "message", targetId: "msg_1", roomId: "rom_1" }),
      ),
    );
    expect(message?.subject).toEqual({ kind: "room", id: "rom_1" });
    for (const action of ["dismiss", "suspend", "unsuspend"])
      expect(
        await derive(record("INSERT", undefined, entry({ action, targetType: "user", targetId: "ben" }))),
      ).toEqual([]);
  });

  it("ignores records of entities people are not notified about", async () => {
    expect(await derive(record("INSERT", undefined, { __edb_e__: "user", userId: "aki" }))).toEqual([]);
    expect(await derive(record("MODIFY", follow, follow))).toEqual([]);
  });
});
