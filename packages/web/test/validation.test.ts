import { describe, expect, it } from "vitest";
import {
  checkBio,
  checkDisplayName,
  checkHandle,
  normalizeHandle,
  passwordRules,
  safeNext,
} from "../src/lib/validation";

describe("profile rules", () => {
  it("accepts 3–20 letters, digits and underscores as a handle", () => {
    expect(checkHandle("al_1")).toBeNull();
    expect(checkHandle("ab")).toBe("invalid");
    expect(checkHandle("a".repeat(21))).toBe("invalid");
    expect(checkHandle("no-dash")).toBe("invalid");
    expect(checkHandle("")).toBe("required");
    expect(normalizeHandle(" @alice ")).toBe("alice");
  });

  it("counts a display name and bio in graphemes, as the API does", () => {
    expect(checkDisplayName("  ")).toBe("required");
    expect(checkDisplayName("👩‍👩‍👧".repeat(50))).toBeNull();
    expect(checkDisplayName("a".repeat(51))).toBe("tooLong");
    expect(checkBio("あ".repeat(300))).toBeNull();
    expect(checkBio("あ".repeat(301))).toBe("tooLong");
  });
});

describe("password rules", () => {
  it("needs 8 characters, a lowercase letter and a number", () => {
    expect(passwordRules("abcdefg1")).toEqual({ length: true, lowercase: true, number: true });
    expect(passwordRules("ABCDEFG1")).toEqual({ length: true, lowercase: false, number: true });
    expect(passwordRules("abc1")).toEqual({ length: false, lowercase: true, number: true });
  });
});

describe("safeNext", () => {
  it("only returns same-origin paths", () => {
    expect(safeNext("/u/?h=alice")).toBe("/u/?h=alice");
    expect(safeNext("//evil.example")).toBeNull();
    expect(safeNext("/\\evil.example")).toBeNull();
    expect(safeNext("https://evil.example")).toBeNull();
    expect(safeNext(null)).toBeNull();
  });
});
