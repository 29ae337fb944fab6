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

  it("takes a mention or tag right after Japanese, which has no spaces, but not after Latin letters", () => {
    const parsed = Text.parse("こんにちは@aki_01さん、東京#旅行 と カフェ＃喫茶 abc@def #x#y");
    expect(parsed.mentions).toEqual(["aki_01"]);
    expect(parsed.hashtags).toEqual(["旅行", "喫茶", "x"]);
  });

  it("counts graphemes as a person would", () => {
    expect(Text.count("こんにちは")).toBe(5);
    expect(Text.count("👨‍👩‍👧 🇯🇵")).toBe(3);
    expect(Text.parse("a".repeat(10)).length).toBe(10);
  });
});

describe("what is being typed", () => {
  const at = (text: string, caret = text.length) => Text.typingAt(text, caret);

  it("finds the handle or tag at the caret by the parser's rules", () => {
    expect(at("hi @ka")).toEqual({ kind: "mention", query: "ka", start: 3, end: 6 });
    expect(at("#ta")).toEqual({ kind: "hashtag", query: "ta", start: 0, end: 3 });
    expect(at("こんにちは@ka")).toEqual({ kind: "mention", query: "ka", start: 5, end: 8 });
    expect(at("今日は＃とう")).toEqual({ kind: "hashtag", query: "とう", start: 3, end: 6 });
    expect(at("（@k")).toMatchObject({ kind: "mention", query: "k" });
  });

  it("spans the rest of the word after the caret, so a completion replaces it whole", () => {
    expect(at("hi @kaXYZ there", 6)).toEqual({ kind: "mention", query: "ka", start: 3, end: 9 });
  });

  it("offers nothing for an email, a bare trigger, a finished word or text too long to be a handle", () => {
    expect(at("bob@ex")).toBeNull();
    expect(at("@")).toBeNull();
    expect(at("#")).toBeNull();
    expect(at("@kai ")).toBeNull();
    expect(at(`@${"a".repeat(21)}`)).toBeNull();
    expect(at("a&#39")).toBeNull();
    expect(at("https://x.com/#to")).toBeNull();
  });

  it("looks only near the caret in a long text", () => {
    const long = `${"あ".repeat(5000)} @ka`;
    expect(at(long)).toMatchObject({ kind: "mention", query: "ka", start: 5001 });
    expect(at(`${"a".repeat(5000)}#${"b".repeat(200)}`)).toBeNull();
  });
});
