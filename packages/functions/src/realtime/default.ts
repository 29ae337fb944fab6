import { Realtime } from "@asyncsns/core/realtime";
import { Action, envelope } from "@asyncsns/realtime";
import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2 } from "aws-lambda";

// Heartbeats keep API Gateway's 10-minute idle timer from closing the socket; unknown actions get an error event.
export async function handler(event: APIGatewayProxyWebsocketEventV2): Promise<APIGatewayProxyResultV2> {
  const { connectionId } = event.requestContext;
  // The heartbeat is where a socket past its token's expiry is noticed and closed.
  if (await Realtime.closeIfExpired(connectionId)) return { statusCode: 401, body: "Token expired" };
  let body: unknown;
  try {
    body = JSON.parse(event.body ?? "");
  } catch {
    body = undefined;
  }
  const action = Action.safeParse(body);
  if (!action.success || action.data.action !== "ping") {
    await Realtime.send(
      connectionId,
      envelope("system.error", { code: "ws.unknown_action", message: "Send JSON with a known `action`." }),
    );
    // No body: with a route response it would reach the client as a frame that is not an event.
    return { statusCode: 400 };
  }
  await Realtime.send(connectionId, envelope("system.pong", { at: Date.now() }));
  return { statusCode: 200 };
}
