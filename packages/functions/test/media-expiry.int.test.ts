// Abandoned uploads clean themselves: a media item carries a DynamoDB TTL while unattached, and attaching it
// to a post clears the TTL so the post's media never expires. Read straight from DynamoDB Local.
import { beforeAll, describe, expect, it } from "vitest";
import { useLocalTable } from "../../../tests/support/in-process-core";
import { PNG, upload } from "../../../tests/support/media";
import { createTestUser, uniqueHandle } from "../../../tests/support/test-user";

let MediaEntity: typeof import("@asyncsns/core/media").Media.MediaEntity;
let TTL_SECONDS: number;

beforeAll(async () => {
  useLocalTable();
  process.env.SST_RESOURCE_Media ??= JSON.stringify({ name: "unused", type: "sst.aws.Bucket" });
  const { Media } = await import("@asyncsns/core/media");
  MediaEntity = Media.MediaEntity;
  TTL_SECONDS = Media.UNATTACHED_TTL_SECONDS;
});

const stored = async (mediaId: string) => (await MediaEntity.get({ mediaId }).go({ consistent: true })).data;

describe("unattached uploads", () => {
  it("expire by TTL until a post attaches them, which keeps them", async () => {
    const user = await createTestUser();
    const me = await user.api("/me", {
      method: "POST",
      body: JSON.stringify({ handle: uniqueHandle("ttl"), displayName: "ttl" }),
    });
    expect(me.status).toBe(201);
    const before = Math.floor(Date.now() / 1000);
    const mediaId = await upload(user, PNG, "image/png");
    const pending = await stored(mediaId);
    expect(pending?.attachedTo).toBeUndefined();
    expect(pending?.expireAt).toBeGreaterThanOrEqual(before + TTL_SECONDS);
    expect(pending?.expireAt).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + TTL_SECONDS);

    const post = await user.api("/posts", {
      method: "POST",
      body: JSON.stringify({ text: "kept", mediaIds: [mediaId] }),
    });
    expect(post.status, await post.clone().text()).toBe(201);
    const attached = await stored(mediaId);
    expect(attached?.attachedTo).toBe((await post.json()).id);
    expect(attached?.expireAt).toBeUndefined();
  });
});
