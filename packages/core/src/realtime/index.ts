export * as Realtime from "./index";

import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GoneException,
  PostToConnectionCommand,
} from "@aws-sdk/client-apigatewaymanagementapi";
import { Resource } from "sst";
import { useUserId } from "../actor";
import { Connection } from "../connection";
import { traced } from "../trace";

let management: ApiGatewayManagementApiClient | undefined;
const client = () => {
  management ??= traced(
    new ApiGatewayManagementApiClient({ endpoint: Resource.Realtime.managementEndpoint }),
  );
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
    if (isGone(error)) {
      await Connection.remove(connectionId);
      return false;
    }
    throw error;
  }
}

const isGone = (error: unknown) =>
  error instanceof GoneException ||
  (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 410;

/** Closes a socket from the server side and forgets it; an already gone socket is fine. */
export async function disconnect(connectionId: string): Promise<void> {
  try {
    await client().send(new DeleteConnectionCommand({ ConnectionId: connectionId }));
  } catch (error) {
    if (!isGone(error)) throw error;
  }
  await Connection.remove(connectionId);
}

/** API Gateway keeps a socket open past its token's expiry: the app closes it at the next frame it handles. */
export async function closeIfExpired(connectionId: string): Promise<boolean> {
  if (!(await Connection.expired(connectionId))) return false;
  await disconnect(connectionId);
  return true;
}

/** Sends an event to every live connection of a user; sockets whose token expired are closed instead. */
export async function publish(userId: string, payload: unknown): Promise<number> {
  const { live, expired } = await Connection.ofUserByExpiry(userId);
  await Promise.all(expired.map((id) => disconnect(id).catch(() => undefined)));
  const frame = JSON.stringify(payload);
  const results = await Promise.all(live.map((id) => sendRaw(id, frame).catch(() => false)));
  return results.filter(Boolean).length;
}

/** Signs the caller out of realtime: every socket closes and tokens issued before now cannot reconnect. */
export async function signOut(): Promise<void> {
  const userId = useUserId();
  await Connection.markSignedOut(userId);
  const connections = await Connection.ofUser(userId);
  await Promise.all(connections.map((id) => disconnect(id)));
}

/** Publishes one event to many users at once; returns, per user, how many of their connections got it. */
export async function publishMany(userIds: string[], payload: unknown): Promise<Map<string, number>> {
  const unique = [...new Set(userIds)];
  const counts = await Promise.all(unique.map((userId) => publish(userId, payload)));
  return new Map(unique.map((userId, i) => [userId, counts[i] ?? 0]));
}
