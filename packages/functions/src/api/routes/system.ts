import { createRoute, z } from "@hono/zod-openapi";
import { json } from "./schemas";

export const health = createRoute({
  method: "get",
  path: "/api/health",
  tags: ["system"],
  summary: "Liveness probe (public)",
  responses: { 200: json(z.object({ ok: z.literal(true) }), "The API is up") },
});

export const openapi = createRoute({
  method: "get",
  path: "/api/openapi.json",
  tags: ["system"],
  summary: "This document (public)",
  responses: { 200: json(z.record(z.string(), z.unknown()), "The OpenAPI 3.1 document") },
});
