import { Connection } from "@asyncsns/core/connection";
import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2 } from "aws-lambda";

export async function handler(event: APIGatewayProxyWebsocketEventV2): Promise<APIGatewayProxyResultV2> {
  await Connection.remove(event.requestContext.connectionId);
  return { statusCode: 200, body: "Disconnected" };
}
