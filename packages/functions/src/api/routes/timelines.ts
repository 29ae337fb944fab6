import { Post } from "@asyncsns/core/post";
import { createRoute, z } from "@hono/zod-openapi";
import { PageQuery } from "./posts";
import { bearer, errors, json } from "./schemas";

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

const Handle = z.object({ handle: z.string().min(1).max(64) });

export const homeTimeline = timeline(
  "/api/timelines/home",
  "The caller's home: themselves and whom they follow",
);
export const publicTimeline = timeline("/api/timelines/public", "Every top-level post");
export const userPosts = createRoute({
  method: "get",
  path: "/api/users/{handle}/posts",
  tags: ["timelines"],
  summary: "A user's posts and reposts",
  security: bearer,
  request: { params: Handle, query: PageQuery },
  responses: pageResponses,
});
export const tagPosts = createRoute({
  method: "get",
  path: "/api/tags/{tag}/posts",
  tags: ["timelines"],
  summary: "Posts with a hashtag (normalised: #東京, #ＴＯＫＹＯ and #tokyo match as people expect)",
  security: bearer,
  request: { params: z.object({ tag: z.string().min(1).max(140) }), query: PageQuery },
  responses: pageResponses,
});
