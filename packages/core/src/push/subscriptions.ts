import { createHash } from "node:crypto";
import { checkEndpoint, checkKeys, type PushKeys } from "./endpoint";
import { PushSubscriptionEntity } from "./push.entity";
import { settings } from "./settings";

/** Devices per user; registering one more drops the one registered longest ago. */
export const MAX_DEVICES = 20;

export interface PushSubscription {
  endpoint: string;
  keys: PushKeys;
}

export const endpointHash = (endpoint: string) => createHash("sha256").update(endpoint).digest("hex");

/** Idempotent: registering the same endpoint again refreshes its keys and its place under the cap. */
export async function subscribe(userId: string, sub: PushSubscription): Promise<void> {
  checkEndpoint(sub.endpoint, settings().insecureOrigins);
  checkKeys(sub.keys);
  const hash = endpointHash(sub.endpoint);
  await PushSubscriptionEntity.put({
    userId,
    endpointHash: hash,
    endpoint: sub.endpoint,
    p256dh: sub.keys.p256dh,
    auth: sub.keys.auth,
    updatedAt: Date.now(),
  }).go();
  // A browser is one person's at a time: whoever signed in there before stops getting its pushes.
  const holders = await PushSubscriptionEntity.query.byEndpoint({ endpointHash: hash }).go({ pages: "all" });
  const others = holders.data.filter((h) => h.userId !== userId);
  const mine = await PushSubscriptionEntity.query.byUser({ userId }).go({ pages: "all" });
  const oldest = mine.data.sort((a, b) => b.updatedAt - a.updatedAt).slice(MAX_DEVICES);
  const stale = [...others, ...oldest].map((s) => ({ userId: s.userId, endpointHash: s.endpointHash }));
  if (stale.length) await PushSubscriptionEntity.delete(stale).go();
}

/** Idempotent: an unknown endpoint is already gone. */
export async function unsubscribe(userId: string, endpoint: string): Promise<void> {
  await PushSubscriptionEntity.delete({ userId, endpointHash: endpointHash(endpoint) }).go();
}

export async function subscriptions(userId: string): Promise<PushSubscription[]> {
  const result = await PushSubscriptionEntity.query.byUser({ userId }).go({ pages: "all" });
  return result.data.map((s) => ({ endpoint: s.endpoint, keys: { p256dh: s.p256dh, auth: s.auth } }));
}
