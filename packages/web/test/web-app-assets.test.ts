import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { applicationServerKey } from "../src/lib/push";

const publicFile = (path: string) => readFileSync(new URL(`../public${path}`, import.meta.url));

/** A PNG's width and height, from its IHDR chunk. */
const pngSize = (data: Buffer) => {
  expect(data.subarray(1, 4).toString("latin1")).toBe("PNG");
  return `${data.readUInt32BE(16)}x${data.readUInt32BE(20)}`;
};

describe("the web app manifest and icons", () => {
  const manifest = JSON.parse(publicFile("/manifest.webmanifest").toString("utf8")) as {
    icons: { src: string; sizes: string; type: string; purpose: string }[];
    theme_color: string;
    start_url: string;
  };

  it("lists icons that exist at the sizes it declares, with a maskable one", () => {
    for (const icon of manifest.icons.filter((i) => i.type === "image/png"))
      expect(pngSize(publicFile(icon.src)), icon.src).toBe(icon.sizes);
    const sizes = (purpose: string) =>
      manifest.icons.filter((i) => i.purpose === purpose).map((i) => i.sizes);
    expect(sizes("any")).toEqual(expect.arrayContaining(["192x192", "512x512"]));
    expect(sizes("maskable")).toContain("512x512");
    expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
  });

  it("has an Apple touch icon, a notification badge and a favicon.ico", () => {
    expect(pngSize(publicFile("/icons/apple-touch-icon.png"))).toBe("180x180");
    expect(pngSize(publicFile("/icons/badge-96.png"))).toBe("96x96");
    const ico = publicFile("/favicon.ico");
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
    const count = ico.readUInt16LE(4);
    const sizes = Array.from({ length: count }, (_, i) => ico.readUInt8(6 + 16 * i));
    expect(sizes).toEqual([16, 32, 48]);
    // Each entry points at a whole PNG inside the file.
    for (let i = 0; i < count; i++) {
      const length = ico.readUInt32LE(6 + 16 * i + 8);
      const offset = ico.readUInt32LE(6 + 16 * i + 12);
      expect(pngSize(ico.subarray(offset, offset + length))).toBe(`${sizes[i]}x${sizes[i]}`);
    }
  });
});

describe("the VAPID key for subscribe()", () => {
  it("decodes base64url without padding into the key's bytes", () => {
    const bytes = Uint8Array.from({ length: 65 }, (_, i) => (i * 37 + 4) % 256);
    const base64url = Buffer.from(bytes).toString("base64url");
    expect(base64url).not.toMatch(/[=+/]/);
    expect(Array.from(applicationServerKey(base64url))).toEqual(Array.from(bytes));
  });
});
