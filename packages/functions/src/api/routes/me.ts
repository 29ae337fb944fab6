import { Profile } from "@asyncsns/core/profile";
import { User } from "@asyncsns/core/user";
import { createRoute } from "@hono/zod-openapi";
import { createSubApp } from "../app";
import { bearer, errors, json } from "./schemas";

/** Profile Lambda. */
export const commands = createSubApp()
  .openapi(
    createRoute({
      method: "post",
      path: "/api/me",
      tags: ["profile"],
      summary: "Create the caller's profile with a unique handle",
      security: bearer,
      request: {
        body: { content: { "application/json": { schema: User.create.schema } }, required: true },
      },
      responses: {
        201: json(User.Info, "The new profile"),
        400: errors[400],
        401: errors[401],
        409: errors[409],
      },
    }),
    async (c) => c.json(await User.create(c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/api/me",
      tags: ["profile"],
      summary: "Update the caller's display name, bio or profile picture",
      description:
        "`avatarMediaId`: an image uploaded with purpose `avatar` (POST /api/media/uploads), verified like a post's attachment, becomes the profile picture (served as its EXIF-free thumbnail); `null` removes it. The picture it replaces is deleted. Errors: media.avatar_not_image, media.wrong_purpose, media.missing_object, media.type_mismatch (400); media.forbidden (403); media.not_found, profile.not_found (404); media.in_use, profile.busy (409).",
      security: bearer,
      request: {
        body: { content: { "application/json": { schema: Profile.update.schema } }, required: true },
      },
      responses: {
        200: json(User.Info, "The updated profile"),
        400: errors[400],
        401: errors[401],
        403: errors[403],
        404: errors[404],
        409: errors[409],
      },
    }),
    async (c) => c.json(await Profile.update(c.req.valid("json")), 200),
  );

/** Query Lambda. */
export const queries = createSubApp().openapi(
  createRoute({
    method: "get",
    path: "/api/me",
    tags: ["profile"],
    summary: "The caller's profile (404 profile.not_found until it is created)",
    security: bearer,
    responses: { 200: json(User.Info, "The caller's profile"), 401: errors[401], 404: errors[404] },
  }),
  async (c) => c.json(await User.me(), 200),
);
