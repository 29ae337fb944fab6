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
    expect(checkDisplayName(`${"あ".repeat(49)}👩‍👩‍👧`)).toBeNull();
    // 50 family emoji are 50 graphemes but 900 bytes, over the API's 200.
    expect(checkDisplayName("👩‍👩‍👧".repeat(50))).toBe("tooLong");
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
  const origin = "http://localhost:3000";

  it("returns same-origin paths as the URL parser resolves them", () => {
    expect(safeNext("/u/?h=alice", origin)).toBe("/u/?h=alice");
    expect(safeNext("/search/?q=%23tokyo#top", origin)).toBe("/search/?q=%23tokyo#top");
    expect(safeNext("/a/../settings/", origin)).toBe("/settings/");
    // Still encoded, "%09" is a path segment on this origin, not a way out of it.
    expect(safeNext("/%09/evil.example", origin)).toBe("/%09/evil.example");
  });

  // params.get() has already decoded "%09" to a tab by the time safeNext sees it.
  it.each([
    "//evil.example",
    "/\\evil.example",
    "\\/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\t\t//evil.example",
    "/.//evil.example",
    "https://evil.example",
    "http://localhost:3000.evil.example/",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " /settings/",
    "",
  ])("refuses %j, so sign-in falls back to home", (next) => {
    expect(safeNext(next, origin)).toBeNull();
  });

  it("refuses everything when there is no next or no origin to compare with", () => {
    expect(safeNext(null, origin)).toBeNull();
    expect(safeNext("/u/?h=alice", undefined)).toBeNull();
  });
});
