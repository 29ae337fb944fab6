import { User } from "@asyncsns/core/user";
import { createRoute, z } from "@hono/zod-openapi";
import { bearer, errors, json } from "./schemas";

export const getUser = createRoute({
  method: "get",
  path: "/api/users/{handle}",
  tags: ["profile"],
  summary: "A user's profile with the follow relation to the caller",
  security: bearer,
  request: { params: z.object({ handle: z.string().min(1).max(64) }) },
  responses: { 200: json(User.PublicInfo, "The profile"), 401: errors[401], 404: errors[404] },
});
