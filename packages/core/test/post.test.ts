import { describe, expect, it } from "vitest";
import { Post } from "../src/post";

const codeOf = (result: { error?: { issues: readonly object[] } }) =>
  (result.error?.issues[0] as { params?: { code?: string } } | undefined)?.params?.code;

describe("post input rules (the schema the route validates with)", () => {
  it("counts graphemes: 1,000 family emoji fit, 1,001 kana do not", () => {
    expect(Post.create.schema.safeParse({ text: "👨‍👩‍👧".repeat(1000) }).success).toBe(true);
    const long = Post.create.schema.safeParse({ text: "あ".repeat(1001) });
    expect(long.success).toBe(false);
    expect(codeOf(long)).toBe("post.too_long");
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
