import { Account } from "@asyncsns/core/account";
import { exportStatus } from "@asyncsns/core/account/archive";
import { createRoute, z } from "@hono/zod-openapi";
import { createSubApp } from "../app";
import { bearer, errors, json } from "./schemas";

const ExportParam = z.object({ id: z.string().min(1).max(64) });

/** Query Lambda. */
export const queries = createSubApp().openapi(
  createRoute({
    method: "get",
    path: "/api/me/export/{id}",
    tags: ["accounts"],
    summary: "An export's status; once ready, a download link that needs no sign-in and expires in an hour",
    security: bearer,
    request: { params: ExportParam },
    responses: {
      200: json(Account.ExportInfo, "The export"),
      400: errors[400],
      401: errors[401],
      404: errors[404],
    },
  }),
  async (c) => c.json(await exportStatus(c.req.valid("param")), 200),
);
