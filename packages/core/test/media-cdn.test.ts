// What a CDN purge asks CloudFront to forget, and how a retried S3 event stays one invalidation.
import { describe, expect, it } from "vitest";
import { callerReference, invalidationPath } from "../src/media/cdn";
import { publicKeys, urlOf } from "../src/media/storage";

describe("invalidationPath", () => {
  it("is the /media URL the app serves for a public copy", () => {
    const keys = publicKeys("med_01J9Z3K5QG8W1Y4T6V2B7N0M3C", "image", "image/jpeg");
    expect(invalidationPath(keys.main)).toBe("/media/med_01J9Z3K5QG8W1Y4T6V2B7N0M3C/image.jpg");
    expect(invalidationPath(keys.thumbnail!)).toBe(urlOf(keys.thumbnail!));
  });

  it("percent-encodes what a browser would, and never widens into a wildcard", () => {
    expect(invalidationPath("public/a b/ü.jpg")).toBe("/media/a%20b/%C3%BC.jpg");
    expect(invalidationPath("public/x/*")).toBe("/media/x/%2A");
  });

  it("has nothing for keys no /media path reaches (originals, chat files)", () => {
    expect(invalidationPath("uploads/user-1/med_01J9Z3K5QG8W1Y4T6V2B7N0M3C")).toBeUndefined();
    expect(invalidationPath("private/med_01J9Z3K5QG8W1Y4T6V2B7N0M3C/image.jpg")).toBeUndefined();
    expect(invalidationPath("publicity/x.jpg")).toBeUndefined();
  });
});

describe("callerReference", () => {
  const removal = { key: "public/med_1/image.jpg", sequencer: "0055AED6DCD90281E5" };

  it("is the same for the same removal, so a retry is not a second invalidation", () => {
    expect(callerReference({ ...removal })).toBe(callerReference(removal));
  });

  it("differs for another key or a later removal of the same key", () => {
    expect(callerReference({ ...removal, key: "public/med_1/thumb.webp" })).not.toBe(
      callerReference(removal),
    );
    expect(callerReference({ ...removal, sequencer: "0055AED6DCD90281F0" })).not.toBe(
      callerReference(removal),
    );
  });
});
