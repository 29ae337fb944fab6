import { Call } from "@asyncsns/core/call";
import { Call as CallSchema, IceServer } from "@asyncsns/realtime";
import { createRoute, z } from "@hono/zod-openapi";
import { count } from "../../metrics";
import { createSubApp } from "../app";
import { One } from "./call-queries";
import { bearer, errors, IdParam, json, rateLimited } from "./schemas";

const Answer = z.object({ call: CallSchema, iceServers: z.array(IceServer) }).meta({ id: "CallAnswer" });
const AcceptAnswer = Answer.extend({
  signals: z
    .array(z.unknown())
    .optional()
    .describe("The caller's call.signal data sent while the call rang (offer, candidates), in order"),
}).meta({ id: "CallAcceptAnswer" });
const Ice = z.object({ iceServers: z.array(IceServer) }).meta({ id: "CallIceServers" });
const Start = Call.StartInput.meta({ id: "CallStart" });
const Hangup = Call.HangupInput.omit({ callId: true }).meta({ id: "CallHangup" });

const body = <T extends z.ZodType>(schema: T, required = true) => ({
  body: { content: { "application/json": { schema } }, required },
});
// A conflict answers the call as it is now (`details.call`), so the client can catch up.
const conflict = { ...errors[409], description: "The call is past this command; details.call is its state" };
// The TURN credential service (KVS) failed: nothing rings, the caller may try again.
const unavailable = { ...errors[409], description: "ICE servers could not be issued right now; try again" };
const perCall = { 400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404], 409: conflict };

const command = (path: string, summary: string) =>
  createRoute({
    method: "post",
    path: `/api/calls/{id}/${path}`,
    tags: ["calls"],
    summary,
    security: bearer,
    request: { params: IdParam },
    responses: { 200: json(One, "The call"), ...perCall },
  });

/** Call Lambda: the commands; it rings sockets and push, sets the ring timer and issues ICE servers. */
export const commands = createSubApp()
  .openapi(
    createRoute({
      method: "post",
      path: "/api/calls",
      tags: ["calls"],
      summary:
        "Call someone you share a 1:1 room with or follow mutually: rings them, answers busy, or (both calling) connects",
      security: bearer,
      request: body(Start),
      responses: {
        201: json(Answer, "The call (ringing, busy, or accepted on glare) and ICE servers for it"),
        400: errors[400],
        401: errors[401],
        403: errors[403],
        404: errors[404],
        409: errors[409],
        429: rateLimited,
        503: unavailable,
      },
    }),
    async (c) => {
      const answer = await Call.start(c.req.valid("json"));
      // Business metrics: a busy callee is no call; both calling at once (glare) connects at once.
      if (answer.call.state !== "busy") count("CallStarted");
      if (answer.call.state === "accepted") count("CallConnected");
      return c.json(answer, 201);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/api/calls/{id}/accept",
      tags: ["calls"],
      summary: "Accept a ringing call (callee; the first device wins) and get ICE servers",
      security: bearer,
      request: { params: IdParam },
      responses: {
        200: json(AcceptAnswer, "The accepted call, ICE servers, and the caller's signals so far"),
        ...perCall,
        503: unavailable,
      },
    }),
    async (c) => {
      const answer = await Call.accept(c.req.valid("param").id);
      count("CallConnected");
      return c.json(answer, 200);
    },
  )
  .openapi(command("decline", "Decline a ringing call (callee)"), async (c) =>
    c.json(await Call.decline(c.req.valid("param").id), 200),
  )
  .openapi(command("cancel", "Cancel a call that still rings (caller)"), async (c) =>
    c.json(await Call.cancel(c.req.valid("param").id), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/api/calls/{id}/hangup",
      tags: ["calls"],
      summary: "Hang up (either side; while ringing the caller cancels, the callee declines)",
      security: bearer,
      request: { params: IdParam, ...body(Hangup, false) },
      responses: { 200: json(One, "The ended call"), ...perCall },
    }),
    async (c) => {
      // The body is optional (no body: an ordinary hang-up).
      const { reason } = c.req.valid("json");
      const answer = await Call.hangup({ callId: c.req.valid("param").id, reason });
      // The browser hangs up with reason "failed" when the media never connected (ICE failed or timed out).
      if (reason === "failed") count("CallFailed");
      return c.json(answer, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/api/calls/{id}/ice-servers",
      tags: ["calls"],
      summary: "Fresh ICE servers for a participant of a ringing or accepted call (before an ICE restart)",
      security: bearer,
      request: { params: IdParam },
      responses: { 200: json(Ice, "ICE servers with fresh TURN credentials"), ...perCall, 503: unavailable },
    }),
    async (c) => c.json(await Call.iceServers(c.req.valid("param").id), 200),
  );
