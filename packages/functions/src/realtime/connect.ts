import { Connection } from "@asyncsns/core/connection";
import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2 } from "aws-lambda";

type ConnectEvent = APIGatewayProxyWebsocketEventV2 & {
  requestContext: { authorizer?: { userId?: string } };
};

export async function handler(event: ConnectEvent): Promise<APIGatewayProxyResultV2> {
  const userId = event.requestContext.authorizer?.userId;
  if (!userId) return { statusCode: 401, body: "Unauthorized" };
  await Connection.add(event.requestContext.connectionId, userId);
  return { statusCode: 200, body: "Connected" };
}
