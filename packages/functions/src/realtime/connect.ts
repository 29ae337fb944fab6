import { Connection } from "@asyncsns/core/connection";
import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2 } from "aws-lambda";

type ConnectEvent = APIGatewayProxyWebsocketEventV2 & {
  requestContext: {
    authorizer?: { userId?: string; expiresAt?: number | string; issuedAt?: number | string };
  };
};

export async function handler(event: ConnectEvent): Promise<APIGatewayProxyResultV2> {
  const { userId, expiresAt, issuedAt } = event.requestContext.authorizer ?? {};
  if (!userId) return { statusCode: 401, body: "Unauthorized" };
  // A token from before the user signed out stays valid for the JWT checks until it expires: not for sockets.
  if (await Connection.signedOutSince(userId, Number(issuedAt ?? 0)))
    return { statusCode: 401, body: "Unauthorized" };
  await Connection.add(event.requestContext.connectionId, userId, Number(expiresAt) || undefined);
  return { statusCode: 200, body: "Connected" };
}
