import { Post } from "@asyncsns/core/post";
import { Timeline } from "@asyncsns/core/timeline";
import { createRoute } from "@hono/zod-openapi";
import { count } from "../../metrics";
import { createSubApp } from "../app";
import { bearer, ErrorSchema, errors, IdParam, json, PageQuery, rateLimited } from "./schemas";

const forbidden = json(ErrorSchema, "Not the caller's post");
const noContent = (description: string) => ({ description });

const toggle = (method: "post" | "delete", what: "like" | "repost", summary: string) =>
  createRoute({
    method,
    path: `/api/posts/{id}/${what}`,
    tags: ["posts"],
    summary,
    security: bearer,
    request: { params: IdParam },
    responses: { 204: noContent("Done (idempotent)"), 401: errors[401], 404: errors[404], 409: errors[409] },
  });

/** Post Lambda. */
export const commands = createSubApp()
  .openapi(
    createRoute({
      method: "post",
      path: "/api/posts",
      tags: ["posts"],
      summary: "Post text (≤ 1,000 characters) with up to 4 verified attachments, optionally as a reply",
      description:
        "Errors: post.too_long, post.empty, media.* (400/403/409/413), post.not_found when the replied-to post is gone.",
      security: bearer,
      request: { body: { content: { "application/json": { schema: Post.create.schema } }, required: true } },
      responses: {
        201: json(Post.Info, "The new post"),
        400: errors[400],
        401: errors[401],
        403: forbidden,
        404: errors[404],
        409: errors[409],
        413: json(ErrorSchema, "An attachment is larger than its kind allows"),
        429: rateLimited,
      },
    }),
    async (c) => {
      const post = await Post.create(c.req.valid("json"));
      count("PostCreated");
      return c.json(post, 201);
    },
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/api/posts/{id}",
      tags: ["posts"],
      summary: "Edit one's own post's text; it is marked edited",
      security: bearer,
      request: {
        params: IdParam,
        body: {
          content: { "application/json": { schema: Post.edit.schema.omit({ postId: true }) } },
          required: true,
        },
      },
      responses: {
        200: json(Post.Info, "The edited post"),
        400: errors[400],
        401: errors[401],
        403: forbidden,
        404: errors[404],
      },
    }),
    async (c) => c.json(await Post.edit({ ...c.req.valid("json"), postId: c.req.valid("param").id }), 200),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/api/posts/{id}",
      tags: ["posts"],
      summary: "Delete one's own post: it leaves every timeline; its replies stay under a placeholder",
      security: bearer,
      request: { params: IdParam },
      responses: { 204: noContent("Deleted"), 401: errors[401], 403: forbidden, 404: errors[404] },
    }),
    async (c) => {
      await Post.remove({ postId: c.req.valid("param").id });
      return c.body(null, 204);
    },
  )
  .openapi(toggle("post", "like", "Like a post (idempotent)"), async (c) => {
    await Post.like({ postId: c.req.valid("param").id });
    return c.body(null, 204);
  })
  .openapi(toggle("delete", "like", "Take a like back (idempotent)"), async (c) => {
    await Post.unlike({ postId: c.req.valid("param").id });
    return c.body(null, 204);
  })
  .openapi(toggle("post", "repost", "Repost a post onto one's profile (idempotent)"), async (c) => {
    await Post.repost({ postId: c.req.valid("param").id });
    return c.body(null, 204);
  })
  .openapi(toggle("delete", "repost", "Take a repost back (idempotent)"), async (c) => {
    await Post.unrepost({ postId: c.req.valid("param").id });
    return c.body(null, 204);
  });

/** Query Lambda. */
export const queries = createSubApp()
  .openapi(
    createRoute({
      method: "get",
      path: "/api/posts/{id}",
      tags: ["posts"],
      summary: "A post with its thread: ancestors (deleted ones as placeholders) and the first replies",
      security: bearer,
      request: { params: IdParam },
      responses: { 200: json(Post.Thread, "The post and its thread"), 401: errors[401], 404: errors[404] },
    }),
    async (c) => c.json(await Timeline.thread(c.req.valid("param").id), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/api/posts/{id}/replies",
      tags: ["posts"],
      summary: "More direct replies to a post, oldest first",
      security: bearer,
      request: { params: IdParam, query: PageQuery },
      responses: { 200: json(Post.Page, "A page of replies"), 400: errors[400], 401: errors[401] },
    }),
    async (c) => c.json(await Timeline.repliesOf(c.req.valid("param").id, c.req.valid("query")), 200),
  );
