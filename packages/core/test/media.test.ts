import { describe, expect, it } from "vitest";
import { Cursor } from "../src/cursor";
import { kindOf, LIMITS, matchesMagic } from "../src/media/limits";

const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === "string" ? [...p].map((c) => c.charCodeAt(0)) : p)));

describe("media limits", () => {
  it("sorts content types into kinds, ignoring codec parameters", () => {
    expect(kindOf("image/png")).toBe("image");
    expect(kindOf("audio/webm;codecs=opus")).toBe("audio");
    expect(kindOf("video/mp4")).toBe("video");
    expect(kindOf("image/svg+xml")).toBeUndefined();
    expect(kindOf("application/pdf")).toBeUndefined();
  });

  it("caps sizes per kind as the product promises", () => {
    expect(LIMITS.image.maxBytes).toBe(16 * 1024 * 1024);
    expect(LIMITS.video.maxBytes).toBe(100 * 1024 * 1024);
    expect(LIMITS.audio.maxBytes).toBe(40 * 1024 * 1024);
  });

  it("recognises each format by its first bytes", () => {
    expect(matchesMagic("image/jpeg", bytes([0xff, 0xd8, 0xff, 0xe0]))).toBe(true);
    expect(matchesMagic("image/png", bytes([0x89], "PNG", [0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    expect(matchesMagic("image/gif", bytes("GIF89a"))).toBe(true);
    expect(matchesMagic("image/webp", bytes("RIFF", [1, 2, 3, 4], "WEBPVP8 "))).toBe(true);
    expect(matchesMagic("audio/wav", bytes("RIFF", [1, 2, 3, 4], "WAVEfmt "))).toBe(true);
    expect(matchesMagic("video/mp4", bytes([0, 0, 0, 0x20], "ftypisom"))).toBe(true);
    expect(matchesMagic("audio/webm;codecs=opus", bytes([0x1a, 0x45, 0xdf, 0xa3]))).toBe(true);
    expect(matchesMagic("audio/ogg", bytes("OggS"))).toBe(true);
    expect(matchesMagic("audio/mpeg", bytes("ID3", [4, 0]))).toBe(true);
    expect(matchesMagic("audio/mpeg", bytes([0xff, 0xfb, 0x90]))).toBe(true);
  });

  it("refuses a file whose bytes do not match its declared type", () => {
    const png = bytes([0x89], "PNG", [0x0d, 0x0a, 0x1a, 0x0a]);
    expect(matchesMagic("image/jpeg", png)).toBe(false);
    expect(matchesMagic("image/webp", bytes("RIFF", [1, 2, 3, 4], "WAVE"))).toBe(false);
    expect(matchesMagic("video/mp4", bytes("<html>"))).toBe(false);
    expect(matchesMagic("image/png", new Uint8Array())).toBe(false);
  });
});

describe("cursors", () => {
  it("round-trip a key and stay opaque", () => {
    const key = { pk: "$asyncsns#userid_u1", sk: "$post_1#createdat_1700000000000", n: 3 };
    const cursor = Cursor.encode(key)!;
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Cursor.decode(cursor)).toEqual(key);
    expect(Cursor.encode(null)).toBeNull();
    expect(Cursor.decode(undefined)).toBeUndefined();
  });

  it("answers garbage with a 400-kind error, not a crash", () => {
    for (const bad of [
      "%%%",
      "bm90IGpzb24",
      Buffer.from(JSON.stringify({ v: 9, k: {} })).toString("base64url"),
    ])
      expect(() => Cursor.decode(bad)).toThrow(
        expect.objectContaining({ kind: "input", code: "cursor.invalid" }),
      );
  });
});
