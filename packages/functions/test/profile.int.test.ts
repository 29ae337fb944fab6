import { describe, expect, inject, it } from "vitest";
import { createTestUser, uniqueHandle } from "../../../tests/support/test-user";

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
    expect(Object.keys(doc.paths["/api/me"]).sort()).toEqual(["get", "patch", "post"]);
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
