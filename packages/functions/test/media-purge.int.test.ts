// Deleted media leaves the CDN too: deleting a post removes its served copies, each removal reaches the purge
// function (S3 ObjectRemoved under public/), and CloudFront (the local stand-in) is asked, once per media, to
// forget its /media folder with one wildcard path. Read back with @aws-sdk/client-cloudfront, as one would against AWS.
import {
  CloudFrontClient,
  GetInvalidationCommand,
  paginateListInvalidations,
} from "@aws-sdk/client-cloudfront";
import sharp from "sharp";
import { describe, expect, inject, it, vi } from "vitest";
import { upload } from "../../../tests/support/media";
import { createTestUser, type TestUser, uniqueHandle } from "../../../tests/support/test-user";

const cloud = inject("localCloud");

const cloudfront = new CloudFrontClient({
  endpoint: cloud.cloudfront?.endpoint,
  region: cloud.cognito.region,
  credentials: { accessKeyId: "local", secretAccessKey: "local" },
});

const send = (user: TestUser, method: string, path: string, body?: unknown) =>
  user.api(path, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

/** Every path the Router's distribution was asked to invalidate, one entry per path per invalidation. */
async function invalidatedPaths(): Promise<string[]> {
  const DistributionId = cloud.cloudfront?.distributionId;
  const paths: string[] = [];
  for await (const page of paginateListInvalidations({ client: cloudfront }, { DistributionId })) {
    for (const summary of page.InvalidationList?.Items ?? []) {
      const { Invalidation } = await cloudfront.send(
        new GetInvalidationCommand({ DistributionId, Id: summary.Id }),
      );
      paths.push(...(Invalidation?.InvalidationBatch?.Paths?.Items ?? []));
    }
  }
  return paths;
}

describe("CDN purge on delete", () => {
  it("invalidates a deleted post's media with one wildcard invalidation, and nothing for its original", async () => {
    const user = await createTestUser();
    expect(
      (await send(user, "POST", "/me", { handle: uniqueHandle("cdn"), displayName: "cdn" })).status,
    ).toBe(201);
    const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: "#c33" } })
      .jpeg()
      .toBuffer();
    const mediaId = await upload(user, photo, "image/jpeg");
    await vi.waitFor(
      async () => expect((await (await send(user, "GET", `/media/${mediaId}`)).json()).status).toBe("ready"),
      { timeout: 20_000, interval: 200 },
    );
    const created = await send(user, "POST", "/posts", { text: "soon gone", mediaIds: [mediaId] });
    expect(created.status, await created.clone().text()).toBe(201);
    const post = await created.json();
    const { url, thumbnailUrl } = post.media[0];
    expect((await fetch(new URL(url, cloud.webUrl))).status).toBe(200);
    // Nothing was purged while the media was live.
    expect((await invalidatedPaths()).filter((p) => p.includes(mediaId))).toEqual([]);

    expect((await send(user, "DELETE", `/posts/${post.id}`)).status).toBe(204);
    // Two served files (image and thumbnail) were removed: still one invalidation, of their folder.
    expect([url, thumbnailUrl]).toEqual([`/media/${mediaId}/image.jpg`, `/media/${mediaId}/thumb.webp`]);
    await vi.waitFor(
      async () =>
        expect((await invalidatedPaths()).filter((p) => p.includes(mediaId))).toEqual([
          `/media/${mediaId}/*`,
        ]),
      { timeout: 20_000, interval: 200 },
    );
    // Both removals have reached the purge by now (the original, uploads/<user>/<id>, never had a URL).
    await new Promise((r) => setTimeout(r, 1000));
    expect((await invalidatedPaths()).filter((p) => p.includes(mediaId))).toEqual([`/media/${mediaId}/*`]);
  });
});
