import { Post } from "@asyncsns/core/post";
import { createRoute, z } from "@hono/zod-openapi";
import { bearer, ErrorSchema, errors, json } from "./schemas";

const forbidden = json(ErrorSchema, "Not the caller's post");
const noContent = (description: string) => ({ description });
const Params = z.object({ id: z.string().min(1).max(64) });
export const PageQuery = z.object({
  cursor: z.string().max(2048).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

export const createPost = createRoute({
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
  },
});

export const editPost = createRoute({
  method: "patch",
  path: "/api/posts/{id}",
  tags: ["posts"],
  summary: "Edit one's own post's text; it is marked edited",
  security: bearer,
  request: {
    params: Params,
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
});

export const deletePost = createRoute({
  method: "delete",
  path: "/api/posts/{id}",
  tags: ["posts"],
  summary: "Delete one's own post: it leaves every timeline; its replies stay under a placeholder",
  security: bearer,
  request: { params: Params },
  responses: { 204: noContent("Deleted"), 401: errors[401], 403: forbidden, 404: errors[404] },
});

const toggle = (method: "post" | "delete", what: "like" | "repost", summary: string) =>
  createRoute({
    method,
    path: `/api/posts/{id}/${what}`,
    tags: ["posts"],
    summary,
    security: bearer,
    request: { params: Params },
    responses: { 204: noContent("Done (idempotent)"), 401: errors[401], 404: errors[404], 409: errors[409] },
  });

export const likePost = toggle("post", "like", "Like a post (idempotent)");
export const unlikePost = toggle("delete", "like", "Take a like back (idempotent)");
export const repostPost = toggle("post", "repost", "Repost a post onto one's profile (idempotent)");
export const unrepostPost = toggle("delete", "repost", "Take a repost back (idempotent)");

export const getPost = createRoute({
  method: "get",
  path: "/api/posts/{id}",
  tags: ["posts"],
  summary: "A post with its thread: ancestors (deleted ones as placeholders) and the first replies",
  security: bearer,
  request: { params: Params },
  responses: { 200: json(Post.Thread, "The post and its thread"), 401: errors[401], 404: errors[404] },
});

export const getReplies = createRoute({
  method: "get",
  path: "/api/posts/{id}/replies",
  tags: ["posts"],
  summary: "More direct replies to a post, oldest first",
  security: bearer,
  request: { params: Params, query: PageQuery },
  responses: { 200: json(Post.Page, "A page of replies"), 400: errors[400], 401: errors[401] },
});
