import { Resource } from "sst";
import { parseOrigins } from "./endpoint";

export interface PushSettings {
  publicKey: string;
  privateKey: string;
  /** mailto: or https: contact a push service may use (RFC 8292 `sub`). */
  subject: string;
  /** Normalised origins that may be plain http or private (empty in AWS; the local push service locally). */
  insecureOrigins: string[];
}

let cached: PushSettings | undefined;

/** From `Resource.Push` (infra/push.ts), read on first use so modules importing this load without the link. */
export function settings(): PushSettings {
  if (cached) return cached;
  const push = Resource.Push;
  cached = {
    publicKey: push.publicKey,
    privateKey: push.privateKey,
    subject: push.subject,
    insecureOrigins: parseOrigins(push.insecureOrigins),
  };
  return cached;
}
