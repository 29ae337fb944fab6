// Verifies AWS Signature Version 4 as an IAM-access OpenSearch domain does, against the local key pair.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { SignatureV4 } from "@smithy/signature-v4";

export interface LocalCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

type Data = string | ArrayBuffer | ArrayBufferView;
const bytes = (d: Data) =>
  typeof d === "string"
    ? d
    : d instanceof ArrayBuffer
      ? new Uint8Array(d)
      : new Uint8Array(d.buffer, d.byteOffset, d.byteLength);

class Sha256 {
  private readonly hash;
  constructor(secret?: Data) {
    this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", bytes(secret));
  }
  update(data: Data) {
    this.hash.update(bytes(data));
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
  reset() {}
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
  const names = signedHeaders!.split(";");
  if (!names.includes("host")) return "the host header is not signed";
  const headers = Object.fromEntries(names.map((n) => [n, [request.headers[n] ?? ""].flat().join(",")]));
  const url = new URL(request.url, `http://${String(request.headers.host)}`);
  const signer = new SignatureV4({ credentials, region: region!, service, sha256: Sha256 });
  const expected = await signer.sign(
    {
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      ...(request.body ? { body: request.body } : {}),
    },
    { signingDate: date },
  );
  const want = /Signature=([0-9a-f]{64})/.exec(String(expected.headers.authorization))?.[1] ?? "";
  const ok = want.length === 64 && timingSafeEqual(Buffer.from(want), Buffer.from(signature!));
  return ok ? undefined : "the request signature we calculated does not match the signature you provided";
}
