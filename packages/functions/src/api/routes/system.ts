import { createRoute, z } from "@hono/zod-openapi";
import { createSubApp } from "../app";
import document from "../openapi.json";
import { json } from "./schemas";

/** Query Lambda; the document is generated from every Lambda's routes by `npm run routes`. */
export const queries = createSubApp()
  .openapi(
    createRoute({
      method: "get",
      path: "/api/health",
      tags: ["system"],
      summary: "Liveness probe (public)",
      responses: { 200: json(z.object({ ok: z.literal(true) }), "The API is up") },
    }),
    (c) => c.json({ ok: true as const }, 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/api/openapi.json",
      tags: ["system"],
      summary: "This document (public)",
      responses: { 200: json(z.record(z.string(), z.unknown()), "The OpenAPI 3.1 document") },
    }),
    (c) => c.json(document, 200),
  );
