// Verifies AWS Signature Version 4 as an IAM-access OpenSearch domain does, against the local key pair.
import { createHash } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { signatureMatches } from "../gateway/sigv4";

export interface LocalCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

/** AWS refuses a signature dated more than 15 minutes from its clock ("Signature expired"). */
export const MAX_SKEW_MS = 15 * 60_000;

/** `undefined` when the request is signed by the local key pair for `service`; else why it is refused. */
export async function verifySigV4(
  request: { method: string; url: string; headers: IncomingHttpHeaders; body: string },
  credentials: LocalCredentials,
  service: string,
  now = Date.now(),
): Promise<string | undefined> {
  const match = AUTHORIZATION.exec(String(request.headers.authorization ?? ""));
  if (!match) return "the request is not signed with AWS Signature Version 4";
  const [, keyId, day, region, signedService, signedHeaders, signature] = match as unknown as string[];
  if (keyId !== credentials.accessKeyId)
    return `the security token included in the request is invalid (${keyId})`;
  if (signedService !== service) return `signed for service ${signedService}, not ${service}`;
  const stamp = String(request.headers["x-amz-date"] ?? "");
  const at = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(stamp);
  if (!at || stamp.slice(0, 8) !== day) return "x-amz-date is missing or does not match the credential scope";
  const date = new Date(Date.UTC(+at[1]!, +at[2]! - 1, +at[3]!, +at[4]!, +at[5]!, +at[6]!));
  if (Math.abs(now - date.getTime()) > MAX_SKEW_MS)
    return "signature expired: the request time is too skewed";
  // A signed payload hash stands in for the body in the signature: it must be the body's.
  const declared = request.headers["x-amz-content-sha256"];
  if (declared !== undefined && declared !== createHash("sha256").update(request.body).digest("hex"))
    return "the x-amz-content-sha256 header does not match the body";
  if (!signedHeaders!.split(";").includes("host")) return "the host header is not signed";
  const ok = signatureMatches(request, request.body, credentials, {
    date: day!,
    region: region!,
    service,
    xAmzDate: stamp,
    signedHeaderList: signedHeaders!,
    signature: signature!,
  });
  return ok ? undefined : "the request signature we calculated does not match the signature you provided";
}
