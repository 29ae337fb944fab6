// A Router's routeBucket path → the bucket behind it, as CloudFront with OAC reads it.
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";

const PASS_REQUEST = ["range", "if-none-match", "if-modified-since", "if-match", "if-range"];
const PASS_RESPONSE = [
  "content-type",
  "content-length",
  "content-range",
  "accept-ranges",
  "etag",
  "last-modified",
  "cache-control",
  "content-disposition",
  "content-encoding",
];

export interface BucketRouteOptions {
  s3Endpoint: string;
  bucket: string;
  rewrite?: { regex: string; to: string };
}

export async function serveBucket(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  o: BucketRouteOptions,
) {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { allow: "GET, HEAD" });
    res.end();
    return;
  }
  const path = o.rewrite ? url.pathname.replace(new RegExp(o.rewrite.regex), o.rewrite.to) : url.pathname;
  const key = s3Key(path);
  const headers: Record<string, string> = {};
  for (const h of PASS_REQUEST) {
    const v = req.headers[h];
    if (typeof v === "string") headers[h] = v;
  }
  const upstream = key
    ? await fetch(`${o.s3Endpoint}/${o.bucket}/${key.split("/").map(encodeURIComponent).join("/")}`, {
        method: req.method,
        headers,
      })
    : undefined;
  // OAC grants s3:GetObject only, so S3 answers a missing key with 403 AccessDenied, not 404.
  if (!upstream || upstream.status === 404) {
    await upstream?.body?.cancel();
    const body =
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>';
    res.writeHead(403, {
      "content-type": "application/xml",
      "content-length": String(Buffer.byteLength(body)),
    });
    res.end(req.method === "HEAD" ? undefined : body);
    return;
  }
  const out: Record<string, string> = {};
  for (const h of PASS_RESPONSE) {
    const v = upstream.headers.get(h);
    if (v) out[h] = v;
  }
  res.writeHead(upstream.status, out);
  if (!upstream.body || req.method === "HEAD") {
    await upstream.body?.cancel();
    res.end();
    return;
  }
  Readable.fromWeb(upstream.body as import("node:stream/web").ReadableStream).pipe(res);
}

/** S3 takes keys literally but s3rver resolves dot segments on disk: refuse them, as S3 misses the key. */
export function s3Key(path: string): string | undefined {
  let key: string;
  try {
    key = decodeURIComponent(path.replace(/^\//, ""));
  } catch {
    return undefined;
  }
  if (!key || key.includes("\\") || key.split("/").some((s) => s === "." || s === "..")) return undefined;
  return key;
}
