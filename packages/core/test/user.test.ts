import { marshall } from "@aws-sdk/util-dynamodb";
import { describe, expect, it } from "vitest";
import { Cards } from "../src/card";
import { Profile } from "../src/profile";
import { User } from "../src/user";
import { graphemeLength } from "../src/util";

describe("handles", () => {
  it("accepts 3–20 letters, digits and underscores only", () => {
    for (const ok of ["abc", "Alice_01", "a".repeat(20), "___"])
      expect(User.Handle.safeParse(ok).success).toBe(true);
    for (const bad of ["ab", "a".repeat(21), "has space", "ハンドル", "a-b", "emoji😀", ""])
      expect(User.Handle.safeParse(bad).success).toBe(false);
  });

  it("names its rule so the API can answer profile.invalid_handle", () => {
    const result = User.Handle.safeParse("no way");
    expect(result.success).toBe(false);
    const issue = result.error?.issues[0] as { params?: { code?: string } };
    expect(issue.params?.code).toBe("profile.invalid_handle");
  });

  it("compares handles without case", () => {
    expect(User.handleKey("Alice_01")).toBe(User.handleKey("aLICE_01"));
  });
});

describe("display names and bios count characters as a person does", () => {
  it("counts emoji and Japanese as one character each", () => {
    expect(graphemeLength("👩‍👩‍👧‍👦")).toBe(1);
    expect(graphemeLength("東京タワー")).toBe(5);
    expect(graphemeLength("🇯🇵")).toBe(1);
  });

  it("allows 50 emoji in a display name but not 51", () => {
    const schema = User.create.schema;
    expect(schema.safeParse({ handle: "abc", displayName: "🍣".repeat(50) }).success).toBe(true);
    expect(schema.safeParse({ handle: "abc", displayName: "🍣".repeat(51) }).success).toBe(false);
    expect(schema.safeParse({ handle: "abc", displayName: "   " }).success).toBe(false);
  });

  it("allows a 300-character bio", () => {
    expect(Profile.update.schema.safeParse({ bio: "あ".repeat(300) }).success).toBe(true);
    expect(Profile.update.schema.safeParse({ bio: "あ".repeat(301) }).success).toBe(false);
  });
});

describe("author cards", () => {
  const image = (item: Record<string, unknown>) =>
    marshall({ __edb_e__: "user", userId: "u1", handle: "alice", displayName: "Alice", ...item });

  it("is spread when a profile's card gets a newer stamp, and only then", () => {
    const renamed = Cards.changeOf({
      eventName: "MODIFY",
      dynamodb: { OldImage: image({ cardAt: 1 }), NewImage: image({ displayName: "Alice B.", cardAt: 2 }) },
    });
    expect(renamed).toEqual({ userId: "u1", card: { handle: "alice", displayName: "Alice B.", at: 2 } });
    const pictured = Cards.changeOf({
      eventName: "MODIFY",
      dynamodb: {
        OldImage: image({ cardAt: 1 }),
        NewImage: image({ avatarKey: "med_1/thumb.webp", cardAt: 3 }),
      },
    });
    expect(pictured?.card).toEqual({
      handle: "alice",
      displayName: "Alice",
      avatarKey: "med_1/thumb.webp",
      at: 3,
    });
    // A follower count or a bio changes the item, not the card.
    expect(
      Cards.changeOf({
        eventName: "MODIFY",
        dynamodb: {
          OldImage: image({ cardAt: 1, followers: 1 }),
          NewImage: image({ cardAt: 1, followers: 2 }),
        },
      }),
    ).toBeUndefined();
    // A new profile has no posts yet; other items are not profiles.
    expect(
      Cards.changeOf({ eventName: "INSERT", dynamodb: { NewImage: image({ cardAt: 1 }) } }),
    ).toBeUndefined();
    expect(
      Cards.changeOf({
        eventName: "MODIFY",
        dynamodb: {
          OldImage: image({ __edb_e__: "post" }),
          NewImage: image({ __edb_e__: "post", cardAt: 2 }),
        },
      }),
    ).toBeUndefined();
  });
});

describe("a suspension's card", () => {
  const user = (item: Record<string, unknown>) =>
    marshall({ __edb_e__: "user", userId: "u1", handle: "alice", displayName: "Alice", ...item });

  it("is marked suspended while the user is, and the lift's card is not", () => {
    const suspended = Cards.changeOf({
      eventName: "MODIFY",
      dynamodb: { OldImage: user({ cardAt: 1 }), NewImage: user({ cardAt: 2, suspendedAt: 2 }) },
    });
    expect(suspended?.card).toEqual({ handle: "alice", displayName: "Alice", suspended: true, at: 2 });
    const lifted = Cards.changeOf({
      eventName: "MODIFY",
      dynamodb: { OldImage: user({ cardAt: 2, suspendedAt: 2 }), NewImage: user({ cardAt: 3 }) },
    });
    expect(lifted?.card).toEqual({ handle: "alice", displayName: "Alice", at: 3 });
  });
});
