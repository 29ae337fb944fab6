import { Post } from "@asyncsns/core/post";
import { Timeline } from "@asyncsns/core/timeline";
import { createRoute, z } from "@hono/zod-openapi";
import { createSubApp } from "../app";
import { bearer, errors, HandleParam, json, PageQuery } from "./schemas";

const pageResponses = {
  200: json(Post.Page, "A page, newest first; pass `cursor` back for the next"),
  400: errors[400],
  401: errors[401],
  404: errors[404],
};

const timeline = (path: string, summary: string) =>
  createRoute({
    method: "get",
    path,
    tags: ["timelines"],
    summary,
    security: bearer,
    request: { query: PageQuery },
    responses: pageResponses,
  });

/** Query Lambda. */
export const queries = createSubApp()
  .openapi(timeline("/api/timelines/home", "The caller's home: themselves and whom they follow"), async (c) =>
    c.json(await Timeline.home(c.req.valid("query")), 200),
  )
  .openapi(timeline("/api/timelines/public", "Every top-level post"), async (c) =>
    c.json(await Timeline.everyone(c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/api/users/{handle}/posts",
      tags: ["timelines"],
      summary: "A user's posts and reposts",
      security: bearer,
      request: { params: HandleParam, query: PageQuery },
      responses: pageResponses,
    }),
    async (c) => c.json(await Timeline.profile(c.req.valid("param").handle, c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/api/tags/{tag}/posts",
      tags: ["timelines"],
      summary: "Posts with a hashtag (normalised: #東京, #ＴＯＫＹＯ and #tokyo match as people expect)",
      security: bearer,
      request: { params: z.object({ tag: z.string().min(1).max(140) }), query: PageQuery },
      responses: pageResponses,
    }),
    async (c) => c.json(await Timeline.tagged(c.req.valid("param").tag, c.req.valid("query")), 200),
  );
