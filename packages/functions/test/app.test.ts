import { withActor } from "@asyncsns/core/actor";
import { VisibleError } from "@asyncsns/core/error";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createApp } from "../src/api/app";

// The error contract every route shares: VisibleError kinds → status codes, zod → 400, anything else → 500.
describe("the API error mapping", () => {
  const app = createApp()
    .get("/conflict", () => {
      throw new VisibleError("conflict", "thing.taken", "Taken.");
    })
    .get("/zod", () => {
      z.object({ n: z.number() }).parse({ n: "x" });
      return new Response();
    })
    .get("/boom", () => {
      throw new Error("secret detail");
    })
    .get("/whoami", (c) => withActor({ type: "public", properties: {} }, () => c.text("ok")));

  it("maps a visible error to its status and code", async () => {
    const res = await app.request("/conflict");
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ error: { code: "thing.taken", message: "Taken." } });
  });

  it("maps a zod failure to 400 request.invalid with the field", async () => {
    const res = await app.request("/zod");
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe("request.invalid");
    expect(body.error.details[0].path).toBe("n");
  });

  it("hides an unexpected error behind a 500 internal", async () => {
    const res = await app.request("/boom");
    expect(res.status).toBe(500);
    const body = await res.json();
    expect(body.error.code).toBe("internal");
    expect(JSON.stringify(body)).not.toContain("secret detail");
  });

  it("answers an unknown route with 404 in the same shape", async () => {
    const res = await app.request("/nope");
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe("route.not_found");
  });
});

// Answers are per user: a shared cache (CloudFront) or the browser must never replay one.
describe("caching", () => {
  const app = createApp()
    .get("/ok", (c) => c.json({ ok: true }))
    .get("/conflict", () => {
      throw new VisibleError("conflict", "thing.taken", "Taken.");
    })
    .get("/boom", () => {
      throw new Error("boom");
    });

  it("answers every response, errors included, with Cache-Control: no-store", async () => {
    for (const path of ["/ok", "/conflict", "/boom", "/nope"]) {
      const res = await app.request(path);
      expect(res.headers.get("cache-control"), path).toBe("no-store");
    }
  });
});
