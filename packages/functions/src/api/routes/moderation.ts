import { Moderation } from "@asyncsns/core/moderation";
import { createRoute, z } from "@hono/zod-openapi";
import { createSubApp } from "../app";
import { moderatorsOnly } from "./moderators";
import { bearer, errors, HandleParam, json, rateLimited } from "./schemas";

const Created = z.object({ id: z.string() }).meta({ id: "ReportCreated" });
const ResolveBody = Moderation.ResolveInput.omit({ caseId: true }).meta({ id: "ResolveReport" });
const NoteBody = Moderation.UnsuspendInput.omit({ handle: true }).meta({ id: "ModerationNote" });
const CaseParam = z.object({ id: z.string().min(1).max(64) });

const body = <T extends z.ZodType>(schema: T, required = true) => ({
  body: { content: { "application/json": { schema } }, required },
});

const forbidden = { 403: errors[403] };

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

/** The moderators' commands (their reads are in the Query Lambda): 403 for everyone outside the group. */
export const admin = createSubApp();
admin.use("/api/admin/*", moderatorsOnly);
admin
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
        ...forbidden,
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
        ...forbidden,
        404: errors[404],
        409: errors[409],
      },
    }),
    async (c) => {
      await Moderation.unsuspend({ handle: c.req.valid("param").handle, ...c.req.valid("json") });
      return c.body(null, 204);
    },
  );
