// The local bucket expires objects by its lifecycle rules as S3 does: by prefix, after the rule's days,
// rounded up to the next midnight UTC. Against s3rver, read back with the AWS SDK.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningS3, S3RVER_CREDENTIALS, startS3 } from "../src/standins/s3";
import { expirationRules, expireObjects, expiresAt } from "../src/standins/s3-lifecycle";

const DAY = 24 * 60 * 60 * 1000;

describe("lifecycle rules", () => {
  it("are read from the bucket's lifecycle argument, skipping disabled ones", () => {
    expect(
      expirationRules([
        { id: "expire-uploads", prefix: "uploads/", expiresIn: "2 days" },
        { prefix: "tmp/", expiresIn: "1 day", enabled: false },
        { expiresIn: "30 days" },
      ]),
    ).toEqual([
      { prefix: "uploads/", days: 2 },
      { prefix: "", days: 30 },
    ]);
    expect(expirationRules(undefined)).toEqual([]);
  });

  it("expire at the midnight UTC after creation plus the days", () => {
    expect(new Date(expiresAt(new Date("2026-01-01T10:30:00Z"), 2)).toISOString()).toBe(
      "2026-01-04T00:00:00.000Z",
    );
    expect(new Date(expiresAt(new Date("2026-01-01T00:00:00Z"), 1)).toISOString()).toBe(
      "2026-01-02T00:00:00.000Z",
    );
  });
});

describe("expiring objects in s3rver", () => {
  let dir: string;
  let s3: RunningS3;
  let client: S3Client;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "lifecycle-"));
    s3 = await startS3({ dataDir: dir, inMemory: true, buckets: ["media"], region: "us-east-1" });
    client = new S3Client({
      endpoint: s3.endpoint,
      region: "us-east-1",
      credentials: S3RVER_CREDENTIALS,
      forcePathStyle: true,
    });
    for (const Key of ["uploads/u1/med_a", "uploads/u1/med_b", "public/med_a/image.jpg"])
      await client.send(new PutObjectCommand({ Bucket: "media", Key, Body: "x" }));
  });
  afterAll(async () => {
    await s3?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const keys = async () =>
    ((await client.send(new ListObjectsV2Command({ Bucket: "media" }))).Contents ?? [])
      .map((o) => o.Key)
      .sort();
  const rules = [{ prefix: "uploads/", days: 2 }];

  it("keeps objects until their expiry, then removes only those under the prefix", async () => {
    expect(await expireObjects({ client, bucket: "media", rules, now: Date.now() + DAY })).toEqual([]);
    expect(await keys()).toHaveLength(3);
    const removed = await expireObjects({ client, bucket: "media", rules, now: Date.now() + 3 * DAY });
    expect(removed.sort()).toEqual(["uploads/u1/med_a", "uploads/u1/med_b"]);
    expect(await keys()).toEqual(["public/med_a/image.jpg"]);
  });
});
