export * as Push from "./index";

// Web Push to a user's browsers: subscriptions (one per device), the endpoint rules, and the sender.
import { z } from "zod";
import { checkEndpoint as checkEndpointWith, MAX_ENDPOINT_LENGTH } from "./endpoint";
import { settings } from "./settings";

export { checkKeys, MAX_ENDPOINT_LENGTH, type PushKeys } from "./endpoint";
export {
  DEDUPE_TTL_SECONDS,
  MAX_PAYLOAD_BYTES,
  PushRetryable,
  type SendOptions,
  type SendResult,
  send,
  topicOf,
  type Urgency,
} from "./send";
export { MAX_DEVICES, type PushSubscription, subscribe, subscriptions, unsubscribe } from "./subscriptions";

/** Throws `push.endpoint_invalid` (400) for an endpoint the sender must not call (see endpoint.ts). */
export function checkEndpoint(endpoint: string): void {
  checkEndpointWith(endpoint, settings().insecureOrigins);
}

/** `POST /api/push/subscriptions`: the shape; subscribe() checks the endpoint and keys themselves. */
export const SubscribeInput = z.object({
  endpoint: z.string().min(1).max(MAX_ENDPOINT_LENGTH),
  keys: z.object({ p256dh: z.string().min(1).max(200), auth: z.string().min(1).max(100) }),
});

/** `DELETE /api/push/subscriptions`: only a URL can name a subscription, so anything else is a 400. */
export const UnsubscribeInput = z.object({ endpoint: z.url().max(MAX_ENDPOINT_LENGTH) });
