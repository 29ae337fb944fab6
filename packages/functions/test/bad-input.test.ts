import { beforeAll, describe, expect, it } from "vitest";
import { type Lambdas, loadLambdas } from "../src/api/registry";

let post: Lambdas["Post"];
let query: Lambdas["Query"];
beforeAll(async () => {
  ({ Post: post, Query: query } = await loadLambdas());
});

// Input that no route can take is refused with the error shape before any store is touched, never a 500.
describe("requests no route can take", () => {
  it.each(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"])(
    "a JSON route answers 415 to a %s body",
    async (type) => {
      const res = await post.request("/api/posts", {
        method: "POST",
        headers: { "content-type": type },
        body: "text=hi",
      });
      expect(res.status).toBe(415);
      expect((await res.json()).error.code).toBe("request.unsupported_media_type");
    },
  );

  it("a search cursor that is not ours is a 400 with the cursor's message", async () => {
    const forged = Buffer.from(JSON.stringify({ v: 1, k: { s: "{not json" } })).toString("base64url");
    const res = await query.request(`/api/search/posts?q=rain&cursor=${forged}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: {
        code: "search.invalid_query",
        message: "The cursor is not valid; start again from the first page.",
      },
    });
  });

  it.each(["/api/search/tags?q=a&limit=0", "/api/search/tags?q=a&limit=-3", "/api/search/users?q=a&limit=0"])(
    "%s is a 400",
    async (path) => {
      const res = await query.request(path);
      expect(res.status).toBe(400);
      expect((await res.json()).error.code).toBe("request.invalid");
    },
  );
});
