import { describe, expect, it } from "vitest";
import { postDoc, userDoc } from "../src/search/documents";
import { postsRequest, tagsRequest, usersRequest } from "../src/search/opensearch";
import { format, needles, parse, startOfDay, timeRange } from "../src/search/query";
import { detectLang, highlight, split } from "../src/search/text";

const fails = (q: string, message: RegExp) => {
  try {
    parse(q);
  } catch (error) {
    expect((error as { code: string }).code).toBe("search.invalid_query");
    expect((error as Error).message).toMatch(message);
    return;
  }
  throw new Error(`parsed: ${q}`);
};

describe("query parser", () => {
  it("words are ANDed, folded (NFKC + lowercase)", () => {
    expect(parse("Tokyo  ＴＯＷＥＲ").all).toEqual([
      [{ type: "word", value: "tokyo" }],
      [{ type: "word", value: "tower" }],
    ]);
  });
  it("Japanese and mixed text; a full-width space separates", () => {
    expect(
      parse("東京タワー　夜景 night")
        .all.flat()
        .map((t) => t.type === "word" && t.value),
    ).toEqual(["東京タワー", "夜景", "night"]);
  });
  it('"exact phrase" keeps inner spaces (collapsed); 「」 quotes too', () => {
    expect(parse('"Tokyo   Tower" 「東京 タワー」').all).toEqual([
      [{ type: "phrase", value: "tokyo tower" }],
      [{ type: "phrase", value: "東京 タワー" }],
    ]);
  });
  it("-exclude words, phrases and operators", () => {
    const q = parse('東京 -雨 -"大雨 警報" -from:bob -#rain -has:video -is:reply');
    expect(q.none).toEqual([
      { type: "word", value: "雨" },
      { type: "phrase", value: "大雨 警報" },
      { type: "from", handle: "bob" },
      { type: "tag", tag: "rain" },
      { type: "has", media: "video" },
      { type: "is", what: "reply" },
    ]);
  });
  it("OR joins neighbours into one group", () => {
    expect(parse("a b OR c OR #d e").all).toEqual([
      [{ type: "word", value: "a" }],
      [
        { type: "word", value: "b" },
        { type: "word", value: "c" },
        { type: "tag", tag: "d" },
      ],
      [{ type: "word", value: "e" }],
    ]);
    // Lowercase "or" is just a word.
    expect(parse("cats or dogs").all).toHaveLength(3);
  });
  it("every operator", () => {
    const q = parse(
      "from:@Alice to:bob #ＴＯＫＹＯ has:image has:media is:reply since:2025-01-01 until:2025-01-31 lang:ja",
    );
    expect(q.all.flat()).toEqual([
      { type: "from", handle: "alice" },
      { type: "to", handle: "bob" },
      { type: "tag", tag: "tokyo" },
      { type: "has", media: "image" },
      { type: "has", media: "media" },
      { type: "is", what: "reply" },
    ]);
    expect([q.since, q.until, q.lang]).toEqual(["2025-01-01", "2025-01-31", "ja"]);
    expect(parse("ｆｒｏｍ：ａｌｉｃｅ").all).toEqual([[{ type: "from", handle: "alice" }]]);
  });
  it("unknown prefixes and URLs stay words", () => {
    expect(parse("https://example.com foo:bar").all.flat()).toEqual([
      { type: "word", value: "https://example.com" },
      { type: "word", value: "foo:bar" },
    ]);
  });
  it("malformed input is a clear 400, never a crash", () => {
    fails('"東京', /never closed/);
    fails('""', /empty/);
    fails("OR cats", /OR/);
    fails("cats OR", /OR/);
    fails("a OR OR b", /OR/);
    fails("a OR -b", /OR/);
    fails("has:pdf", /has:pdf is unknown/);
    fails("is:quote", /is:reply/);
    fails("lang:fr", /lang:ja or lang:en/);
    fails("since:2025-02-30", /YYYY-MM-DD/);
    fails("since:yesterday", /YYYY-MM-DD/);
    fails("since:2025-02-01 until:2025-01-01", /after/);
    fails("from:", /needs a value/);
    fails("from:bad-handle!", /not a handle/);
    fails("-lang:ja", /cannot be excluded/);
    fails("- cats", /lone/);
    fails("-雨", /exclude/);
    fails("   ", /Type something/);
    fails("x".repeat(501), /at most 500/);
    fails(Array.from({ length: 30 }, (_, i) => `w${i}`).join(" "), /at most 24/);
  });
  it("dates are days in the caller's time zone; until includes its day", () => {
    expect(startOfDay("2025-01-10", "Asia/Tokyo")).toBe(Date.UTC(2025, 0, 9, 15));
    expect(startOfDay("2025-03-09", "America/New_York")).toBe(Date.UTC(2025, 2, 9, 5));
    expect(timeRange(parse("since:2025-01-10 until:2025-01-10"), "UTC")).toEqual({
      gte: Date.UTC(2025, 0, 10),
      lt: Date.UTC(2025, 0, 11),
    });
  });
  it("format round-trips; needles are the positive words and phrases", () => {
    const text = 'a OR "b c" from:x #t -d since:2025-01-01 lang:en';
    expect(format(parse(text))).toBe(text);
    expect(needles(parse('東京 "夜 景" -雨 from:x'))).toEqual(["東京", "夜 景"]);
  });
});

describe("highlight", () => {
  it("maps folded matches back to the original text", () => {
    const text = "ＴＯＫＹＯタワーと東京タワーに行った";
    const ranges = highlight(text, ["tokyo", "タワー"]);
    expect(ranges.map((r) => text.slice(r.start, r.end))).toEqual(["ＴＯＫＹＯタワー", "タワー"]);
    expect(split("a東京b", highlight("a東京b", ["東京"]))).toEqual([
      { text: "a", match: false },
      { text: "東京", match: true },
      { text: "b", match: false },
    ]);
    expect(highlight("😀東京", ["東京"])).toEqual([{ start: 2, end: 4 }]);
  });
  it("detects the language once at index time", () => {
    expect(detectLang("東京タワーに行った")).toBe("ja");
    expect(detectLang("I went to 東京")).toBe("en");
    expect(detectLang("東京大学")).toBe("ja");
    expect(detectLang("🎉")).toBe("other");
  });
});

describe("OpenSearch requests per query shape", () => {
  const range = (q: string) => timeRange(parse(q), "Asia/Tokyo");
  const shapes = [
    "東京",
    '東京 "タワー 夜景" -雨',
    "cats OR dogs #pets",
    "from:alice to:bob has:image is:reply",
    "東京 since:2025-01-01 until:2025-01-31 lang:ja",
  ];
  for (const q of shapes) {
    it(q, () => {
      expect(postsRequest({ query: parse(q), range: range(q), sort: "latest", size: 21 })).toMatchSnapshot();
    });
  }
  it("relevance with a cursor", () => {
    expect(
      postsRequest({
        query: parse("東京 タワー"),
        range: {},
        sort: "relevance",
        size: 20,
        after: [1.5, 1, "pst_1"],
      }),
    ).toMatchSnapshot();
  });
  it("people and tags", () => {
    expect(usersRequest("たなか", 20)).toMatchSnapshot();
    expect(tagsRequest("旅", 10)).toMatchSnapshot();
  });
  it("documents", () => {
    expect(
      postDoc({
        postId: "pst_1",
        authorId: "u1",
        authorHandle: "Alice",
        text: "東京　タワー #旅行 @Bob",
        hashtags: ["旅行"],
        mentions: [{ handle: "bob" }],
        mediaKinds: ["image", "image"],
        replyTo: "pst_0",
        createdAt: 10,
        editedAt: 20,
      }),
    ).toMatchSnapshot();
    expect(
      userDoc({ userId: "u1", handle: "Tanaka", displayName: "タナカ  ボブ", updatedAt: 3 }),
    ).toMatchSnapshot();
  });
});
