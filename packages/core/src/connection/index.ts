export * as Connection from "./index";

import { conditionally } from "../dynamo";
import { CONNECTION_TTL_SECONDS, ConnectionEntity, SignOutEntity } from "./connection.entity";

/** `tokenExpiresAt` (epoch seconds) bounds the item's TTL too: a socket never outlives its token. */
export async function add(connectionId: string, userId: string, tokenExpiresAt?: number): Promise<void> {
  const lifetime = Math.floor(Date.now() / 1000) + CONNECTION_TTL_SECONDS;
  await ConnectionEntity.put({
    connectionId,
    userId,
    ...(tokenExpiresAt ? { tokenExpiresAt, expireAt: Math.min(lifetime, tokenExpiresAt) } : {}),
  }).go();
}

/** Whether a connection's token has expired; an item not read yet (eventual consistency) is not. */
export async function expired(connectionId: string, now = Date.now()): Promise<boolean> {
  const { data } = await ConnectionEntity.get({ connectionId }).go();
  return data?.tokenExpiresAt !== undefined && data.tokenExpiresAt * 1000 <= now;
}

/** Every connection of a user with its token's expiry, split into live and expired. */
export async function ofUserByExpiry(userId: string, now = Date.now()) {
  const result = await ConnectionEntity.query.byUser({ userId }).go({ pages: "all" });
  const isLive = (c: { tokenExpiresAt?: number }) =>
    c.tokenExpiresAt === undefined || c.tokenExpiresAt * 1000 > now;
  return {
    live: result.data.filter(isLive).map((c) => c.connectionId),
    expired: result.data.filter((c) => !isLive(c)).map((c) => c.connectionId),
  };
}

/** Marks the user signed out now: tokens issued earlier can no longer open a socket. */
export async function markSignedOut(userId: string): Promise<void> {
  await SignOutEntity.put({ userId, at: Math.floor(Date.now() / 1000) }).go();
}

/** Whether a token issued at `issuedAt` (epoch seconds) predates the user's last sign-out. */
export async function signedOutSince(userId: string, issuedAt: number): Promise<boolean> {
  const { data } = await SignOutEntity.get({ userId }).go();
  return !!data && issuedAt < data.at;
}

export async function remove(connectionId: string): Promise<void> {
  await ConnectionEntity.delete({ connectionId }).go();
}

export async function owner(connectionId: string): Promise<string | undefined> {
  const result = await ConnectionEntity.get({ connectionId }).go();
  return result.data?.userId;
}

/** Every live connection of a user: one query on the reverse index. */
export async function ofUser(userId: string): Promise<string[]> {
  const result = await ConnectionEntity.query.byUser({ userId }).go({ pages: "all" });
  return result.data.map((item) => item.connectionId);
}

/** A conditional write on the connection item, so the limit holds across Lambda instances. */
export async function throttleTyping(connectionId: string, everyMs: number): Promise<boolean> {
  const now = Date.now();
  return conditionally(
    ConnectionEntity.patch({ connectionId })
      .set({ lastTypingAt: now })
      .where(
        ({ lastTypingAt }, { notExists, lt }) =>
          `${notExists(lastTypingAt)} OR ${lt(lastTypingAt, now - everyMs)}`,
      )
      .go(),
  );
}
