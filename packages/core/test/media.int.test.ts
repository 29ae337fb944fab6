// Media against the real stand-ins (DynamoDB Local, s3rver): presigned uploads, attach verification, processing.
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { decode as decodeBlurhash } from "blurhash";
import { Service } from "electrodb";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningStandIns, startStandIns } from "../../local/src/standins";

const TABLE = "asyncsns-mediatest-Table";
const BUCKET = "asyncsns-mediatest-media";

let standIns: RunningStandIns;
let dataDir: string;
// Imported after the env is set: core's clients and Resource read it at load, as in a Lambda.
let Media: typeof import("../src/media").Media;
let MediaProcessor: typeof import("../src/media/processor").MediaProcessor;
let withActor: typeof import("../src/actor").withActor;
let s3: typeof import("../src/media/storage").s3;

const as = <T>(userId: string, cb: () => T) => withActor({ type: "user", properties: { userId } }, cb);

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "asyncsns-media-"));
  standIns = await startStandIns({
    dataDir,
    inMemory: true,
    tables: [
      {
        name: TABLE,
        fields: {
          pk: "string",
          sk: "string",
          gsi1pk: "string",
          gsi1sk: "string",
          gsi2pk: "string",
          gsi2sk: "string",
        },
        primaryIndex: { hashKey: "pk", rangeKey: "sk" },
        globalIndexes: {
          gsi1: { hashKey: "gsi1pk", rangeKey: "gsi1sk" },
          gsi2: { hashKey: "gsi2pk", rangeKey: "gsi2sk" },
        },
      },
    ],
    buckets: [BUCKET],
    userPools: [],
  });
  Object.assign(process.env, {
    SST_RESOURCE_App: JSON.stringify({ name: "asyncsns", stage: "mediatest" }),
    SST_RESOURCE_Table: JSON.stringify({ name: TABLE, type: "sst.aws.Dynamo" }),
    SST_RESOURCE_Media: JSON.stringify({ name: BUCKET, type: "sst.aws.Bucket" }),
    AWS_REGION: standIns.region,
    AWS_ACCESS_KEY_ID: standIns.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: standIns.credentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: standIns.dynamodb.endpoint,
    AWS_ENDPOINT_URL_S3: standIns.s3.endpoint,
  });
  ({ Media } = await import("../src/media"));
  ({ MediaProcessor } = await import("../src/media/processor"));
  ({ withActor } = await import("../src/actor"));
  ({ s3 } = await import("../src/media/storage"));
}, 120_000);

afterAll(async () => {
  await standIns?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** What the browser does with the answer: every field, then the file last, as multipart/form-data. */
async function postForm(
  upload: { url: string; fields: Record<string, string> },
  body: Uint8Array,
  type: string,
): Promise<number> {
  const form = new FormData();
  for (const [k, v] of Object.entries(upload.fields)) form.append(k, v);
  form.append("file", new Blob([Buffer.from(body)], { type }), "file");
  const res = await fetch(upload.url, { method: "POST", body: form });
  return res.status;
}

async function upload(userId: string, body: Uint8Array, contentType: string, declared = {}) {
  const created = await as(userId, () =>
    Media.createUpload({ contentType, size: body.byteLength, fileName: "photo", ...declared }),
  );
  expect(await postForm(created.upload, body, contentType)).toBeLessThan(300);
  return created.mediaId;
}

const jpeg = (width = 64, height = 48) =>
  sharp({ create: { width, height, channels: 3, background: { r: 220, g: 80, b: 40 } } })
    .jpeg()
    .toBuffer();
const png = () =>
  sharp({ create: { width: 8, height: 8, channels: 4, background: "#00f" } })
    .png()
    .toBuffer();

const error = (code: string, kind: string) => expect.objectContaining({ code, kind });

describe("Media.createUpload", () => {
  it("returns a presigned POST pinned to the key, the exact type and the exact size, and records a pending upload", async () => {
    const { mediaId, upload } = await as("u-alice", () =>
      Media.createUpload({ contentType: "audio/webm;codecs=opus", size: 12345, fileName: "voice.webm" }),
    );
    expect(mediaId).toMatch(/^med_[0-9A-Z]{26}$/);
    expect(upload.url).toBe(`${standIns.s3.endpoint}/${BUCKET}`);
    expect(upload.fields.key).toBe(`uploads/u-alice/${mediaId}`);
    expect(upload.fields["Content-Type"]).toBe("audio/webm");
    const policy = JSON.parse(Buffer.from(upload.fields.Policy!, "base64").toString());
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        { bucket: BUCKET },
        { key: `uploads/u-alice/${mediaId}` },
        ["content-length-range", 12345, 12345],
        ["eq", "$Content-Type", "audio/webm"],
      ]),
    );
    const ttl = Date.parse(policy.expiration) - Date.now();
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(5 * 60 * 1000);
    const mine = await as("u-alice", () => Media.get(mediaId));
    expect(mine).toMatchObject({
      id: mediaId,
      kind: "audio",
      status: "pending",
      size: 12345,
      attachedTo: null,
    });
    await expect(as("u-bob", () => Media.get(mediaId))).rejects.toThrow(
      error("media.not_found", "not-found"),
    );
  });

  it("refuses an unsupported type (400) and an oversize file (413) with the limit in MB", async () => {
    await expect(
      as("u-alice", () => Media.createUpload({ contentType: "image/svg+xml", size: 10 })),
    ).rejects.toThrow(error("media.unsupported_type", "input"));
    const tooBig = as("u-alice", () =>
      Media.createUpload({ contentType: "image/png", size: 17 * 1024 * 1024 }),
    );
    await expect(tooBig).rejects.toThrow(error("media.too_large", "too-large"));
    await expect(tooBig).rejects.toThrow(/16 MB/);
    await expect(
      as("u-alice", () => Media.createUpload({ contentType: "video/mp4", size: 101 * 1024 * 1024 })),
    ).rejects.toThrow(/100 MB/);
  });
});

describe("Media.verifyForAttach", () => {
  it("accepts a real upload made with the presigned POST", async () => {
    const id = await upload("u-alice", await jpeg(), "image/jpeg");
    const [item] = await as("u-alice", () => Media.verifyForAttach([id]));
    expect(item).toMatchObject({ mediaId: id, ownerId: "u-alice", contentType: "image/jpeg" });
  });

  it("refuses a PNG uploaded as image/jpeg", async () => {
    const id = await upload("u-alice", await png(), "image/jpeg");
    await expect(as("u-alice", () => Media.verifyForAttach([id]))).rejects.toThrow(
      error("media.type_mismatch", "input"),
    );
  });

  it("refuses an object stored with another Content-Type than declared (the policy, then the check)", async () => {
    const body = await jpeg();
    const created = await as("u-alice", () =>
      Media.createUpload({ contentType: "image/jpeg", size: body.byteLength }),
    );
    const edited = { ...created.upload, fields: { ...created.upload.fields, "Content-Type": "text/html" } };
    expect(await postForm(edited, body, "text/html")).toBe(403);
    // Were the policy ever too wide, verification after upload still catches it.
    await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: created.upload.fields.key,
        Body: body,
        ContentType: "text/html",
      }),
    );
    await expect(as("u-alice", () => Media.verifyForAttach([created.mediaId]))).rejects.toThrow(
      error("media.type_mismatch", "input"),
    );
  });

  it("refuses a file whose size is not the declared one", async () => {
    const body = await jpeg();
    const created = await as("u-alice", () =>
      Media.createUpload({ contentType: "image/jpeg", size: body.byteLength + 10 }),
    );
    expect(await postForm(created.upload, body, "image/jpeg")).toBe(400);
    await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: created.upload.fields.key,
        Body: body,
        ContentType: "image/jpeg",
      }),
    );
    await expect(as("u-alice", () => Media.verifyForAttach([created.mediaId]))).rejects.toThrow(
      error("media.size_mismatch", "input"),
    );
  });

  it("refuses media whose object was never uploaded", async () => {
    const { mediaId } = await as("u-alice", () =>
      Media.createUpload({ contentType: "image/png", size: 100 }),
    );
    await expect(as("u-alice", () => Media.verifyForAttach([mediaId]))).rejects.toThrow(
      error("media.missing_object", "input"),
    );
  });

  it("refuses another user's media (403), unknown ids (404) and duplicates (400)", async () => {
    const id = await upload("u-alice", await jpeg(), "image/jpeg");
    await expect(as("u-mallory", () => Media.verifyForAttach([id]))).rejects.toThrow(
      error("media.forbidden", "forbidden"),
    );
    await expect(
      as("u-alice", () => Media.verifyForAttach(["med_01J0000000000000000000000Z"])),
    ).rejects.toThrow(error("media.not_found", "not-found"));
    await expect(as("u-alice", () => Media.verifyForAttach([id, id]))).rejects.toThrow(
      error("media.duplicate", "input"),
    );
  });

  it("claims media in the caller's transaction once; reuse is refused (409) and a concurrent claim cancels", async () => {
    const id = await upload("u-alice", await jpeg(), "image/jpeg");
    const { MediaEntity } = await import("../src/media/media.entity");
    const { configuration } = await import("../src/dynamo");
    const service = new Service({ media: MediaEntity }, configuration());
    const claim = (postId: string) =>
      as("u-alice", () => service.transaction.write(() => Media.markAttached([id], postId)).go());
    expect((await claim("pst_first")).canceled).toBe(false);
    expect((await claim("pst_second")).canceled).toBe(true);
    await expect(as("u-alice", () => Media.verifyForAttach([id]))).rejects.toThrow(
      error("media.in_use", "conflict"),
    );
    // Attached media is visible to others (posts are public); its owner sees what it is attached to.
    expect(await as("u-bob", () => Media.get(id))).toMatchObject({ id, kind: "image" });
    expect(await as("u-alice", () => Media.get(id))).toMatchObject({ attachedTo: "pst_first" });
  });
});

describe("MediaProcessor.process", () => {
  const read = async (Key: string) => {
    const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key }));
    return { body: Buffer.from(await object.Body!.transformToByteArray()), type: object.ContentType };
  };

  it("serves a rotated copy with no EXIF or GPS, a ≤640 px WebP thumbnail, dimensions and a blurhash", async () => {
    const original = await sharp({
      create: { width: 1600, height: 900, channels: 3, background: { r: 30, g: 120, b: 200 } },
    })
      .jpeg()
      .withMetadata({
        orientation: 6,
        exif: {
          IFD0: { Make: "TestCam", Model: "GPS-1" },
          IFD3: {
            GPSLatitudeRef: "N",
            GPSLatitude: "35/1 39/1 2900/100",
            GPSLongitudeRef: "E",
            GPSLongitude: "139/1 44/1 2800/100",
          },
        },
      })
      .toBuffer();
    expect((await sharp(original).metadata()).exif?.toString("latin1")).toContain("GPS-1");
    const id = await upload("u-alice", original, "image/jpeg", { alt: "The sea" });

    expect(await MediaProcessor.process(BUCKET, `uploads/u-alice/${id}`)).toEqual({
      status: "ready",
      mediaId: id,
    });

    const served = await read(`public/${id}/image.jpg`);
    expect(served.type).toBe("image/jpeg");
    const meta = await sharp(served.body).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    expect(served.body.includes(Buffer.from("GPS-1"))).toBe(false);
    expect([meta.width, meta.height]).toEqual([900, 1600]);

    const thumb = await read(`public/${id}/thumb.webp`);
    const thumbMeta = await sharp(thumb.body).metadata();
    expect(thumb.type).toBe("image/webp");
    expect([thumbMeta.format, thumbMeta.width, thumbMeta.height]).toEqual(["webp", 360, 640]);
    expect(thumbMeta.exif).toBeUndefined();

    const info = await as("u-alice", () => Media.get(id));
    expect(info).toMatchObject({
      status: "ready",
      width: 900,
      height: 1600,
      alt: "The sea",
      url: `/media/${id}/image.jpg`,
      thumbnailUrl: `/media/${id}/thumb.webp`,
    });
    expect(decodeBlurhash(info.blurhash!, 4, 4)).toHaveLength(4 * 4 * 4);

    // A re-delivered event changes nothing.
    expect(await MediaProcessor.process(BUCKET, `uploads/u-alice/${id}`)).toMatchObject({
      status: "skipped",
    });
    // The original stays where it was, private: only public/ is routed to /media.
    await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `uploads/u-alice/${id}` }));
  });

  it("keeps a GIF animated", async () => {
    const frame = (color: string) =>
      sharp({ create: { width: 40, height: 30, channels: 4, background: color } })
        .png()
        .toBuffer();
    const gif = await sharp([await frame("#f00"), await frame("#0f0"), await frame("#00f")], {
      join: { animated: true },
    })
      .gif({ delay: 100 })
      .toBuffer();
    const id = await upload("u-alice", gif, "image/gif");
    expect(await MediaProcessor.process(BUCKET, `uploads/u-alice/${id}`)).toMatchObject({ status: "ready" });
    const served = await sharp((await read(`public/${id}/image.gif`)).body, { animated: true }).metadata();
    expect(served.pages).toBe(3);
    expect(await as("u-alice", () => Media.get(id))).toMatchObject({ width: 40, height: 30 });
  });

  it("marks a corrupt image failed instead of crashing, and refuses to attach it", async () => {
    const good = await jpeg(400, 300);
    const corrupt = Buffer.concat([good.subarray(0, 200), Buffer.alloc(good.byteLength - 200, 7)]);
    const id = await upload("u-alice", corrupt, "image/jpeg");
    expect(await MediaProcessor.process(BUCKET, `uploads/u-alice/${id}`)).toMatchObject({ status: "failed" });
    expect(await as("u-alice", () => Media.get(id))).toMatchObject({ status: "failed" });
    await expect(as("u-alice", () => Media.verifyForAttach([id]))).rejects.toThrow(
      error("media.unreadable", "input"),
    );
  });

  it("serves a video without its location or title, with the duration the browser measured", async () => {
    const mp4 = readFileSync(new URL("./fixtures/media/location-keys.mp4", import.meta.url));
    expect(mp4.includes("ISO6709")).toBe(true);
    const id = await upload("u-alice", mp4, "video/mp4", { durationMs: 1000 });
    expect(await MediaProcessor.process(BUCKET, `uploads/u-alice/${id}`)).toMatchObject({ status: "ready" });
    const served = await read(`public/${id}/video.mp4`);
    expect(served.type).toBe("video/mp4");
    // Same size (chunk offsets hold), but the ISO 6709 location, title and recording date are gone.
    expect(served.body.length).toBe(mp4.length);
    for (const secret of ["ISO6709", "+35.6586", "SECRET-TITLE", "2024-05"])
      expect(served.body.includes(secret), secret).toBe(false);
    expect(await as("u-alice", () => Media.get(id))).toMatchObject({
      kind: "video",
      durationMs: 1000,
      url: `/media/${id}/video.mp4`,
      thumbnailUrl: null,
      status: "ready",
    });
  });

  it("signs only the stripped copy of a chat video, even before it is processed", async () => {
    const mp4 = readFileSync(new URL("./fixtures/media/location-keys.mp4", import.meta.url));
    const id = await upload("u-alice", mp4, "video/mp4", { purpose: "chat" });
    const pending = await as("u-alice", () => Media.get(id));
    expect(pending).toMatchObject({ status: "pending" });
    expect(new URL((pending as { url: string }).url).pathname).toMatch(`/private/${id}/video.mp4`);
    await MediaProcessor.process(BUCKET, `uploads/u-alice/${id}`);
    const ready = (await as("u-alice", () => Media.get(id))) as { url: string };
    const served = Buffer.from(await (await fetch(ready.url)).arrayBuffer());
    expect(served.length).toBe(mp4.length);
    expect(served.includes("ISO6709")).toBe(false);
  });

  it("marks audio it cannot walk failed and serves neither it nor a half-stripped copy", async () => {
    const wav = readFileSync(new URL("./fixtures/media/location.wav", import.meta.url));
    const cut = wav.subarray(0, wav.length - 100);
    const id = await upload("u-alice", cut, "audio/wav");
    expect(await MediaProcessor.process(BUCKET, `uploads/u-alice/${id}`)).toEqual({
      status: "failed",
      mediaId: id,
      reason: "media.unreadable",
      detail: "Not a readable WAV file: the RIFF chunk claims 8736 bytes of 8636.",
    });
    await expect(
      s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `public/${id}/audio.wav` })),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
    await expect(as("u-alice", () => Media.verifyForAttach([id]))).rejects.toThrow(
      error("media.unreadable", "input"),
    );
  });

  it("leaves no served copy of media whose post is deleted while it is processing", async () => {
    const id = await upload("u-alice", await jpeg(800, 600), "image/jpeg");
    let released = false;
    // The post is deleted (its media released) just as the processor writes its first served copy.
    const hook = "release-mid-processing";
    s3.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { Key?: string };
        if (
          !released &&
          context.commandName === "PutObjectCommand" &&
          input.Key?.startsWith(`public/${id}/`)
        ) {
          released = true;
          await Media.release([id], BUCKET);
        }
        return next(args);
      },
      { step: "initialize", name: hook },
    );
    try {
      expect(await MediaProcessor.process(BUCKET, `uploads/u-alice/${id}`)).toMatchObject({
        status: "skipped",
        reason: "deleted or timed out while processing",
      });
    } finally {
      s3.middlewareStack.remove(hook);
    }
    expect(released).toBe(true);
    for (const Key of [`public/${id}/image.jpg`, `public/${id}/thumb.webp`, `uploads/u-alice/${id}`])
      await expect(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key })), Key).rejects.toMatchObject({
        $metadata: { httpStatusCode: 404 },
      });
    expect(await as("u-alice", () => Media.get(id))).not.toMatchObject({ status: "ready" });
    // A re-delivered event does not bring it back.
    expect(await MediaProcessor.process(BUCKET, `uploads/u-alice/${id}`)).toMatchObject({
      status: "skipped",
    });
  });

  it("marks media failed, not pending, when processing runs out of time, and a late finish serves nothing", async () => {
    const id = await upload("u-alice", await jpeg(), "image/jpeg");
    const key = `uploads/u-alice/${id}`;
    // The original's download stalls past the deadline, as a huge file on a slow day would.
    let stalled: Promise<void> | undefined;
    const hook = "stall-download";
    s3.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === "GetObjectCommand" && (args.input as { Key?: string }).Key === key) {
          stalled = new Promise((resolve) => setTimeout(resolve, 1_500));
          await stalled;
        }
        return next(args);
      },
      { step: "initialize", name: hook },
    );
    try {
      expect(await MediaProcessor.processWithin(BUCKET, key, 200)).toEqual({
        status: "failed",
        mediaId: id,
        reason: "media.timeout",
        detail: "not processed within 200 ms",
      });
      expect(await as("u-alice", () => Media.get(id))).toMatchObject({ status: "failed" });
      await stalled;
    } finally {
      s3.middlewareStack.remove(hook);
    }
    // The abandoned work gives up at its next step: still failed, nothing served, and it cannot be attached.
    await new Promise((resolve) => setImmediate(resolve));
    expect(await as("u-alice", () => Media.get(id))).toMatchObject({ status: "failed" });
    await expect(
      s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `public/${id}/image.jpg` })),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
    await expect(as("u-alice", () => Media.verifyForAttach([id]))).rejects.toThrow(
      error("media.unreadable", "input"),
    );
  });

  it("processes within the deadline as before when there is time", async () => {
    const id = await upload("u-alice", await jpeg(), "image/jpeg");
    expect(await MediaProcessor.processWithin(BUCKET, `uploads/u-alice/${id}`, 20_000)).toEqual({
      status: "ready",
      mediaId: id,
    });
  });

  it("ignores keys outside uploads/ and objects that no upload owns", async () => {
    await s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: "uploads/u-x/med_01J0000000000000000000000Z", Body: "x" }),
    );
    expect(await MediaProcessor.process(BUCKET, "uploads/u-x/med_01J0000000000000000000000Z")).toMatchObject({
      status: "skipped",
    });
    expect(await MediaProcessor.process(BUCKET, "public/x/image.jpg")).toMatchObject({ status: "skipped" });
  });
});
