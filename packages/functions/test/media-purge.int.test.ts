// Deleted media leaves the CDN too: deleting a post removes its served copies, each removal reaches the purge
// function (S3 ObjectRemoved under public/), and CloudFront (the local stand-in) is asked to forget exactly
// those /media paths. Read back with @aws-sdk/client-cloudfront, as one would against AWS.
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
  it("invalidates exactly a deleted post's /media paths, and nothing for its original", async () => {
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
    await vi.waitFor(
      async () =>
        expect((await invalidatedPaths()).filter((p) => p.includes(mediaId)).sort()).toEqual(
          [url, thumbnailUrl].sort(),
        ),
      { timeout: 20_000, interval: 200 },
    );
    // The original (uploads/<user>/<id>) was deleted in the same request but never had a URL: not purged.
    expect([url, thumbnailUrl]).toEqual([`/media/${mediaId}/image.jpg`, `/media/${mediaId}/thumb.webp`]);
    expect((await invalidatedPaths()).filter((p) => p.includes(mediaId)).sort()).toEqual(
      [url, thumbnailUrl].sort(),
    );
  });
});
