import { Media } from "@asyncsns/core/media";
import { createRoute, z } from "@hono/zod-openapi";
import { createSubApp } from "../app";
import { bearer, ErrorSchema, errors, IdParam, json, rateLimited } from "./schemas";

/** Post Lambda. */
export const commands = createSubApp()
  .openapi(
    createRoute({
      method: "post",
      path: "/api/media/uploads",
      tags: ["media"],
      summary: "Start an upload: a presigned POST pinned to one key, its Content-Type and its exact size",
      description:
        "Send every returned field, then the file last, as multipart/form-data to `upload.url`. `purpose` (post, avatar or chat; default post) decides where it can be attached: a chat file is never public and only goes on a message, a post's file never on one (media.wrong_purpose, 400). Errors: media.unsupported_type (400), media.too_large (413).",
      security: bearer,
      request: {
        body: { content: { "application/json": { schema: Media.createUpload.schema } }, required: true },
      },
      responses: {
        201: json(Media.Upload, "The media id and the form to post the file with"),
        400: errors[400],
        401: errors[401],
        413: json(ErrorSchema, "The file is larger than its kind allows"),
        429: rateLimited,
      },
    }),
    async (c) => c.json(await Media.createUpload(c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/api/media/{id}",
      tags: ["media"],
      summary: "The owner edits an upload, before or after it is attached: alt text, a video's poster image",
      description:
        "`posterMediaId` names an uploaded image of the caller's; it is verified like an attachment and becomes the video's `posterUrl`. Errors: media.not_found (404), media.forbidden (403), media.poster_not_video, media.poster_not_image (400), media.in_use (409).",
      security: bearer,
      request: {
        params: IdParam,
        body: { content: { "application/json": { schema: Media.Update } }, required: true },
      },
      responses: {
        200: json(Media.OwnerInfo, "The media as its owner sees it"),
        400: errors[400],
        401: errors[401],
        403: json(ErrorSchema, "Not the caller's upload"),
        404: errors[404],
        409: errors[409],
      },
    }),
    async (c) =>
      c.json(await Media.update({ ...c.req.valid("json"), mediaId: c.req.valid("param").id }), 200),
  );

/** Query Lambda. */
export const queries = createSubApp().openapi(
  createRoute({
    method: "get",
    path: "/api/media/{id}",
    tags: ["media"],
    summary: "One upload: its owner sees it (and its processing status) at once, others once it is attached",
    security: bearer,
    request: { params: IdParam },
    responses: {
      200: json(z.union([Media.OwnerInfo, Media.Info]), "The media"),
      401: errors[401],
      404: errors[404],
    },
  }),
  async (c) => c.json(await Media.get(c.req.valid("param").id), 200),
);
