import { describe, expect, it } from "vitest";
import { permission } from "../src/call/rules";
import { expiryOf, hides, isActive, matchesWord, NOTHING, normalizeWord } from "../src/safety/rules";

const post = (text: string, hashtags: string[] = [], author = "u1", repostedBy?: string) => ({
  author: { id: author },
  ...(repostedBy ? { repostedBy: { id: repostedBy } } : {}),
  text,
  hashtags,
});

describe("muted words", () => {
  it("match inside the text regardless of case and width", () => {
    expect(matchesWord(post("I saw a ZEBRA today"), "zebra")).toBe(true);
    expect(matchesWord(post("ｚｅｂｒａ crossing"), "Zebra")).toBe(true);
    expect(matchesWord(post("東京タワーなう"), "タワー")).toBe(true);
    expect(matchesWord(post("a horse"), "zebra")).toBe(false);
  });

  it("match a #hashtag by the post's normalised tags, also when written full-width", () => {
    expect(matchesWord(post("look", ["tokyo"]), "#TOKYO")).toBe(true);
    expect(matchesWord(post("look", ["tokyo"]), "＃ｔｏｋｙｏ")).toBe(true);
    expect(matchesWord(post("look", ["kyoto"]), "#tokyo")).toBe(false);
  });

  it("never match an empty word", () => {
    expect(matchesWord(post("anything"), "   ")).toBe(false);
    expect(normalizeWord("  Big   Cat ")).toBe("big cat");
  });

  it("expire after their time, never without one", () => {
    expect(expiryOf(undefined, 1000)).toBeUndefined();
    expect(expiryOf(60, 1000)).toBe(61_000);
    expect(isActive({}, Date.now())).toBe(true);
    expect(isActive({ expiresAt: 2000 }, 1999)).toBe(true);
    expect(isActive({ expiresAt: 2000 }, 2000)).toBe(false);
  });
});

describe("what is hidden", () => {
  const hidden = { users: new Set(["bad"]), words: ["spoiler"] };
  it("hides posts by or reposted by a hidden person, or holding a muted word", () => {
    expect(hides(hidden, post("hello", [], "bad"))).toBe(true);
    expect(hides(hidden, post("hello", [], "ok", "bad"))).toBe(true);
    expect(hides(hidden, post("big SPOILER ahead", [], "ok"))).toBe(true);
    expect(hides(hidden, post("hello", [], "ok", "fine"))).toBe(false);
    expect(hides(NOTHING, post("spoiler", [], "bad"))).toBe(false);
  });
});

describe("who may call whom", () => {
  it("never across a block, even with a shared room and mutual follows", () => {
    expect(permission({ blocked: true, sharedRoom: true, mutual: true })).toBe("blocked");
    expect(permission({ blocked: false, sharedRoom: true, mutual: false })).toBe("allowed");
    expect(permission({ blocked: false, sharedRoom: false, mutual: true })).toBe("allowed");
    expect(permission({ blocked: false, sharedRoom: false, mutual: false })).toBe("forbidden");
  });
});
