import sharp from "sharp";
import { describe, expect, inject, it, vi } from "vitest";
import { PNG, upload } from "../../../tests/support/media";
import {
  createTestMember,
  createTestUser,
  type TestUser,
  uniqueHandle,
} from "../../../tests/support/test-user";

const api = () => inject("localCloud").apiUrl;

describe("profile API on the local cloud", () => {
  it("refuses a request without a token, or with a forged one, with the error shape", async () => {
    const missing = await fetch(`${api()}/me`);
    expect(missing.status).toBe(401);
    expect((await missing.json()).error.code).toBeTypeOf("string");

    const header = Buffer.from(JSON.stringify({ alg: "RS256", kid: "x" })).toString("base64url");
    const body = Buffer.from(JSON.stringify({ sub: "evil", exp: 9999999999 })).toString("base64url");
    const forged = await fetch(`${api()}/me`, {
      headers: { authorization: `Bearer ${header}.${body}.c2ln` },
    });
    expect(forged.status).toBe(401);
  });

  it("serves health and the OpenAPI document without a token", async () => {
    expect(await (await fetch(`${api()}/health`)).json()).toEqual({ ok: true });
    const doc = await (await fetch(`${api()}/openapi.json`)).json();
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/api/me", "/api/users/{handle}", "/api/health", "/api/openapi.json"]),
    );
    expect(Object.keys(doc.paths["/api/me"]).sort()).toEqual(["delete", "get", "patch", "post"]);
  });

  it("goes from no profile to a created, readable and editable profile", async () => {
    const user = await createTestUser();
    const before = await user.api("/me");
    expect(before.status).toBe(404);
    expect((await before.json()).error.code).toBe("profile.not_found");

    const handle = uniqueHandle("Alice_");
    const created = await user.api("/me", {
      method: "POST",
      body: JSON.stringify({ handle, displayName: "アリス 🌸" }),
    });
    expect(created.status).toBe(201);
    const profile = await created.json();
    expect(profile).toMatchObject({
      id: user.sub,
      handle,
      displayName: "アリス 🌸",
      bio: "",
      avatarUrl: null,
      followers: 0,
      following: 0,
    });

    expect(await (await user.api("/me")).json()).toEqual(profile);

    const patched = await user.api("/me", {
      method: "PATCH",
      body: JSON.stringify({ bio: "東京に住んでいます" }),
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ bio: "東京に住んでいます", displayName: "アリス 🌸" });

    const again = await user.api("/me", {
      method: "POST",
      body: JSON.stringify({ handle: uniqueHandle(), displayName: "x" }),
    });
    expect(again.status).toBe(409);
    expect((await again.json()).error.code).toBe("profile.exists");
  });

  it("keeps handles unique regardless of case, with a clear 409", async () => {
    const [a, b] = await Promise.all([createTestUser(), createTestUser()]);
    const handle = uniqueHandle("Taken_");
    expect(
      (await a.api("/me", { method: "POST", body: JSON.stringify({ handle, displayName: "A" }) })).status,
    ).toBe(201);
    const taken = await b.api("/me", {
      method: "POST",
      body: JSON.stringify({ handle: handle.toUpperCase(), displayName: "B" }),
    });
    expect(taken.status).toBe(409);
    const { error } = await taken.json();
    expect(error.code).toBe("profile.handle_taken");
    expect(error.message).toContain(handle.toUpperCase());
    // The loser has no half-made profile and can still pick another handle.
    expect((await b.api("/me")).status).toBe(404);
    expect(
      (
        await b.api("/me", {
          method: "POST",
          body: JSON.stringify({ handle: uniqueHandle(), displayName: "B" }),
        })
      ).status,
    ).toBe(201);
  });

  it("lets exactly one of two concurrent sign-ups take a handle", async () => {
    const users = await Promise.all([createTestUser(), createTestUser(), createTestUser()]);
    const handle = uniqueHandle("race_");
    const answers = await Promise.all(
      users.map((u) =>
        u.api("/me", { method: "POST", body: JSON.stringify({ handle, displayName: "racer" }) }),
      ),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409, 409]);
  });

  it("rejects invalid input with 400 and the rule's own code", async () => {
    const user = await createTestUser();
    const bad = async (body: unknown) => {
      const res = await user.api("/me", { method: "POST", body: JSON.stringify(body) });
      expect(res.status).toBe(400);
      return (await res.json()).error;
    };
    expect((await bad({ handle: "no spaces", displayName: "x" })).code).toBe("profile.invalid_handle");
    expect((await bad({ handle: "ab", displayName: "x" })).code).toBe("profile.invalid_handle");
    expect((await bad({ handle: uniqueHandle(), displayName: "" })).code).toBe(
      "profile.invalid_display_name",
    );
    expect((await bad({ displayName: "x" })).code).toBe("request.invalid");
    const notJson = await user.api("/me", {
      method: "POST",
      body: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(notJson.status).toBe(400);
    expect((await user.api("/me")).status).toBe(404);
  });

  it("shows another user's profile with the follow relation, and 404 for an unknown handle", async () => {
    const [a, b] = await Promise.all([createTestUser(), createTestUser()]);
    const handle = uniqueHandle("bob_");
    await b.api("/me", { method: "POST", body: JSON.stringify({ handle, displayName: "Bob" }) });
    const seen = await a.api(`/users/${handle.toLowerCase()}`);
    expect(seen.status).toBe(200);
    expect(await seen.json()).toMatchObject({
      id: b.sub,
      handle,
      displayName: "Bob",
      followedByMe: false,
      followsMe: false,
    });
    const unknown = await a.api(`/users/${uniqueHandle("nobody_")}`);
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.code).toBe("profile.not_found");
  });
});

const web = () => inject("localCloud").webUrl;
const patchMe = (user: TestUser, body: unknown) =>
  user.api("/me", { method: "PATCH", body: JSON.stringify(body) });
const served = (url: string) => fetch(new URL(url, web()));
/** Polls until the check passes: the processor runs on the bucket notification. */
const eventually = (check: () => Promise<void>) => vi.waitFor(check, { timeout: 20_000, interval: 200 });
const errorOf = async (res: Response) => ({ status: res.status, code: (await res.json()).error?.code });

describe("profile picture", () => {
  it("takes an uploaded image, served as its metadata-free thumbnail on the profile and on posts; replacing or removing it deletes the old one", async () => {
    const [a, b] = await Promise.all([createTestMember("pic", "Pic"), createTestMember("picx", "Other")]);
    const photo = await sharp({ create: { width: 900, height: 600, channels: 3, background: "#c33" } })
      .jpeg()
      .withMetadata({ exif: { IFD0: { Model: "GPS-CAM" } } })
      .toBuffer();
    const first = await upload(a, photo, "image/jpeg", { purpose: "avatar" });

    const set = await patchMe(a, { avatarMediaId: first, bio: "with a face" });
    expect(set.status, await set.clone().text()).toBe(200);
    const profile = await set.json();
    expect(profile).toMatchObject({ avatarUrl: `/media/${first}/thumb.webp`, bio: "with a face" });
    await eventually(async () => expect((await served(profile.avatarUrl)).status).toBe(200));
    const thumb = await served(profile.avatarUrl);
    expect(thumb.headers.get("content-type")).toBe("image/webp");
    const bytes = Buffer.from(await thumb.arrayBuffer());
    expect(bytes.includes(Buffer.from("GPS-CAM"))).toBe(false);
    expect((await sharp(bytes).metadata()).width).toBe(640);
    // Setting the same picture again changes nothing.
    expect((await patchMe(a, { avatarMediaId: first })).status).toBe(200);

    // Everyone sees it: on the profile, and as the author of a post.
    expect(await (await b.api(`/users/${a.handle}`)).json()).toMatchObject({ avatarUrl: profile.avatarUrl });
    const posted = await a.api("/posts", { method: "POST", body: JSON.stringify({ text: "hello" }) });
    expect((await posted.json()).author).toMatchObject({ avatarUrl: profile.avatarUrl });

    // Replacing it: the new one is served, the old one's files are gone and it cannot be reused.
    const second = await upload(a, PNG, "image/png", { purpose: "avatar" });
    const replaced = await (await patchMe(a, { avatarMediaId: second })).json();
    expect(replaced.avatarUrl).toBe(`/media/${second}/thumb.webp`);
    expect([403, 404]).toContain((await served(profile.avatarUrl)).status);
    expect(await errorOf(await patchMe(a, { avatarMediaId: first }))).toEqual({
      status: 409,
      code: "media.in_use",
    });

    // Removing it.
    await eventually(async () => expect((await served(replaced.avatarUrl)).status).toBe(200));
    const removed = await (await patchMe(a, { avatarMediaId: null })).json();
    expect(removed.avatarUrl).toBeNull();
    expect([403, 404]).toContain((await served(replaced.avatarUrl)).status);
    expect((await (await a.api("/me")).json()).avatarUrl).toBeNull();
  });

  it("refuses what cannot be a profile picture with a clear error, and leaves the profile as it was", async () => {
    const [a, b] = await Promise.all([createTestMember("picbad", "A"), createTestMember("picbadx", "B")]);
    const others = await upload(b, PNG, "image/png", { purpose: "avatar" });
    expect(await errorOf(await patchMe(a, { avatarMediaId: others }))).toEqual({
      status: 403,
      code: "media.forbidden",
    });
    const forPost = await upload(a, PNG, "image/png");
    expect(await errorOf(await patchMe(a, { avatarMediaId: forPost }))).toEqual({
      status: 400,
      code: "media.wrong_purpose",
    });
    // Not an image: refused before anything is uploaded.
    const audio = await a.api("/media/uploads", {
      method: "POST",
      body: JSON.stringify({ contentType: "audio/mpeg", size: 1000, purpose: "avatar" }),
    });
    expect(await errorOf(audio)).toEqual({ status: 400, code: "media.avatar_not_image" });
    // Announced but never uploaded; uploaded but not the declared type.
    const announced = await a.api("/media/uploads", {
      method: "POST",
      body: JSON.stringify({ contentType: "image/png", size: PNG.length, purpose: "avatar" }),
    });
    const { mediaId: missing } = await announced.json();
    expect(await errorOf(await patchMe(a, { avatarMediaId: missing }))).toEqual({
      status: 400,
      code: "media.missing_object",
    });
    const fake = await upload(a, Buffer.from("not a png, just text"), "image/png", { purpose: "avatar" });
    expect(await errorOf(await patchMe(a, { avatarMediaId: fake }))).toEqual({
      status: 400,
      code: "media.type_mismatch",
    });
    expect((await patchMe(a, { avatarMediaId: "med_nope" })).status).toBe(400);
    // An avatar upload is not a post's attachment either.
    const avatar = await upload(a, PNG, "image/png", { purpose: "avatar" });
    const post = await a.api("/posts", {
      method: "POST",
      body: JSON.stringify({ text: "x", mediaIds: [avatar] }),
    });
    expect(await errorOf(post)).toEqual({ status: 400, code: "media.wrong_purpose" });

    expect(await (await a.api("/me")).json()).toMatchObject({ avatarUrl: null, displayName: "A" });
  });
});
