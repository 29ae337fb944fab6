import { Safety } from "@asyncsns/core/safety";
import { createRoute, z } from "@hono/zod-openapi";
import { createSubApp } from "../app";
import { bearer, errors, json, PageQuery } from "./schemas";

// The safety reads, apart from the commands (safety.ts): blocking ends calls, which the Query Lambda must not link.

const CardPage = z.object({ items: z.array(Safety.Card), cursor: z.string().nullable() }).meta({
  id: "UserCardPage",
});
const MutedWords = z.object({ items: z.array(Safety.MutedWord) }).meta({ id: "MutedWordList" });

/** Query Lambda. */
export const queries = createSubApp()
  .openapi(
    createRoute({
      method: "get",
      path: "/api/me/blocks",
      tags: ["safety"],
      summary: "The people the caller blocks",
      security: bearer,
      request: { query: PageQuery },
      responses: { 200: json(CardPage, "A page of people"), 400: errors[400], 401: errors[401] },
    }),
    async (c) => c.json(await Safety.blocks(c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/api/me/mutes",
      tags: ["safety"],
      summary: "The people the caller mutes",
      security: bearer,
      request: { query: PageQuery },
      responses: { 200: json(CardPage, "A page of people"), 400: errors[400], 401: errors[401] },
    }),
    async (c) => c.json(await Safety.mutes(c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/api/me/muted-words",
      tags: ["safety"],
      summary: "The caller's muted words still in force",
      security: bearer,
      responses: { 200: json(MutedWords, "The muted words"), 401: errors[401] },
    }),
    async (c) => c.json(await Safety.words(), 200),
  );
