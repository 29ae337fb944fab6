// SigV4 on an Authorization header, as AWS checks the calls of an SDK client (here: the @connections API).
// "Create a signed AWS API request": https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv4-create-signed-request.html
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import { amzDate, signingKey } from "../standins/s3-gate";

export interface SigV4Failure {
  status: 403;
  type: string;
  message: string;
}

const rfc3986 = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Services other than S3 sign the normalised path with each segment encoded again. */
function canonicalPath(rawPath: string): string {
  const segments: string[] = [];
  for (const s of rawPath.split("/")) {
    if (!s || s === ".") continue;
    if (s === "..") segments.pop();
    else segments.push(s);
  }
  const path = `/${segments.join("/")}${segments.length && rawPath.endsWith("/") ? "/" : ""}`;
  return rfc3986(path).replace(/%2F/g, "/");
}

function canonicalQuery(search: string): string {
  return [...new URLSearchParams(search).entries()]
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
}

/** Undefined when the request is signed by `credentials` for `service`; else how AWS refuses it. */
export function checkSigV4(
  req: IncomingMessage,
  body: Buffer,
  credentials: { accessKeyId: string; secretAccessKey: string },
  service: string,
  now = Date.now(),
): SigV4Failure | undefined {
  const auth = req.headers.authorization ?? "";
  const m =
    /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]+)$/.exec(
      auth.trim(),
    );
  if (!m)
    return {
      status: 403,
      type: "MissingAuthenticationTokenException",
      message: "Missing Authentication Token",
    };
  const [, credential, signedHeaderList, signature] = m;
  const [keyId, date, region, scopeService, terminator] = credential!.split("/");
  if (keyId !== credentials.accessKeyId)
    return {
      status: 403,
      type: "UnrecognizedClientException",
      message: "The security token included in the request is invalid.",
    };
  const xAmzDate = String(req.headers["x-amz-date"] ?? "");
  const signedAt = amzDate(xAmzDate);
  if (
    scopeService !== service ||
    terminator !== "aws4_request" ||
    !Number.isFinite(signedAt) ||
    xAmzDate.slice(0, 8) !== date
  )
    return {
      status: 403,
      type: "InvalidSignatureException",
      message: `Credential should be scoped to correct service: '${service}'.`,
    };
  if (Math.abs(now - signedAt) > 15 * 60_000)
    return {
      status: 403,
      type: "InvalidSignatureException",
      message: `Signature expired: ${xAmzDate} is now earlier than the allowed 15 minutes.`,
    };
  const ok = signatureMatches(req, body, credentials, {
    date: date!,
    region: region!,
    service,
    xAmzDate,
    signedHeaderList: signedHeaderList!,
    signature: signature!,
  });
  if (!ok)
    return {
      status: 403,
      type: "InvalidSignatureException",
      message:
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
    };
  return undefined;
}

/** Recomputes a header-signed request's signature (canonical request, string to sign) and compares it. */
export function signatureMatches(
  req: { method?: string; url?: string; headers: IncomingHttpHeaders },
  body: Buffer | string,
  credentials: { secretAccessKey: string },
  scope: {
    date: string;
    region: string;
    service: string;
    xAmzDate: string;
    signedHeaderList: string;
    signature: string;
  },
): boolean {
  const signedHeaders = scope.signedHeaderList.split(";");
  if (!signedHeaders.includes("host")) return false;
  const [rawPath = "/", search = ""] = (req.url ?? "/").split("?");
  const canonicalRequest = [
    req.method,
    canonicalPath(rawPath),
    canonicalQuery(search),
    signedHeaders
      .map((h) => {
        const v = req.headers[h];
        return `${h}:${(Array.isArray(v) ? v.join(",") : (v ?? "")).trim().replace(/\s+/g, " ")}\n`;
      })
      .join(""),
    scope.signedHeaderList,
    createHash("sha256").update(body).digest("hex"),
  ].join("\n");
  const stringToSign = [
    "AWS4-HMAC-SHA256",
    scope.xAmzDate,
    `${scope.date}/${scope.region}/${scope.service}/aws4_request`,
    createHash("sha256").update(canonicalRequest).digest("hex"),
  ].join("\n");
  const expected = createHmac(
    "sha256",
    signingKey(credentials.secretAccessKey, scope.date, scope.region, scope.service),
  )
    .update(stringToSign)
    .digest("hex");
  return (
    expected.length === scope.signature.length &&
    timingSafeEqual(Buffer.from(expected), Buffer.from(scope.signature))
  );
}
