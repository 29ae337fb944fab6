import { Moderation } from "@asyncsns/core/moderation/read";
import { createRoute, z } from "@hono/zod-openapi";
import { createSubApp } from "../app";
import { moderatorsOnly } from "./moderators";
import { bearer, errors, json } from "./schemas";

const CasePage = z
  .object({ items: z.array(Moderation.CaseInfo), cursor: z.string().nullable() })
  .meta({ id: "ModerationCasePage" });
const AuditPage = z
  .object({ items: z.array(Moderation.AuditInfo), cursor: z.string().nullable() })
  .meta({ id: "AuditPage" });

const forbidden = { 403: errors[403] };

/** Query Lambda: the moderators' reads, with the table access every read has; 403 outside the group. */
export const queries = createSubApp();
queries.use("/api/admin/*", moderatorsOnly);
queries
  .openapi(
    createRoute({
      method: "get",
      path: "/api/admin/reports",
      tags: ["moderation"],
      summary: "The report queue: one row per reported target, oldest first (moderators only)",
      security: bearer,
      request: { query: Moderation.QueueInput },
      responses: {
        200: json(CasePage, "One page of cases with the reported content"),
        400: errors[400],
        401: errors[401],
        ...forbidden,
      },
    }),
    async (c) => c.json(await Moderation.queue(c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/api/admin/audit",
      tags: ["moderation"],
      summary: "The append-only audit log of moderators' actions, newest first (moderators only)",
      security: bearer,
      request: { query: Moderation.AuditInput },
      responses: {
        200: json(AuditPage, "One page of the log"),
        400: errors[400],
        401: errors[401],
        ...forbidden,
      },
    }),
    async (c) => c.json(await Moderation.audit(c.req.valid("query")), 200),
  );
