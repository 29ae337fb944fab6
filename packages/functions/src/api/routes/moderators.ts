import { Moderation } from "@asyncsns/core/moderation/read";
import type { MiddlewareHandler } from "hono";
import type { Env } from "../app";

/** /api/admin/*: everyone outside the Cognito group `moderators` (the access token's claim) gets 403. */
export const moderatorsOnly: MiddlewareHandler<Env> = async (c, next) => {
  Moderation.requireModerator(c.env?.event?.requestContext?.authorizer?.jwt?.claims?.["cognito:groups"]);
  await next();
};
