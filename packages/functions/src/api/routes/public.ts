import { Post } from "@asyncsns/core/post";
import { Public } from "@asyncsns/core/public";
import { User } from "@asyncsns/core/user";
import { createRoute } from "@hono/zod-openapi";
import { createSubApp } from "../app";
import { errors, HandleParam, IdParam, json, PageQuery } from "./schemas";

// No `security`: a shared link works signed out. Answers are the same for everyone, so CloudFront may keep them.
const cached = {
  "Cache-Control": { description: Public.CACHE_CONTROL, schema: { type: "string" as const } },
};
const hidden = json(
  errors[404].content["application/json"].schema,
  "No such thing, or shown to signed-in people only (public.sign_in)",
);

/** Query Lambda. */
export const queries = createSubApp()
  .openapi(
    createRoute({
      method: "get",
      path: "/api/public/users/{handle}",
      tags: ["public"],
      summary: "A profile for signed-out visitors (public)",
      request: { params: HandleParam },
      responses: { 200: { ...json(User.Info, "The profile"), headers: cached }, 404: hidden },
    }),
    async (c) => {
      const profile = await Public.profile(c.req.valid("param").handle);
      c.header("cache-control", Public.CACHE_CONTROL);
      return c.json(profile, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/api/public/users/{handle}/posts",
      tags: ["public"],
      summary: "A user's posts and reposts for signed-out visitors (public)",
      request: { params: HandleParam, query: PageQuery },
      responses: {
        200: { ...json(Post.Page, "A page, newest first"), headers: cached },
        400: errors[400],
        404: hidden,
      },
    }),
    async (c) => {
      const page = await Public.posts(c.req.valid("param").handle, c.req.valid("query"));
      c.header("cache-control", Public.CACHE_CONTROL);
      return c.json(page, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/api/public/posts/{id}",
      tags: ["public"],
      summary: "A post with its thread for signed-out visitors (public)",
      request: { params: IdParam },
      responses: { 200: { ...json(Post.Thread, "The post and its thread"), headers: cached }, 404: hidden },
    }),
    async (c) => {
      const thread = await Public.thread(c.req.valid("param").id);
      c.header("cache-control", Public.CACHE_CONTROL);
      return c.json(thread, 200);
    },
  );
