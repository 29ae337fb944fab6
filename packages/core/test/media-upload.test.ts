import { describe, expect, it } from "vitest";
import { Media } from "../src/media";
import type { MediaItem } from "../src/media/media.entity";

const MB = 1024 * 1024;

describe("upload policy", () => {
  it("pins the exact key, the exact Content-Type and exactly the declared size, for five minutes", () => {
    const policy = Media.uploadPolicy({ key: "uploads/u1/med_X", contentType: "image/png", size: 1234 });
    expect(policy.Key).toBe("uploads/u1/med_X");
    expect(policy.Conditions).toEqual([
      ["content-length-range", 1234, 1234],
      ["eq", "$Content-Type", "image/png"],
    ]);
    expect(policy.Fields).toEqual({ "Content-Type": "image/png" });
    expect(policy.Expires).toBe(300);
  });
});

describe("type and size checks", () => {
  it("sorts allowed types into kinds and refuses the rest with a message naming what is allowed", () => {
    expect(Media.checkType("image/webp")).toBe("image");
    expect(Media.checkType("audio/webm;codecs=opus")).toBe("audio");
    expect(() => Media.checkType("text/html")).toThrow(
      expect.objectContaining({ kind: "input", code: "media.unsupported_type" }),
    );
    expect(() => Media.checkType("image/svg+xml")).toThrow(/JPEG, PNG, WebP or GIF/);
  });

  it("allows exactly the limit and refuses one byte more with 413 and the limit in MB", () => {
    expect(() => Media.checkSize("image", 16 * MB)).not.toThrow();
    expect(() => Media.checkSize("image", 16 * MB + 1)).toThrow(
      expect.objectContaining({ kind: "too-large", code: "media.too_large" }),
    );
    expect(() => Media.checkSize("video", 150 * MB)).toThrow(
      "Videos can be at most 100 MB; this file is 150 MB.",
    );
    expect(() => Media.checkSize("audio", 41 * MB)).toThrow(/at most 40 MB/);
  });

  it("validates the request shape before any rule runs", () => {
    const schema = Media.createUpload.schema;
    expect(schema.safeParse({ contentType: "image/png", size: 0 }).success).toBe(false);
    expect(schema.safeParse({ contentType: "image/png", size: 1.5 }).success).toBe(false);
    expect(schema.safeParse({ contentType: "image/png", size: 10, alt: "a".repeat(1501) }).success).toBe(
      false,
    );
    expect(schema.safeParse({ contentType: "image/png", size: 10, alt: "🌸".repeat(1500) }).success).toBe(
      true,
    );
  });
});

describe("keys", () => {
  it("keeps originals under uploads/<user>/<id> and parses only well-formed ones back", () => {
    const id = "med_01J5ZC8Q4XK9V3N2M7B6T1R0AB";
    expect(Media.originalKey("sub-1", id)).toBe(`uploads/sub-1/${id}`);
    expect(Media.parseOriginalKey(`uploads/sub-1/${id}`)).toEqual({ userId: "sub-1", mediaId: id });
    expect(Media.parseOriginalKey(`public/${id}/image.jpg`)).toBeUndefined();
    expect(Media.parseOriginalKey(`uploads/sub-1/${id}/../x`)).toBeUndefined();
    expect(Media.parseOriginalKey("uploads/sub-1/med_short")).toBeUndefined();
  });

  it("serves derivatives under public/<id>/ with the type's extension, and a WebP thumbnail for images", () => {
    expect(Media.publicKeys("med_1", "image", "image/jpeg")).toEqual({
      main: "public/med_1/image.jpg",
      thumbnail: "public/med_1/thumb.webp",
    });
    expect(Media.publicKeys("med_1", "audio", "audio/x-m4a")).toEqual({ main: "public/med_1/audio.m4a" });
  });

  it("writes chat derivatives under private/<id>/, out of the Router's reach, and the rest under public/", () => {
    const id = "med_01J5ZC8Q4XK9V3N2M7B6T1R0AB";
    expect(Media.privateKeys(id, "image", "image/png")).toEqual({
      main: `private/${id}/image.png`,
      thumbnail: `private/${id}/thumb.webp`,
    });
    const media = { mediaId: id, kind: "video", contentType: "video/mp4" } as const;
    expect(Media.derivedKeys({ ...media, purpose: "chat" })).toEqual({ main: `private/${id}/video.mp4` });
    expect(Media.derivedKeys({ ...media, purpose: "post" })).toEqual({ main: `public/${id}/video.mp4` });
    expect(Media.derivedKeys({ ...media, purpose: "avatar" }).main).toBe(`public/${id}/video.mp4`);
    for (const purpose of Media.PURPOSES) {
      const { main, thumbnail } = Media.derivedKeys({ ...media, kind: "image", purpose });
      for (const key of [main, thumbnail!])
        expect(key.startsWith("public/"), `${purpose} ${key}`).toBe(Media.isPublic(purpose));
    }
    expect(Media.isPublic("chat")).toBe(false);
  });

  it("records the purpose, post unless told, and refuses any other", () => {
    const schema = Media.createUpload.schema;
    expect(schema.parse({ contentType: "image/png", size: 10 }).purpose).toBe("post");
    expect(schema.parse({ contentType: "image/png", size: 10, purpose: "chat" }).purpose).toBe("chat");
    expect(schema.safeParse({ contentType: "image/png", size: 10, purpose: "public" }).success).toBe(false);
  });

  it("embeds /media URLs derived from the id, so a post written before processing still points right", () => {
    const pending = {
      mediaId: "med_1",
      ownerId: "u",
      kind: "image",
      contentType: "image/png",
      size: 10,
      alt: "",
      status: "pending",
      createdAt: 0,
      updatedAt: 0,
    } satisfies MediaItem;
    expect(Media.toPublic(pending)).toEqual({
      id: "med_1",
      kind: "image",
      contentType: "image/png",
      url: "/media/med_1/image.png",
      thumbnailUrl: "/media/med_1/thumb.webp",
      posterUrl: null,
      width: null,
      height: null,
      blurhash: null,
      durationMs: null,
      alt: "",
      status: "pending",
    });
    expect(Media.Info.parse(Media.toPublic(pending))).toBeTruthy();
  });
});
