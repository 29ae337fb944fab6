import { afterEach, describe, expect, it, vi } from "vitest";
import { CreateRoom, RenameRoom, SendMessage } from "../src/chat/inputs";
import { UploadRequest } from "../src/media";
import { Post } from "../src/post";
import { Profile } from "../src/profile";
import { parse } from "../src/search/query";
import { Text } from "../src/text";
import { User } from "../src/user";
import { checkText, utf8Length } from "../src/util";

const roomId = "rom_01JDZ0000000000000000000AB";
const MB = "a".repeat(1024 * 1024);
const issue = (result: { error?: { issues: readonly object[] } }) =>
  result.error?.issues[0] as { message: string; params?: { code?: string } } | undefined;
const codeOf = (result: { error?: { issues: readonly object[] } }) => issue(result)?.params?.code;

afterEach(() => vi.restoreAllMocks());

describe("bytes before graphemes", () => {
  it("measures UTF-8 without an encoder, as Buffer does", () => {
    for (const text of ["abc", "é", "あ", "👨‍👩‍👧", "🇯🇵", "\ud800x", "a\u0301"])
      expect(utf8Length(text)).toBe(Buffer.byteLength(text));
  });

  it.each([
    ["post text", () => Post.create.schema.safeParse({ text: MB }), "post.too_long"],
    ["message text", () => SendMessage.safeParse({ roomId, text: MB }), "chat.text_too_long"],
    ["display name", () => User.DisplayName.safeParse(MB), "profile.invalid_display_name"],
    ["bio", () => User.Bio.safeParse(MB), "profile.invalid_bio"],
    ["room name", () => CreateRoom.safeParse({ memberHandles: ["bob"], name: MB }), "room.invalid_name"],
    [
      "alt text",
      () => UploadRequest.safeParse({ contentType: "image/png", size: 1, alt: MB }),
      "media.invalid_alt",
    ],
    [
      "file name",
      () => UploadRequest.safeParse({ contentType: "image/png", size: 1, fileName: MB }),
      "media.invalid_file_name",
    ],
  ])("refuses a 1 MB %s by its bytes without segmenting it", (_, run, code) => {
    const segment = vi.spyOn(Intl.Segmenter.prototype, "segment");
    const result = run();
    expect(codeOf(result)).toBe(code);
    expect(issue(result)?.message).toMatch(/bytes\)\.$/);
    expect(segment).not.toHaveBeenCalled();
  });

  it("refuses one letter with 20,000 combining marks (a 40 KB 'one character' post) by its bytes", () => {
    const bomb = `a${"\u0301".repeat(20_000)}`;
    expect(Text.count(bomb)).toBe(1);
    expect(codeOf(Post.create.schema.safeParse({ text: bomb }))).toBe("post.too_long");
  });

  it("counts only as far as the limit: a text far over it walks limit + 1 graphemes", () => {
    const long = "あ".repeat(1333);
    const problem = checkText(long, Text.Limits.POST);
    expect(problem?.code).toBe("post.too_long");
    expect(problem?.message).toBe("A post is at most 1000 characters.");
  });
});

describe("combining marks per grapheme", () => {
  it("keeps real text: Vietnamese, Hindi, Hebrew with points, a keycap, a flag", () => {
    for (const text of ["Tiếng Việt", "ê\u0323\u0301", "नमस्ते", "שָׁלוֹם", "1\ufe0f\u20e3", "🇯🇵"])
      expect(checkText(text, Text.Limits.POST)).toBeUndefined();
    expect(checkText(`a${"\u0301".repeat(8)}`, Text.Limits.POST)).toBeUndefined();
  });

  it("refuses a zalgo grapheme of 9 marks with text.too_many_marks, joiners in between or not", () => {
    for (const bomb of [`a${"\u0301".repeat(9)}`, `a${"\u0301\u200d".repeat(9)}`]) {
      const result = Post.create.schema.safeParse({ text: `hello ${bomb}` });
      expect(codeOf(result)).toBe("text.too_many_marks");
      expect(issue(result)?.message).toBe("A post has a character with more than 8 combining marks.");
    }
    expect(codeOf(User.DisplayName.safeParse(`Z${"\u0336".repeat(12)}`))).toBe("text.too_many_marks");
  });
});

describe("control characters, lone surrogates and bidi overrides", () => {
  it.each(["\u0000", "\u0007", "\u001b[31m", "\u007f", "\u0085"])(
    "a post or message with %j is refused (text.invalid_characters); \\n and \\t are kept",
    (control) => {
      expect(codeOf(Post.create.schema.safeParse({ text: `a${control}b` }))).toBe("text.invalid_characters");
      expect(codeOf(SendMessage.safeParse({ roomId, text: `a${control}b` }))).toBe("text.invalid_characters");
    },
  );

  it("running text keeps newlines and tabs and neutralises CRLF and CR to \\n", () => {
    expect(Post.create.schema.parse({ text: "a\tb\nc\r\nd\re" }).text).toBe("a\tb\nc\nd\ne");
    expect(Profile.update.schema.parse({ bio: "line\r\nline" }).bio).toBe("line\nline");
  });

  it("names refuse every control character, newlines included", () => {
    for (const name of ["a\nb", "a\tb", "a\u0000b"]) {
      expect(codeOf(User.DisplayName.safeParse(name))).toBe("text.invalid_characters");
      expect(codeOf(RenameRoom.safeParse({ roomId, name }))).toBe("text.invalid_characters");
    }
  });

  it.each(["\ud800", "\udfff", "x\udc00y"])("lone surrogate %j is refused in every field", (lone) => {
    expect(codeOf(Post.create.schema.safeParse({ text: lone }))).toBe("text.invalid_characters");
    expect(codeOf(SendMessage.safeParse({ roomId, text: lone }))).toBe("text.invalid_characters");
    expect(codeOf(User.DisplayName.safeParse(lone))).toBe("text.invalid_characters");
    expect(codeOf(User.Bio.safeParse(lone))).toBe("text.invalid_characters");
  });

  it.each(["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"])(
    "bidi control %j: refused in names, room names and file names; removed from posts, messages, bios and alt text",
    (bidi) => {
      expect(issue(User.DisplayName.safeParse(`admin${bidi}nimda`))).toMatchObject({
        params: { code: "text.invalid_characters" },
        message: "A display name cannot contain text-direction overrides (U+202A–U+202E, U+2066–U+2069).",
      });
      expect(codeOf(RenameRoom.safeParse({ roomId, name: `room${bidi}` }))).toBe("text.invalid_characters");
      const upload = UploadRequest.safeParse({
        contentType: "image/png",
        size: 1,
        fileName: `cat${bidi}gnp.exe`,
      });
      expect(codeOf(upload)).toBe("text.invalid_characters");
      expect(Post.create.schema.parse({ text: `a${bidi}b` }).text).toBe("ab");
      expect(SendMessage.parse({ roomId, text: `a${bidi}b` }).text).toBe("ab");
      expect(Profile.update.schema.parse({ bio: `a${bidi}b` }).bio).toBe("ab");
      expect(UploadRequest.parse({ contentType: "image/png", size: 1, alt: `a${bidi}b` }).alt).toBe("ab");
    },
  );

  it("keeps right-to-left text and the harmless marks (LRM, RLM)", () => {
    expect(Post.create.schema.parse({ text: "שלום \u200fworld\u200e" }).text).toBe("שלום \u200fworld\u200e");
    expect(User.DisplayName.parse("مرحبا")).toBe("مرحبا");
  });
});

describe("search query", () => {
  it("checks the 500-character cap after NFKC: 100 × U+FDFA (300 bytes) grows to 1,800 characters", () => {
    const grows = "\ufdfa".repeat(100);
    expect(grows.normalize("NFKC").length).toBe(1800);
    expect(() => parse(grows)).toThrow("A search is at most 500 characters.");
    // "㌀" becomes "アパート": 125 of them are exactly 500 characters once normalised, 126 are over.
    expect(() => parse("\u3300".repeat(125))).not.toThrow();
    expect(() => parse("\u3300".repeat(126))).toThrow("A search is at most 500 characters.");
  });

  it("bounds the bytes before NFKC: 2,001 bytes are refused unnormalised", () => {
    const normalize = vi.spyOn(String.prototype, "normalize");
    expect(() => parse(`${"a".repeat(1999)}あ`)).toThrow("A search is at most 500 characters.");
    expect(normalize).not.toHaveBeenCalled();
  });
});
