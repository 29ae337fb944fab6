export * as Calls from "./read";

// Calls' read side, its own entry (@asyncsns/core/call/read) so the Query Lambda bundles no socket, push or queue.

import type { Call as Wire } from "@asyncsns/realtime";
import * as z from "zod";
import { useUserId } from "../actor";
import { fn } from "../util";
import * as Store from "./store";

export const CallId = z.string().min(1).max(64);

/** `GET /api/calls/{id}`: participants only; anyone else gets 404. */
export const get = fn(CallId, async (callId): Promise<{ call: Wire }> => {
  const { call } = await Store.forParticipant(callId, useUserId());
  return { call: Store.toWire(call) };
});

export const ListInput = z.object({
  cursor: z.string().max(2048).optional(),
  limit: z.number().int().min(1).max(100).optional(),
});

/** `GET /api/calls`: the caller's calls, as caller or callee, newest first. */
export const list = fn(ListInput, async (input) => Store.list(useUserId(), input));
