// After-upload edits through the real gateway: alt text (owner only, before or after attach), a video's poster
// from an uploaded image, files of a deleted post no longer served, and followedByMe in follower lists.
import { readFileSync } from "node:fs";
import { describe, expect, inject, it, vi } from "vitest";
import { PNG, upload as uploadAs } from "../../../tests/support/media";
import { createTestMember, type TestUser } from "../../../tests/support/test-user";

const web = () => inject("localCloud").webUrl;
// A real (tiny) MP4: the processor walks its boxes to strip metadata, so made-up bytes would fail.
const MP4 = readFileSync(new URL("../../core/test/fixtures/media/location.mp4", import.meta.url));

const member = createTestMember;

const upload = (user: TestUser, file: Buffer, contentType: string, alt?: string) =>
  uploadAs(user, file, contentType, { alt });

const send = (user: TestUser, method: string, path: string, body?: unknown) =>
  user.api(path, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

/** Polls until the check passes: stream subscribers and bucket notifications are asynchronous. */
const eventually = (check: () => Promise<void>, timeout = 20_000) =>
  vi.waitFor(check, { timeout, interval: 200 });

describe("editing uploads", () => {
  it("lets only the owner change alt text, before and after the file is attached", async () => {
    const [a, b] = await Promise.all([member("alt"), member("altx")]);
    const mediaId = await upload(a, PNG, "image/png", "first try");
    const before = await send(a, "PATCH", `/media/${mediaId}`, { alt: "A single green dot" });
    expect(before.status, await before.clone().text()).toBe(200);
    expect(await before.json()).toMatchObject({ id: mediaId, alt: "A single green dot", attachedTo: null });
    // Not attached yet: to anyone else it does not exist.
    expect((await send(b, "PATCH", `/media/${mediaId}`, { alt: "mine now" })).status).toBe(404);

    const created = await send(a, "POST", "/posts", { text: "a dot", mediaIds: [mediaId] });
    expect(created.status).toBe(201);
    const { id: postId } = await created.json();
    expect((await send(a, "PATCH", `/media/${mediaId}`, { alt: "A dot, described better" })).status).toBe(
      200,
    );
    const forbidden = await send(b, "PATCH", `/media/${mediaId}`, { alt: "vandalised" });
    expect(forbidden.status).toBe(403);
    expect((await forbidden.json()).error.code).toBe("media.forbidden");
    const seen = await (await b.api(`/posts/${postId}`)).json();
    expect(seen.post.media[0].alt).toBe("A dot, described better");

    const tooLong = await send(a, "PATCH", `/media/${mediaId}`, { alt: "あ".repeat(1501) });
    expect(tooLong.status).toBe(400);
    expect((await tooLong.json()).error.code).toBe("media.invalid_alt");
  });

  it("links an uploaded image as a video's poster, and refuses a poster that is not the caller's image", async () => {
    const [a, b] = await Promise.all([member("vid"), member("vidx")]);
    const [video, poster, othersImage, secondVideo] = await Promise.all([
      upload(a, MP4, "video/mp4"),
      upload(a, PNG, "image/png"),
      upload(b, PNG, "image/png"),
      upload(a, MP4, "video/mp4"),
    ]);
    const notImage = await send(a, "PATCH", `/media/${video}`, { posterMediaId: secondVideo });
    expect(notImage.status).toBe(400);
    expect((await notImage.json()).error.code).toBe("media.poster_not_image");
    expect((await send(a, "PATCH", `/media/${poster}`, { posterMediaId: video })).status).toBe(400);
    expect((await send(a, "PATCH", `/media/${video}`, { posterMediaId: othersImage })).status).toBe(403);

    const linked = await send(a, "PATCH", `/media/${video}`, { posterMediaId: poster, alt: "A short clip" });
    expect(linked.status, await linked.clone().text()).toBe(200);
    expect(await linked.json()).toMatchObject({
      posterUrl: `/media/${poster}/image.png`,
      alt: "A short clip",
    });
    // The poster now belongs to the video: it cannot be attached to a post or to another video.
    expect((await send(a, "PATCH", `/media/${secondVideo}`, { posterMediaId: poster })).status).toBe(409);
    expect((await send(a, "POST", "/posts", { text: "x", mediaIds: [poster] })).status).toBe(409);

    const created = await send(a, "POST", "/posts", { text: "a clip", mediaIds: [video] });
    expect(created.status).toBe(201);
    const shown = (await created.json()).media[0];
    expect(shown).toMatchObject({ kind: "video", posterUrl: `/media/${poster}/image.png` });
    await eventually(async () => {
      expect((await fetch(new URL(shown.posterUrl, web()))).status).toBe(200);
    });
  });
});

describe("deleting a post", () => {
  it("stops serving its files, the video's poster included", async () => {
    const [a, b] = await Promise.all([member("del"), member("delx")]);
    const [image, video, poster] = await Promise.all([
      upload(a, PNG, "image/png"),
      upload(a, MP4, "video/mp4"),
      upload(a, PNG, "image/png"),
    ]);
    expect((await send(a, "PATCH", `/media/${video}`, { posterMediaId: poster })).status).toBe(200);
    const created = await send(a, "POST", "/posts", { text: "soon gone", mediaIds: [image, video] });
    expect(created.status).toBe(201);
    const { id: postId, media } = await created.json();
    const urls: string[] = [
      ...media.map((m: { url: string }) => m.url),
      media[0].thumbnailUrl,
      media[1].posterUrl,
    ];
    await eventually(async () => {
      for (const url of urls) expect((await fetch(new URL(url, web()))).status, url).toBe(200);
    });

    expect((await send(a, "DELETE", `/posts/${postId}`)).status).toBe(204);
    // A missing key answers 403 through CloudFront + OAC (no ListBucket), as it does locally: either way, gone.
    for (const url of urls) expect([403, 404], url).toContain((await fetch(new URL(url, web()))).status);
    expect((await b.api(`/media/${image}`)).status).toBe(404);
    // Released files cannot come back in another post.
    expect((await send(a, "POST", "/posts", { text: "again", mediaIds: [image] })).status).toBe(409);
  });
});

describe("follower lists", () => {
  it("say whether the caller follows each person listed", async () => {
    const [a, b, c, d] = await Promise.all([member("la"), member("lb"), member("lc"), member("ld")]);
    for (const [who, whom] of [
      [b, a],
      [c, a],
      [d, a],
      [a, b],
      [d, c],
    ] as const)
      expect((await send(who, "POST", `/users/${whom.handle}/follow`)).status).toBe(204);
    const res = await d.api(`/users/${a.handle}/followers`);
    expect(res.status).toBe(200);
    const items: { handle: string; followedByMe: boolean }[] = (await res.json()).items;
    const byHandle = Object.fromEntries(items.map((p) => [p.handle, p.followedByMe]));
    expect(byHandle).toEqual({ [b.handle]: false, [c.handle]: true, [d.handle]: false });
    const following = await (await d.api(`/users/${d.handle}/following`)).json();
    expect(following.items.every((p: { followedByMe: boolean }) => p.followedByMe)).toBe(true);
  });
});
