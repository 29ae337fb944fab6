import { describe, expect, it } from "vitest";
import { Text } from "../src/text";

describe("post text parsing", () => {
  it("finds mentions, hashtags and links in mixed English and Japanese", () => {
    const parsed = Text.parse(
      "@Alice_01 と #東京 に行った！ https://example.com/a?b=1。 #Tokyo2025 #ＴＯＫＹＯ",
    );
    expect(parsed.mentions).toEqual(["alice_01"]);
    expect(parsed.hashtags).toEqual(["東京", "tokyo2025", "tokyo"]);
    expect(parsed.links).toEqual(["https://example.com/a?b=1"]);
    expect(parsed.tokens.map((t) => t.type)).toEqual([
      "mention",
      "text",
      "hashtag",
      "text",
      "link",
      "text",
      "hashtag",
      "text",
      "hashtag",
    ]);
    expect(parsed.tokens.map((t) => t.text).join("")).toBe(
      "@Alice_01 と #東京 に行った！ https://example.com/a?b=1。 #Tokyo2025 #ＴＯＫＹＯ",
    );
  });

  it("normalises tags across width and case so they match", () => {
    expect(Text.normalizeTag("ＴＯＫＹＯ")).toBe("tokyo");
    expect(Text.normalizeTag("ﾄｳｷｮｳ")).toBe("トウキョウ");
    expect(Text.parse("#カフェ巡り #ｶﾌｪ").hashtags).toEqual(["カフェ巡り", "カフェ"]);
  });

  it("does not take emails, numbers-only tags or URL fragments as mentions or tags", () => {
    const parsed = Text.parse("mail me at bob@example.com, item #1, see https://x.com/#top and a&#39;");
    expect(parsed.mentions).toEqual([]);
    expect(parsed.hashtags).toEqual([]);
    expect(parsed.links).toEqual(["https://x.com/#top"]);
  });

  it("links only http(s) and trims sentence punctuation", () => {
    expect(Text.parse("javascript:alert(1) ftp://x.org").links).toEqual([]);
    expect(Text.parse("see (https://en.wikipedia.org/wiki/Tokyo_(disambiguation)).").links).toEqual([
      "https://en.wikipedia.org/wiki/Tokyo_(disambiguation)",
    ]);
    expect(Text.parse("「https://example.jp/ページ」を見て").links).toEqual(["https://example.jp/ページ"]);
  });

  it("counts graphemes as a person would", () => {
    expect(Text.count("こんにちは")).toBe(5);
    expect(Text.count("👨‍👩‍👧 🇯🇵")).toBe(3);
    expect(Text.parse("a".repeat(10)).length).toBe(10);
  });
});
