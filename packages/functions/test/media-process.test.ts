import type { S3Event } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { objectsOf } from "../src/media/s3-event";

describe("media processor event", () => {
  it("decodes S3's URL-encoded keys ('+' for a space) per record", () => {
    const record = (key: string) => ({ s3: { bucket: { name: "media" }, object: { key, sequencer: "0A" } } });
    const event = {
      Records: [record("uploads/u1/med_1"), record("uploads/a+b%2Bc%E6%9D%B1/med_2")],
    } as unknown as S3Event;
    expect(objectsOf(event)).toEqual([
      { bucket: "media", key: "uploads/u1/med_1", sequencer: "0A" },
      { bucket: "media", key: "uploads/a b+c東/med_2", sequencer: "0A" },
    ]);
  });
});
