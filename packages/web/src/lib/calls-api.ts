// The Call API (issue 14's contract): start, answer and end calls; fresh ICE credentials before an ICE restart.
import type { CallKind } from "@asyncsns/realtime";
import { apiClient, ok } from "./api";

const at = (id: string) => ({ params: { path: { id } } });

export const callsApi = {
  /** 201 with the call ringing, or already accepted when the callee was calling us at the same moment (glare). */
  start: (handle: string, kind: CallKind) => ok(apiClient().POST("/api/calls", { body: { handle, kind } })),
  accept: (id: string) => ok(apiClient().POST("/api/calls/{id}/accept", at(id))),
  decline: (id: string) => ok(apiClient().POST("/api/calls/{id}/decline", at(id))),
  cancel: (id: string) => ok(apiClient().POST("/api/calls/{id}/cancel", at(id))),
  hangup: (id: string, reason: "hangup" | "failed" = "hangup") =>
    ok(apiClient().POST("/api/calls/{id}/hangup", { ...at(id), body: { reason } })),
  /** KVS credentials live five minutes: an ICE restart asks for new ones first. */
  iceServers: (id: string) => ok(apiClient().POST("/api/calls/{id}/ice-servers", at(id))),
  get: (id: string) => ok(apiClient().GET("/api/calls/{id}", at(id))),
};
