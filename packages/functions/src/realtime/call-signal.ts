import { withActor } from "@asyncsns/core/actor";
import { CallSignal } from "@asyncsns/core/call/signal";
import { Realtime } from "@asyncsns/core/realtime";
import { Action, envelope, MAX_SIGNAL_BYTES } from "@asyncsns/realtime";
import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2 } from "aws-lambda";

type MessageEvent = APIGatewayProxyWebsocketEventV2 & {
  requestContext: { authorizer?: { userId?: string } };
};

// The `call.signal` route: SDP, candidates and keepalives between the two participants' bound devices only.
export async function handler(event: MessageEvent): Promise<APIGatewayProxyResultV2> {
  const { connectionId, authorizer } = event.requestContext;
  if (!authorizer?.userId) return { statusCode: 401 };
  const refuse = async (code: string, message: string, statusCode: number) => {
    await Realtime.send(connectionId, envelope("system.error", { code, message }));
    return { statusCode };
  };
  // Bounded before parsing: a relayed event stays within what the browser and API Gateway take.
  if (Buffer.byteLength(event.body ?? "") > MAX_SIGNAL_BYTES)
    return refuse("call.signal_too_large", `A call signal is at most ${MAX_SIGNAL_BYTES / 1024} KB.`, 413);
  const action = Action.safeParse(safeJson(event.body));
  if (!action.success || action.data.action !== "call.signal")
    return refuse("ws.invalid_action", "Send signals as {action: 'call.signal', callId, data}.", 400);
  const { callId, device, data } = action.data;
  const result = await withActor({ type: "user", properties: { userId: authorizer.userId } }, () =>
    CallSignal.relay(connectionId, { callId, device, data }),
  );
  if (!result.ok) return refuse(result.code, result.message, 403);
  return { statusCode: 200 };
}

function safeJson(body: string | undefined): unknown {
  try {
    return JSON.parse(body ?? "");
  } catch {
    return undefined;
  }
}
