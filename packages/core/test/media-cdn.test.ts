// What a CDN purge asks CloudFront to forget: one wildcard per media, and one invalidation for all its files.
import { describe, expect, it } from "vitest";
import { callerReference, invalidationPath } from "../src/media/cdn";
import { publicKeys } from "../src/media/storage";

const ID = "med_01J9Z3K5QG8W1Y4T6V2B7N0M3C";

describe("invalidationPath", () => {
  it("is one wildcard over the media's /media folder, whichever of its files was removed", () => {
    const keys = publicKeys(ID, "image", "image/jpeg");
    expect(invalidationPath(keys.main)).toBe(`/media/${ID}/*`);
    expect(invalidationPath(keys.thumbnail!)).toBe(`/media/${ID}/*`);
    expect(invalidationPath(`public/${ID}/poster.webp`)).toBe(`/media/${ID}/*`);
  });

  it("percent-encodes the folder, and a * in it never widens the wildcard", () => {
    expect(invalidationPath("public/a b/ü.jpg")).toBe("/media/a%20b/*");
    expect(invalidationPath("public/x*/y.jpg")).toBe("/media/x%2A/*");
  });

  it("has nothing for keys no /media path reaches (originals, chat files, no folder)", () => {
    expect(invalidationPath(`uploads/user-1/${ID}`)).toBeUndefined();
    expect(invalidationPath(`private/${ID}/image.jpg`)).toBeUndefined();
    expect(invalidationPath("publicity/x.jpg")).toBeUndefined();
    expect(invalidationPath(`public/${ID}`)).toBeUndefined();
  });
});

describe("callerReference", () => {
  const removal = { key: `public/${ID}/image.jpg`, sequencer: "0055AED6DCD90281E5" };

  it("is the same for every file of one media and for retries, so they make one invalidation", () => {
    expect(callerReference({ ...removal })).toBe(callerReference(removal));
    expect(callerReference({ key: `public/${ID}/thumb.webp`, sequencer: "0055AED6DCD90281F0" })).toBe(
      callerReference(removal),
    );
  });

  it("differs for another media", () => {
    expect(callerReference({ ...removal, key: "public/med_01J9Z3K5QG8W1Y4T6V2B7N0M3D/image.jpg" })).not.toBe(
      callerReference(removal),
    );
  });
});
