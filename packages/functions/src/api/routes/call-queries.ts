import { Calls } from "@asyncsns/core/call/read";
import { Call as CallSchema } from "@asyncsns/realtime";
import { createRoute, z } from "@hono/zod-openapi";
import { createSubApp } from "../app";
import { bearer, errors, IdParam, json, PageQuery } from "./schemas";

export const One = z.object({ call: CallSchema }).meta({ id: "CallOne" });
const Page = z.object({ items: z.array(CallSchema), cursor: z.string().nullable() }).meta({ id: "CallPage" });

/** Query Lambda: a call (participants only) and the caller's call history. */
export const queries = createSubApp()
  .openapi(
    createRoute({
      method: "get",
      path: "/api/calls",
      tags: ["calls"],
      summary: "The caller's calls, as caller or callee, newest first",
      security: bearer,
      request: { query: PageQuery },
      responses: { 200: json(Page, "A page of calls"), 400: errors[400], 401: errors[401] },
    }),
    async (c) => c.json(await Calls.list(c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/api/calls/{id}",
      tags: ["calls"],
      summary: "One call; 404 for anyone but its two participants",
      security: bearer,
      request: { params: IdParam },
      responses: { 200: json(One, "The call"), 400: errors[400], 401: errors[401], 404: errors[404] },
    }),
    async (c) => c.json(await Calls.get(c.req.valid("param").id), 200),
  );
