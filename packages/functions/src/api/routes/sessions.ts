import { Realtime } from "@asyncsns/core/realtime";
import { createRoute } from "@hono/zod-openapi";
import { createSubApp } from "../app";
import { bearer, errors } from "./schemas";

/** Profile Lambda: its own file, so the Query Lambda (which mounts me.ts) never reaches @connections. */
export const commands = createSubApp().openapi(
  createRoute({
    method: "post",
    path: "/api/me/sign-out",
    tags: ["profile"],
    summary: "Sign out of realtime: close the caller's sockets; tokens issued before now cannot reopen one",
    description:
      "API Gateway keeps a socket open whatever happens to its token, and the JWT authorizer cannot see a revoked token: the web app calls this when the user signs out.",
    security: bearer,
    responses: { 204: { description: "Signed out" }, 401: errors[401] },
  }),
  async (c) => {
    await Realtime.signOut();
    return c.body(null, 204);
  },
);
