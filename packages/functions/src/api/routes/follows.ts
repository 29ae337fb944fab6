import { Follow } from "@asyncsns/core/follow";
import { User } from "@asyncsns/core/user";
import { createRoute, z } from "@hono/zod-openapi";
import { createSubApp } from "../app";
import { bearer, errors, HandleParam, json, PageQuery, rateLimited } from "./schemas";

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
    request: { params: HandleParam, query: PageQuery },
    responses: {
      200: json(ProfilePage, "A page of profiles"),
      400: errors[400],
      401: errors[401],
      404: errors[404],
    },
  });

/** Profile Lambda. */
export const commands = createSubApp()
  .openapi(
    createRoute({
      method: "post",
      path: "/api/users/{handle}/follow",
      tags: ["profile"],
      summary: "Follow a user (idempotent; follow.self for oneself)",
      security: bearer,
      request: { params: HandleParam },
      responses: {
        204: { description: "Following" },
        400: errors[400],
        401: errors[401],
        404: errors[404],
        409: errors[409],
        429: rateLimited,
      },
    }),
    async (c) => {
      await Follow.follow(c.req.valid("param"));
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/api/users/{handle}/follow",
      tags: ["profile"],
      summary: "Stop following a user (idempotent)",
      security: bearer,
      request: { params: HandleParam },
      responses: {
        204: { description: "Not following" },
        401: errors[401],
        404: errors[404],
        409: errors[409],
        429: rateLimited,
      },
    }),
    async (c) => {
      await Follow.unfollow(c.req.valid("param"));
      return c.body(null, 204);
    },
  );

/** Query Lambda. */
export const queries = createSubApp()
  .openapi(people("followers", "Who follows a user"), async (c) =>
    c.json(await User.connections(c.req.valid("param").handle, "followers", c.req.valid("query")), 200),
  )
  .openapi(people("following", "Whom a user follows"), async (c) =>
    c.json(await User.connections(c.req.valid("param").handle, "following", c.req.valid("query")), 200),
  );
