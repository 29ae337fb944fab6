import { describe, expect, it } from "vitest";
import { Post } from "../src/post";

const codeOf = (result: { error?: { issues: readonly object[] } }) =>
  (result.error?.issues[0] as { params?: { code?: string } } | undefined)?.params?.code;

describe("post input rules (the schema the route validates with)", () => {
  it("counts graphemes (a family emoji is one), 1,001 kana do not fit", () => {
    expect(Post.create.schema.safeParse({ text: `${"あ".repeat(999)}👨‍👩‍👧` }).success).toBe(true);
    const long = Post.create.schema.safeParse({ text: "あ".repeat(1001) });
    expect(long.success).toBe(false);
    expect(codeOf(long)).toBe("post.too_long");
  });

  it("caps a post at 4,000 bytes before counting: 1,000 family emoji (18,000 bytes) are too long", () => {
    const heavy = Post.create.schema.safeParse({ text: "👨‍👩‍👧".repeat(1000) });
    expect(codeOf(heavy)).toBe("post.too_long");
    expect(heavy.error?.issues[0]?.message).toBe("A post is at most 1000 characters (4000 bytes).");
  });

  it("allows at most 4 attachments and only post ids as reply targets", () => {
    const many = Post.create.schema.safeParse({ text: "x", mediaIds: ["a", "b", "c", "d", "e"] });
    expect(codeOf(many)).toBe("post.too_many_media");
    expect(
      Post.create.schema.safeParse({ text: "x", replyTo: "med_01J00000000000000000000000" }).success,
    ).toBe(false);
    expect(
      Post.create.schema.safeParse({ text: "x", replyTo: "pst_01J00000000000000000000000" }).success,
    ).toBe(true);
  });
});
