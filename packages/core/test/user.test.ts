import { describe, expect, it } from "vitest";
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
