// The Call API (issue 14's contract): start, answer and end calls; fresh ICE credentials before an ICE restart.
import type { Call, CallKind, IceServer } from "@asyncsns/realtime";
import { requestJson } from "./api";

export interface CallWithIce {
  call: Call;
  iceServers: IceServer[];
}

const path = (id: string, action: string) => `/calls/${encodeURIComponent(id)}/${action}`;

export const callsApi = {
  /** 201 with the call ringing, or already accepted when the callee was calling us at the same moment (glare). */
  start: (handle: string, kind: CallKind) => requestJson<CallWithIce>("POST", "/calls", { handle, kind }),
  accept: (id: string) => requestJson<CallWithIce>("POST", path(id, "accept")),
  decline: (id: string) => requestJson<{ call: Call }>("POST", path(id, "decline")),
  cancel: (id: string) => requestJson<{ call: Call }>("POST", path(id, "cancel")),
  hangup: (id: string, reason: "hangup" | "failed" = "hangup") =>
    requestJson<{ call: Call }>("POST", path(id, "hangup"), { reason }),
  /** KVS credentials live five minutes: an ICE restart asks for new ones first. */
  iceServers: (id: string) => requestJson<{ iceServers: IceServer[] }>("POST", path(id, "ice-servers")),
  get: (id: string) => requestJson<{ call: Call }>("GET", `/calls/${encodeURIComponent(id)}`),
};
