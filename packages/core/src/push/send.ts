// The Web Push sender: VAPID (RFC 8292), aes128gcm (RFC 8291), one request per device with fetch.
import { createHash } from "node:crypto";
import webpush from "web-push";
import { VisibleError } from "../error";
import { PushDeliveryEntity, PushSubscriptionEntity } from "./push.entity";
import { settings } from "./settings";
import { endpointHash, subscriptions } from "./subscriptions";

/** Under the 4096 bytes a push service must accept, with room for the record's overhead (RFC 8291 §4). */
export const MAX_PAYLOAD_BYTES = 3072;

/** How long a device's "accepted" marker outlives the push: longer than any queue retry. */
export const DEDUPE_TTL_SECONDS = 24 * 3600;

const REQUEST_TIMEOUT_MS = 10_000;

export type Urgency = "very-low" | "low" | "normal" | "high";

export interface SendOptions {
  urgency: Urgency;
  /** Seconds the push service keeps the message for an offline device. */
  ttl: number;
  /** Any string: a later push with the same topic replaces a queued one (hashed to the header's 32 characters). */
  topic: string;
  /** e.g. the event id: a retry skips the devices that already accepted this push. */
  dedupeKey?: string;
}

export interface SendResult {
  /** Devices that accepted the push in this call. */
  sent: number;
  /** Subscriptions deleted because their push service said they are gone (404/410). */
  removed: number;
  /** Devices that refused it for good (other 4xx): logged, not retried. */
  failed: number;
  /** Devices skipped because they accepted it on an earlier try (same dedupeKey). */
  skipped: number;
}

/** Some device's push service was busy or unreachable (429, 5xx, network): retry the message later. */
export class PushRetryable extends Error {
  constructor(
    readonly retryable: number,
    readonly result: SendResult,
  ) {
    super(`push: ${retryable} device(s) to retry (sent ${result.sent}, removed ${result.removed})`);
    this.name = "PushRetryable";
  }
}

/** The Topic header: at most 32 base64url characters (RFC 8030 §5.4), so any key is hashed into it. */
export function topicOf(topic: string): string {
  return createHash("sha256").update(topic).digest("base64url").slice(0, 32);
}

const hash = (value: string) => createHash("sha256").update(value).digest("hex");

type Outcome = "sent" | "removed" | "failed" | "retry" | "skipped";

export async function send(userId: string, payload: object, opts: SendOptions): Promise<SendResult> {
  const body = JSON.stringify(payload);
  if (Buffer.byteLength(body) > MAX_PAYLOAD_BYTES)
    throw new VisibleError(
      "too-large",
      "push.payload_too_large",
      `A push payload is at most ${MAX_PAYLOAD_BYTES} bytes; trim it before sending.`,
    );
  const devices = await subscriptions(userId);
  const result: SendResult = { sent: 0, removed: 0, failed: 0, skipped: 0 };
  if (devices.length === 0) return result;

  const dedupeHash = opts.dedupeKey === undefined ? undefined : hash(opts.dedupeKey);
  const accepted = new Set<string>();
  if (dedupeHash) {
    const markers = await PushDeliveryEntity.query.byKey({ dedupeHash }).go({ pages: "all" });
    for (const m of markers.data) accepted.add(m.endpointHash);
  }
  const { publicKey, privateKey, subject } = settings();
  const topic = topicOf(opts.topic);
  // A bad key pair or subject is the stage's fault, not a device's: throw (the message retries, then alarms).
  webpush.getVapidHeaders("https://push.invalid", subject, publicKey, privateKey, "aes128gcm");

  const deliver = async (device: (typeof devices)[number]): Promise<Outcome> => {
    const deviceHash = endpointHash(device.endpoint);
    if (accepted.has(deviceHash)) return "skipped";
    let request: webpush.RequestDetails;
    try {
      request = webpush.generateRequestDetails(device, body, {
        vapidDetails: { subject, publicKey, privateKey },
        TTL: opts.ttl,
        urgency: opts.urgency,
        topic,
        contentEncoding: "aes128gcm",
      });
    } catch (error) {
      // Keys this device's browser gave that cannot be encrypted to: no retry will change that.
      console.warn(
        JSON.stringify({ msg: "push: cannot encrypt", endpoint: origin(device.endpoint), error: `${error}` }),
      );
      return "failed";
    }
    // fetch sets Content-Length itself from the body.
    const headers = Object.fromEntries(
      Object.entries(request.headers)
        .filter(([name]) => name.toLowerCase() !== "content-length")
        .map(([name, value]) => [name, String(value)]),
    );
    let status: number;
    try {
      const response = await fetch(request.endpoint, {
        method: "POST",
        headers,
        body: request.body ? new Uint8Array(request.body) : null,
        // A redirect could point anywhere, past the endpoint check.
        redirect: "manual",
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      status = response.status;
      await response.body?.cancel();
    } catch (error) {
      console.warn(
        JSON.stringify({ msg: "push: network error", endpoint: origin(device.endpoint), error: `${error}` }),
      );
      return "retry";
    }
    if (status === 200 || status === 201 || status === 202) {
      if (dedupeHash)
        await PushDeliveryEntity.put({
          dedupeHash,
          endpointHash: deviceHash,
          expireAt: Math.floor(Date.now() / 1000) + DEDUPE_TTL_SECONDS,
        }).go();
      return "sent";
    }
    if (status === 404 || status === 410) {
      await PushSubscriptionEntity.delete({ userId, endpointHash: deviceHash }).go();
      return "removed";
    }
    if (status === 429 || status >= 500) return "retry";
    console.warn(JSON.stringify({ msg: "push: refused", endpoint: origin(device.endpoint), status }));
    return "failed";
  };

  const outcomes = await Promise.all(devices.map(deliver));
  let retry = 0;
  for (const outcome of outcomes) {
    if (outcome === "retry") retry++;
    else result[outcome]++;
  }
  if (retry > 0) throw new PushRetryable(retry, result);
  return result;
}

/** Endpoints carry a per-device secret path: logs get the push service's origin only. */
function origin(endpoint: string): string {
  try {
    return new URL(endpoint).origin;
  } catch {
    return "?";
  }
}
