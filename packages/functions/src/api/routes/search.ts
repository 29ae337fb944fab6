import { Search } from "@asyncsns/core/search";
import { createRoute, type z } from "@hono/zod-openapi";
import { createSubApp } from "../app";
import { bearer, errors, json } from "./schemas";

const responses = <T extends z.ZodType>(schema: T, description: string) => ({
  200: json(schema, description),
  400: errors[400],
  401: errors[401],
});

/** Query Lambda. */
export const queries = createSubApp()
  .openapi(
    createRoute({
      method: "get",
      path: "/api/search/posts",
      tags: ["search"],
      summary:
        'Posts matching a query: words (AND), "exact phrase", -exclude, OR, from:, to:, #tag, has:media|image|video|audio, is:reply, since:/until:YYYY-MM-DD (in tz), lang:ja|en',
      security: bearer,
      request: { query: Search.posts.schema },
      responses: responses(
        Search.PostResults,
        "A page of posts with highlight ranges; pass `cursor` back for the next",
      ),
    }),
    async (c) => c.json(await Search.posts(c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/api/search/users",
      tags: ["search"],
      summary: "People whose handle or display name starts with `q` (kana in either script)",
      security: bearer,
      request: { query: Search.users.schema },
      responses: responses(Search.UserResults, "A page of profiles"),
    }),
    async (c) => c.json(await Search.users(c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/api/search/tags",
      tags: ["search"],
      summary: "Hashtags starting with `q`, most used first (suggestions as you type)",
      security: bearer,
      request: { query: Search.tags.schema },
      responses: responses(Search.TagResults, "Tag suggestions"),
    }),
    async (c) => c.json(await Search.tags(c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/api/search/trending",
      tags: ["search"],
      summary: "Hashtags of the last 24 hours, by how many different people used them",
      security: bearer,
      request: { query: Search.trending.schema },
      responses: responses(Search.TrendingResults, "Trending hashtags, most people first"),
    }),
    async (c) => c.json(await Search.trending(c.req.valid("query")), 200),
  );
