export * as Realtime from "./index";

import {
  ApiGatewayManagementApiClient,
  GoneException,
  PostToConnectionCommand,
} from "@aws-sdk/client-apigatewaymanagementapi";
import { Resource } from "sst";
import { Connection } from "../connection";

let management: ApiGatewayManagementApiClient | undefined;
const client = () => {
  management ??= new ApiGatewayManagementApiClient({ endpoint: Resource.Realtime.managementEndpoint });
  return management;
};

/** Sends one frame to one connection; a gone (410) connection is forgotten. Returns whether it was delivered. */
export async function send(connectionId: string, payload: unknown): Promise<boolean> {
  return sendRaw(connectionId, JSON.stringify(payload));
}

async function sendRaw(connectionId: string, frame: string): Promise<boolean> {
  try {
    await client().send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: frame }));
    return true;
  } catch (error) {
    if (
      error instanceof GoneException ||
      (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 410
    ) {
      await Connection.remove(connectionId);
      return false;
    }
    throw error;
  }
}

/** Sends an event to every live connection of a user; returns how many received it. */
export async function publish(userId: string, payload: unknown): Promise<number> {
  const connections = await Connection.ofUser(userId);
  const frame = JSON.stringify(payload);
  const results = await Promise.all(connections.map((id) => sendRaw(id, frame).catch(() => false)));
  return results.filter(Boolean).length;
}

/** Publishes one event to many users at once; returns, per user, how many of their connections got it. */
export async function publishMany(userIds: string[], payload: unknown): Promise<Map<string, number>> {
  const unique = [...new Set(userIds)];
  const counts = await Promise.all(unique.map((userId) => publish(userId, payload)));
  return new Map(unique.map((userId, i) => [userId, counts[i] ?? 0]));
}
