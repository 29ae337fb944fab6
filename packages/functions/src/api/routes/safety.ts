import { Safety } from "@asyncsns/core/safety";
import { block } from "@asyncsns/core/safety/block";
import { createRoute, type z } from "@hono/zod-openapi";
import { createSubApp } from "../app";
import { bearer, errors, HandleParam, json, rateLimited } from "./schemas";

const body = <T extends z.ZodType>(schema: T) => ({
  body: { content: { "application/json": { schema } }, required: true },
});

const toggle = (method: "post" | "delete", what: "block" | "mute", summary: string) =>
  createRoute({
    method,
    path: `/api/users/{handle}/${what}`,
    tags: ["safety"],
    summary,
    security: bearer,
    request: { params: HandleParam },
    responses: {
      204: { description: method === "post" ? `Now ${what}ed` : `No longer ${what}ed` },
      400: errors[400],
      401: errors[401],
      404: errors[404],
      409: errors[409],
      429: rateLimited,
    },
  });

/** Profile Lambda: blocks end follows (and calls), so they live beside follow; reads are in safety-queries.ts. */
export const commands = createSubApp()
  .openapi(
    toggle("post", "block", "Block a user (idempotent): both follows end; neither can reach the other"),
    async (c) => {
      await block(c.req.valid("param"));
      return c.body(null, 204);
    },
  )
  .openapi(toggle("delete", "block", "Unblock a user (idempotent); follows are not restored"), async (c) => {
    await Safety.unblock(c.req.valid("param"));
    return c.body(null, 204);
  })
  .openapi(
    toggle("post", "mute", "Mute a user (idempotent): hidden from timelines and notifications"),
    async (c) => {
      await Safety.mute(c.req.valid("param"));
      return c.body(null, 204);
    },
  )
  .openapi(toggle("delete", "mute", "Unmute a user (idempotent)"), async (c) => {
    await Safety.unmute(c.req.valid("param"));
    return c.body(null, 204);
  })
  .openapi(
    createRoute({
      method: "post",
      path: "/api/me/muted-words",
      tags: ["safety"],
      summary:
        "Mute a word or #hashtag, forever or for `expiresIn` seconds (muting it again sets the expiry)",
      security: bearer,
      request: body(Safety.AddWord),
      responses: {
        201: json(Safety.MutedWord, "The muted word"),
        400: errors[400],
        401: errors[401],
        429: rateLimited,
      },
    }),
    async (c) => c.json(await Safety.addWord(c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/api/me/muted-words/{id}",
      tags: ["safety"],
      summary: "Unmute a word (idempotent)",
      security: bearer,
      request: { params: Safety.RemoveWord },
      responses: { 204: { description: "No longer muted" }, 400: errors[400], 401: errors[401] },
    }),
    async (c) => {
      await Safety.removeWord(c.req.valid("param"));
      return c.body(null, 204);
    },
  );
