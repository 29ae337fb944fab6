import { Moderation } from "@asyncsns/core/moderation";
import { createRoute, z } from "@hono/zod-openapi";
import { createSubApp } from "../app";
import { bearer, errors, HandleParam, json, rateLimited } from "./schemas";

const Created = z.object({ id: z.string() }).meta({ id: "ReportCreated" });
const CasePage = z
  .object({ items: z.array(Moderation.CaseInfo), cursor: z.string().nullable() })
  .meta({ id: "ModerationCasePage" });
const AuditPage = z
  .object({ items: z.array(Moderation.AuditInfo), cursor: z.string().nullable() })
  .meta({ id: "AuditPage" });
const ResolveBody = Moderation.ResolveInput.omit({ caseId: true }).meta({ id: "ResolveReport" });
const NoteBody = Moderation.UnsuspendInput.omit({ handle: true }).meta({ id: "ModerationNote" });
const CaseParam = z.object({ id: z.string().min(1).max(64) });

const body = <T extends z.ZodType>(schema: T, required = true) => ({
  body: { content: { "application/json": { schema } }, required },
});

const moderatorsOnly = { 403: errors[403] };

/** Reports, from anyone signed in. */
export const reports = createSubApp().openapi(
  createRoute({
    method: "post",
    path: "/api/reports",
    tags: ["moderation"],
    summary:
      "Report a post, a message or a user to the moderators; reporting the same thing again is a no-op",
    description:
      "One report per reporter and target: a repeat answers the first report's id. A message can be reported only by a member of its room; nobody can report themselves or their own content (400 report.self).",
    security: bearer,
    request: body(Moderation.ReportInput),
    responses: {
      201: json(Created, "The report's id"),
      400: errors[400],
      401: errors[401],
      404: errors[404],
      409: errors[409],
      429: rateLimited,
    },
  }),
  async (c) => c.json(await Moderation.report(c.req.valid("json")), 201),
);

/** The moderators' routes: everyone outside the Cognito group `moderators` gets 403, whatever the route. */
export const admin = createSubApp();
admin.use("/api/admin/*", async (c, next) => {
  Moderation.requireModerator(c.env?.event?.requestContext?.authorizer?.jwt?.claims?.["cognito:groups"]);
  await next();
});
admin
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
        ...moderatorsOnly,
      },
    }),
    async (c) => c.json(await Moderation.queue(c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/api/admin/reports/{id}/resolve",
      tags: ["moderation"],
      summary:
        "Resolve a case: dismiss it, remove the post or message (its author is told), or suspend its author",
      security: bearer,
      request: { params: CaseParam, ...body(ResolveBody) },
      responses: {
        200: json(Moderation.CaseInfo, "The case as resolved"),
        400: errors[400],
        401: errors[401],
        ...moderatorsOnly,
        404: errors[404],
        409: errors[409],
      },
    }),
    async (c) =>
      c.json(await Moderation.resolve({ caseId: c.req.valid("param").id, ...c.req.valid("json") }), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/api/admin/users/{handle}/unsuspend",
      tags: ["moderation"],
      summary: "Lift a suspension: the user may sign in again and is visible to others (moderators only)",
      security: bearer,
      request: { params: HandleParam, ...body(NoteBody, false) },
      responses: {
        204: { description: "Lifted" },
        400: errors[400],
        401: errors[401],
        ...moderatorsOnly,
        404: errors[404],
        409: errors[409],
      },
    }),
    async (c) => {
      await Moderation.unsuspend({ handle: c.req.valid("param").handle, ...c.req.valid("json") });
      return c.body(null, 204);
    },
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
        ...moderatorsOnly,
      },
    }),
    async (c) => c.json(await Moderation.audit(c.req.valid("query")), 200),
  );
