import { requestDeletion } from "@asyncsns/core/account/deletion";
import { requestExport } from "@asyncsns/core/account/exports";
import { createRoute, z } from "@hono/zod-openapi";
import { createSubApp } from "../app";
import { bearer, errors, json } from "./schemas";

const Accepted = z.object({ status: z.literal("deleting") }).meta({ id: "AccountDeletion" });
const ExportCreated = z.object({ id: z.string() }).meta({ id: "ExportCreated" });

/** Accounts Lambda: deleting an account and asking for an export; both are finished by queue consumers. */
export const commands = createSubApp()
  .openapi(
    createRoute({
      method: "delete",
      path: "/api/me",
      tags: ["accounts"],
      summary: "Delete the caller's account: signed out at once, everything removed in the background",
      description:
        "Needs an access token from a sign-in of the last 5 minutes (the web app signs in again with the password first): else 403 account.reauthenticate. The Cognito user is disabled and signed out everywhere, the caller's sockets close, and a sweeper removes the profile, posts, media, reactions, follows, memberships, notifications and the Cognito user. Messages in shared rooms stay, from a deleted user; the handle stays reserved for 30 days.",
      security: bearer,
      responses: {
        202: json(Accepted, "Deletion started"),
        401: errors[401],
        403: errors[403],
      },
    }),
    async (c) => {
      const authTime = Number(c.env?.event?.requestContext?.authorizer?.jwt?.claims?.auth_time);
      await requestDeletion({ authTime: Number.isFinite(authTime) ? authTime : undefined });
      return c.json({ status: "deleting" as const }, 202);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/api/me/export",
      tags: ["accounts"],
      summary:
        "Ask for an archive of the caller's data (profile, posts, follows, media links), built in the background",
      security: bearer,
      responses: {
        202: json(ExportCreated, "The export's id: poll GET /api/me/export/{id}"),
        401: errors[401],
      },
    }),
    async (c) => c.json(await requestExport(), 202),
  );
