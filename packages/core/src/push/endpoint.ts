// What a browser may register: the sender will POST to the endpoint, so it must not reach into our network.
import { createPublicKey } from "node:crypto";
import { isIP } from "node:net";
import { VisibleError } from "../error";

export interface PushKeys {
  p256dh: string;
  auth: string;
}

export const MAX_ENDPOINT_LENGTH = 1024;

const invalidEndpoint = (why: string) =>
  new VisibleError("input", "push.endpoint_invalid", `The push endpoint is not accepted: ${why}.`);
const invalidKeys = (why: string) =>
  new VisibleError("input", "push.keys_invalid", `The push subscription's keys are not valid: ${why}.`);

// Names that resolve inside a network, never to a public push service.
const PRIVATE_SUFFIXES = [".localhost", ".local", ".internal", ".localdomain", ".home.arpa", ".lan"];

/** The comma-separated origins setting as a list of normalised origins (`http://127.0.0.1:4321`). */
export function parseOrigins(setting: string | readonly string[] | undefined): string[] {
  const list = typeof setting === "string" ? setting.split(",") : (setting ?? []);
  return list
    .map((o) => o.trim())
    .filter(Boolean)
    .map((o) => new URL(o).origin);
}

/**
 * Throws `push.endpoint_invalid` (400) unless the endpoint is an https URL on a public host name on the default
 * port, with no credentials, at most 1024 characters. Origins in `insecureOrigins` skip the host and scheme rules:
 * it is empty in AWS, and the local cloud lists its own push service there (plain http on 127.0.0.1).
 */
export function checkEndpoint(endpoint: string, insecureOrigins: readonly string[]): void {
  if (typeof endpoint !== "string" || endpoint.length === 0) throw invalidEndpoint("it is empty");
  if (endpoint.length > MAX_ENDPOINT_LENGTH)
    throw invalidEndpoint(`it is longer than ${MAX_ENDPOINT_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw invalidEndpoint("it is not a URL");
  }
  if (url.username || url.password) throw invalidEndpoint("it carries credentials");
  if (insecureOrigins.includes(url.origin)) return;
  if (url.protocol !== "https:") throw invalidEndpoint("only https push services are accepted");
  // Every public push service listens on 443; another port is a probe of some other service.
  if (url.port !== "") throw invalidEndpoint("only the default https port is accepted");
  // The URL parser already turned decimal, octal and hex IPv4 spellings into dotted quads.
  const host = url.hostname.replace(/\.$/, "").toLowerCase();
  if (host.startsWith("[") || isIP(host)) throw invalidEndpoint("the host is an IP address");
  if (!host.includes(".")) throw invalidEndpoint("the host is not a public name");
  if (host === "localhost" || PRIVATE_SUFFIXES.some((suffix) => host.endsWith(suffix)))
    throw invalidEndpoint("the host is a private name");
}

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

function decode(value: unknown, name: string): Buffer {
  if (typeof value !== "string" || !BASE64URL.test(value)) throw invalidKeys(`${name} is not base64url`);
  return Buffer.from(value, "base64url");
}

/** Throws `push.keys_invalid` (400) unless p256dh is an uncompressed P-256 point and auth is 16 bytes. */
export function checkKeys(keys: PushKeys): void {
  const point = decode(keys?.p256dh, "p256dh");
  if (point.length !== 65 || point[0] !== 0x04) throw invalidKeys("p256dh is not an uncompressed P-256 key");
  try {
    // Refuses a point that is not on the curve, which would make encryption fail at every send.
    createPublicKey({
      key: {
        kty: "EC",
        crv: "P-256",
        x: point.subarray(1, 33).toString("base64url"),
        y: point.subarray(33).toString("base64url"),
      },
      format: "jwk",
    });
  } catch {
    throw invalidKeys("p256dh is not a point on P-256");
  }
  if (decode(keys.auth, "auth").length !== 16) throw invalidKeys("auth is not 16 bytes");
}
