// Uploads through the real gateway: presigned POST to s3rver, the bucket notification runs the processor,
// and /media serves only the processed copies.
import { readFileSync } from "node:fs";
import sharp from "sharp";
import { describe, expect, inject, it } from "vitest";
import { createTestUser, type TestUser } from "../../../tests/support/test-user";

const web = () => inject("localCloud").webUrl;

async function startUpload(user: TestUser, body: object) {
  return user.api("/media/uploads", { method: "POST", body: JSON.stringify(body) });
}

async function postForm(upload: { url: string; fields: Record<string, string> }, file: Buffer, type: string) {
  const form = new FormData();
  for (const [k, v] of Object.entries(upload.fields)) form.append(k, v);
  form.append("file", new Blob([new Uint8Array(file)], { type }), "photo.jpg");
  return fetch(upload.url, { method: "POST", body: form });
}

/** Processing is asynchronous (S3 event → function): poll what the owner sees instead of sleeping. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 150));
  }
}

describe("media uploads on the local cloud", () => {
  it("uploads a geotagged JPEG and serves a stripped, rotated copy and a thumbnail under /media", async () => {
    const user = await createTestUser();
    const photo = await sharp({ create: { width: 1200, height: 800, channels: 3, background: "#3a7" } })
      .jpeg()
      .withMetadata({
        orientation: 6,
        exif: { IFD0: { Model: "GPS-CAM" }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "35/1 39/1 29/1" } },
      })
      .toBuffer();
    const res = await startUpload(user, {
      contentType: "image/jpeg",
      size: photo.byteLength,
      fileName: "beach.jpg",
      alt: "A beach",
    });
    expect(res.status).toBe(201);
    const { mediaId, upload } = await res.json();
    expect(upload.fields.key).toBe(`uploads/${user.sub}/${mediaId}`);
    expect((await postForm(upload, photo, "image/jpeg")).status).toBeLessThan(300);

    const media = await until(
      async () => (await user.api(`/media/${mediaId}`)).json(),
      (m) => m.status !== "pending",
    );
    expect(media).toMatchObject({
      id: mediaId,
      kind: "image",
      status: "ready",
      width: 800,
      height: 1200,
      alt: "A beach",
      fileName: "beach.jpg",
      attachedTo: null,
      url: `/media/${mediaId}/image.jpg`,
      thumbnailUrl: `/media/${mediaId}/thumb.webp`,
    });
    expect(media.blurhash).toMatch(/^[0-9A-Za-z#$%*+,-.:;=?@[\]^_{|}~]{20,}$/);

    const served = await fetch(new URL(media.url, web()));
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/jpeg");
    const bytes = Buffer.from(await served.arrayBuffer());
    expect(bytes.includes(Buffer.from("GPS-CAM"))).toBe(false);
    expect((await sharp(bytes).metadata()).exif).toBeUndefined();

    const thumb = await fetch(new URL(media.thumbnailUrl, web()));
    expect(thumb.headers.get("content-type")).toBe("image/webp");
    expect((await sharp(Buffer.from(await thumb.arrayBuffer())).metadata()).height).toBe(640);

    // /media/x maps to public/x: the original (with its EXIF) has no URL at all.
    const original = await fetch(new URL(`/media/uploads/${user.sub}/${mediaId}`, web()));
    expect(original.status).toBe(403);
  });

  it("uploads a phone video with its location and serves a copy without it", async () => {
    const user = await createTestUser();
    const video = readFileSync(new URL("../../core/test/fixtures/media/location-keys.mp4", import.meta.url));
    expect(video.includes("com.apple.quicktime.location.ISO6709")).toBe(true);
    const res = await startUpload(user, {
      contentType: "video/mp4",
      size: video.byteLength,
      durationMs: 1000,
    });
    expect(res.status).toBe(201);
    const { mediaId, upload } = await res.json();
    expect((await postForm(upload, video, "video/mp4")).status).toBeLessThan(300);

    const media = await until(
      async () => (await user.api(`/media/${mediaId}`)).json(),
      (m) => m.status !== "pending",
    );
    expect(media).toMatchObject({ kind: "video", status: "ready", url: `/media/${mediaId}/video.mp4` });
    const served = await fetch(new URL(media.url, web()));
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("video/mp4");
    const bytes = Buffer.from(await served.arrayBuffer());
    expect(bytes.length).toBe(video.length);
    for (const secret of ["ISO6709", "+35.6586", "SECRET-TITLE"])
      expect(bytes.includes(secret), secret).toBe(false);
  });

  it("refuses an unsupported type with 400 and an oversize file with 413, before any upload", async () => {
    const user = await createTestUser();
    const svg = await startUpload(user, { contentType: "image/svg+xml", size: 100 });
    expect(svg.status).toBe(400);
    expect((await svg.json()).error.code).toBe("media.unsupported_type");
    const big = await startUpload(user, { contentType: "video/mp4", size: 200 * 1024 * 1024 });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({
      error: { code: "media.too_large", message: expect.stringContaining("100 MB") },
    });
    const bad = await startUpload(user, { contentType: "image/png", size: -1 });
    expect(bad.status).toBe(400);
  });

  it("shows a pending upload only to its owner, and asks for a token", async () => {
    const owner = await createTestUser();
    const other = await createTestUser();
    const { mediaId } = await (await startUpload(owner, { contentType: "audio/webm", size: 2048 })).json();
    expect((await (await owner.api(`/media/${mediaId}`)).json()).status).toBe("pending");
    const hidden = await other.api(`/media/${mediaId}`);
    expect(hidden.status).toBe(404);
    expect((await hidden.json()).error.code).toBe("media.not_found");
    const anonymous = await fetch(`${inject("localCloud").apiUrl}/media/uploads`, { method: "POST" });
    expect(anonymous.status).toBe(401);
  });

  it("documents the media routes in the OpenAPI document", async () => {
    const doc = await (await fetch(`${inject("localCloud").apiUrl}/openapi.json`)).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/media/uploads", "/api/media/{id}"]));
  });
});
