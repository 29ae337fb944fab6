import { User } from "@asyncsns/core/user";
import { createRoute, z } from "@hono/zod-openapi";
import { bearer, errors, json } from "./schemas";

// Kept apart from the post routes so the Profile Lambda's bundle stays free of the post domain.
const Handle = z.object({ handle: z.string().min(1).max(64) });
const PageQuery = z.object({
  cursor: z.string().max(2048).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

const ProfilePage = z.object({ items: z.array(User.ListedInfo), cursor: z.string().nullable() }).meta({
  id: "ProfilePage",
});

const people = (direction: "followers" | "following", summary: string) =>
  createRoute({
    method: "get",
    path: `/api/users/{handle}/${direction}`,
    tags: ["profile"],
    summary,
    security: bearer,
    request: { params: Handle, query: PageQuery },
    responses: {
      200: json(ProfilePage, "A page of profiles"),
      400: errors[400],
      401: errors[401],
      404: errors[404],
    },
  });

export const followers = people("followers", "Who follows a user");
export const following = people("following", "Whom a user follows");

export const follow = createRoute({
  method: "post",
  path: "/api/users/{handle}/follow",
  tags: ["profile"],
  summary: "Follow a user (idempotent; follow.self for oneself)",
  security: bearer,
  request: { params: Handle },
  responses: {
    204: { description: "Following" },
    400: errors[400],
    401: errors[401],
    404: errors[404],
    409: errors[409],
  },
});

export const unfollow = createRoute({
  method: "delete",
  path: "/api/users/{handle}/follow",
  tags: ["profile"],
  summary: "Stop following a user (idempotent)",
  security: bearer,
  request: { params: Handle },
  responses: { 204: { description: "Not following" }, 401: errors[401], 404: errors[404], 409: errors[409] },
});
