import { withActor } from "@asyncsns/core/actor";
import { Chat } from "@asyncsns/core/chat/typing";
import { Connection } from "@asyncsns/core/connection";
import { VisibleError } from "@asyncsns/core/error";
import { Realtime } from "@asyncsns/core/realtime";
import { Action, envelope } from "@asyncsns/realtime";
import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2 } from "aws-lambda";
import { ZodError } from "zod";

type MessageEvent = APIGatewayProxyWebsocketEventV2 & {
  requestContext: { authorizer?: { userId?: string } };
};

/** At most one typing signal per connection per this many ms; the rest are dropped silently. */
const TYPING_EVERY_MS = 2_000;

// The `typing` route: ephemeral, rate-limited per connection, relayed only to the room's other members.
export async function handler(event: MessageEvent): Promise<APIGatewayProxyResultV2> {
  const { connectionId, authorizer } = event.requestContext;
  const action = Action.safeParse(safeJson(event.body));
  if (!authorizer?.userId) return { statusCode: 401 };
  if (!action.success || action.data.action !== "typing") {
    const refusal = { code: "ws.invalid_action", message: "Send typing as {action: 'typing', roomId}." };
    await Realtime.send(connectionId, envelope("system.error", refusal));
    return { statusCode: 400 };
  }
  if (!(await Connection.throttleTyping(connectionId, TYPING_EVERY_MS))) return { statusCode: 429 };
  const roomId = action.data.roomId;
  try {
    await withActor({ type: "user", properties: { userId: authorizer.userId } }, () => Chat.typing(roomId));
  } catch (error) {
    const refusal =
      error instanceof VisibleError
        ? { code: error.code, message: error.message }
        : error instanceof ZodError
          ? { code: "request.invalid", message: "That is not a room id." }
          : undefined;
    if (!refusal) throw error;
    await Realtime.send(connectionId, envelope("system.error", refusal));
  }
  return { statusCode: 200 };
}

function safeJson(body: string | undefined): unknown {
  try {
    return JSON.parse(body ?? "");
  } catch {
    return undefined;
  }
}
