import { User } from "@asyncsns/core/user";
import { createRoute } from "@hono/zod-openapi";
import { bearer, errors, json } from "./schemas";

export const createMe = createRoute({
  method: "post",
  path: "/api/me",
  tags: ["profile"],
  summary: "Create the caller's profile with a unique handle",
  security: bearer,
  request: { body: { content: { "application/json": { schema: User.create.schema } }, required: true } },
  responses: {
    201: json(User.Info, "The new profile"),
    400: errors[400],
    401: errors[401],
    409: errors[409],
  },
});

export const updateMe = createRoute({
  method: "patch",
  path: "/api/me",
  tags: ["profile"],
  summary: "Update the caller's display name or bio",
  security: bearer,
  request: { body: { content: { "application/json": { schema: User.update.schema } }, required: true } },
  responses: {
    200: json(User.Info, "The updated profile"),
    400: errors[400],
    401: errors[401],
    404: errors[404],
  },
});

export const getMe = createRoute({
  method: "get",
  path: "/api/me",
  tags: ["profile"],
  summary: "The caller's profile (404 profile.not_found until it is created)",
  security: bearer,
  responses: { 200: json(User.Info, "The caller's profile"), 401: errors[401], 404: errors[404] },
});
