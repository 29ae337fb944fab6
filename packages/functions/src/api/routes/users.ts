import { User } from "@asyncsns/core/user";
import { createRoute } from "@hono/zod-openapi";
import { createSubApp } from "../app";
import { bearer, errors, HandleParam, json } from "./schemas";

/** Query Lambda. */
export const queries = createSubApp().openapi(
  createRoute({
    method: "get",
    path: "/api/users/{handle}",
    tags: ["profile"],
    summary: "A user's profile with the follow relation to the caller",
    security: bearer,
    request: { params: HandleParam },
    responses: { 200: json(User.PublicInfo, "The profile"), 401: errors[401], 404: errors[404] },
  }),
  async (c) => c.json(await User.view(c.req.valid("param").handle), 200),
);
