import { Discover } from "@asyncsns/core/discover";
import { User } from "@asyncsns/core/user";
import { createRoute } from "@hono/zod-openapi";
import { createSubApp } from "../app";
import { bearer, errors, HandleParam, json } from "./schemas";

/** Query Lambda; the fixed path is declared before `{handle}`, as API Gateway prefers it too. */
export const queries = createSubApp()
  .openapi(
    createRoute({
      method: "get",
      path: "/api/users/suggestions",
      tags: ["profile"],
      summary:
        "Whom to follow: friends of friends, then popular people; never the caller or whom they follow",
      security: bearer,
      request: { query: Discover.suggestions.schema },
      responses: {
        200: json(Discover.Suggestions, "Suggestions, best first"),
        400: errors[400],
        401: errors[401],
      },
    }),
    async (c) => c.json(await Discover.suggestions(c.req.valid("query")), 200),
  )
  .openapi(
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
