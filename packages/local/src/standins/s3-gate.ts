// In front of s3rver, which skips SigV4: refuses what S3 refuses on presigned POST uploads and presigned GETs.
// "Browser-based uploads using POST (AWS Signature Version 4)":
//   https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-UsingHTTPPOST.html
// "Creating a POST policy": https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
// "Authenticating Requests: Using Query Parameters (AWS Signature Version 4)":
//   https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from "node:http";

export interface GateCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export class S3Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const denied = (message: string) => new S3Refusal(403, "AccessDenied", message);
const byPolicy = (why: string) => denied(`Invalid according to Policy: ${why}`);
const mismatch = () =>
  new S3Refusal(
    403,
    "SignatureDoesNotMatch",
    "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
  );

const hmac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data).digest();

/** kSigning = HMAC chain over date, region, service and "aws4_request". */
export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), "aws4_request");
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `<key id>/<yyyymmdd>/<region>/<service>/aws4_request`, with the key id known and the scope well-formed. */
export function parseCredential(credential: string | undefined, creds: GateCredentials, service: string) {
  const parts = (credential ?? "").split("/");
  if (parts.length !== 5 || parts[4] !== "aws4_request" || parts[3] !== service || !/^\d{8}$/.test(parts[1]!))
    throw new S3Refusal(400, "AuthorizationQueryParametersError", "The credential scope is malformed.");
  if (parts[0] !== creds.accessKeyId)
    throw new S3Refusal(
      403,
      "InvalidAccessKeyId",
      "The AWS Access Key Id you provided does not exist in our records.",
    );
  return { date: parts[1]!, region: parts[2]!, service: parts[3]! };
}

/** `20250101T000000Z` → epoch ms, NaN when malformed. */
export function amzDate(value: string | undefined): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? "");
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : Number.NaN;
}

type Condition = Record<string, string> | [string, ...unknown[]];

/** Checks a POST form against its policy: signature, expiration, then every condition and every field. */
export function checkFormPolicy(
  fields: Map<string, string>,
  file: { size: number } | undefined,
  bucket: string,
  creds: GateCredentials,
  now = Date.now(),
): void {
  const policyB64 = fields.get("policy");
  const signature = fields.get("x-amz-signature");
  if (!policyB64 || !signature) throw denied("Access Denied");
  if (fields.get("x-amz-algorithm") !== "AWS4-HMAC-SHA256")
    throw new S3Refusal(400, "InvalidRequest", "Only AWS4-HMAC-SHA256 is supported.");
  const scope = parseCredential(fields.get("x-amz-credential"), creds, "s3");
  const expected = hmac(
    signingKey(creds.secretAccessKey, scope.date, scope.region, scope.service),
    policyB64,
  ).toString("hex");
  if (!sameHex(expected, signature)) throw mismatch();
  let policy: { expiration?: string; conditions?: Condition[] };
  try {
    policy = JSON.parse(Buffer.from(policyB64, "base64").toString("utf8"));
  } catch {
    throw new S3Refusal(400, "InvalidPolicyDocument", "Invalid Policy: Invalid JSON.");
  }
  const expiration = Date.parse(policy.expiration ?? "");
  if (!Number.isFinite(expiration)) throw byPolicy("Policy missing expiration.");
  if (expiration < now) throw byPolicy("Policy expired.");
  if (!Array.isArray(policy.conditions)) throw byPolicy("Policy missing conditions.");
  // The bucket is a field of the request even when the form leaves it out: it comes from the URL.
  const values = new Map(fields);
  values.set("bucket", bucket);
  const covered = new Set<string>(["bucket"]);
  for (const condition of policy.conditions) {
    if (Array.isArray(condition)) {
      const [op, a, b] = condition;
      if (op === "content-length-range") {
        const size = file?.size ?? 0;
        if (size > Number(b))
          throw new S3Refusal(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size");
        if (size < Number(a))
          throw new S3Refusal(
            400,
            "EntityTooSmall",
            "Your proposed upload is smaller than the minimum allowed size",
          );
        continue;
      }
      const name = String(a).replace(/^\$/, "").toLowerCase();
      const value = values.get(name) ?? "";
      covered.add(name);
      const ok =
        op === "eq" ? value === String(b) : op === "starts-with" ? value.startsWith(String(b)) : false;
      if (!ok) throw byPolicy(`Policy Condition failed: ${JSON.stringify(condition)}`);
      continue;
    }
    for (const [k, v] of Object.entries(condition)) {
      const name = k.toLowerCase();
      covered.add(name);
      if ((values.get(name) ?? "") !== String(v))
        throw byPolicy(`Policy Condition failed: ${JSON.stringify(["eq", `$${k}`, v])}`);
    }
  }
  // Every field but these must be named by a condition, else a client could add any header it likes.
  const extra = [...fields.keys()].filter(
    (k) =>
      !covered.has(k) &&
      k !== "policy" &&
      k !== "x-amz-signature" &&
      k !== "file" &&
      !k.startsWith("x-ignore-"),
  );
  if (extra.length) throw byPolicy(`Extra input fields: ${extra.join(", ")}`);
}

const encode = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** A presigned GET/HEAD/PUT: scope, expiry (X-Amz-Expires ≤ 7 days) and the signature over the canonical request. */
export function checkQueryAuth(
  method: string,
  rawPath: string,
  query: URLSearchParams,
  headers: IncomingMessage["headers"],
  creds: GateCredentials,
  now = Date.now(),
): void {
  if (query.get("X-Amz-Algorithm") !== "AWS4-HMAC-SHA256")
    throw new S3Refusal(
      400,
      "AuthorizationQueryParametersError",
      'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"',
    );
  const scope = parseCredential(query.get("X-Amz-Credential") ?? undefined, creds, "s3");
  const signedAt = amzDate(query.get("X-Amz-Date") ?? undefined);
  const expires = Number(query.get("X-Amz-Expires"));
  if (!Number.isFinite(signedAt) || !Number.isInteger(expires) || expires < 1 || expires > 604_800)
    throw new S3Refusal(
      400,
      "AuthorizationQueryParametersError",
      "X-Amz-Date and X-Amz-Expires must be valid.",
    );
  if (now > signedAt + expires * 1000) throw denied("Request has expired");
  const signedHeaders = (query.get("X-Amz-SignedHeaders") ?? "").split(";").filter(Boolean);
  if (!signedHeaders.includes("host"))
    throw new S3Refusal(400, "AuthorizationQueryParametersError", "Host must be a signed header.");
  const canonicalQuery = [...query.entries()]
    .filter(([k]) => k !== "X-Amz-Signature")
    .map(([k, v]) => [encode(k), encode(v)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
  const canonicalHeaders = signedHeaders
    .map((h) => {
      const v = headers[h];
      return `${h}:${(Array.isArray(v) ? v.join(",") : (v ?? "")).trim().replace(/\s+/g, " ")}\n`;
    })
    .join("");
  // S3 signs the path as sent (each segment encoded once), with no dot-segment normalising.
  const canonicalRequest = [
    method,
    rawPath,
    canonicalQuery,
    canonicalHeaders,
    signedHeaders.join(";"),
    "UNSIGNED-PAYLOAD",
  ].join("\n");
  const stringToSign = [
    "AWS4-HMAC-SHA256",
    query.get("X-Amz-Date"),
    `${scope.date}/${scope.region}/s3/aws4_request`,
    createHash("sha256").update(canonicalRequest).digest("hex"),
  ].join("\n");
  const expected = hmac(signingKey(creds.secretAccessKey, scope.date, scope.region, "s3"), stringToSign);
  if (!sameHex(expected.toString("hex"), query.get("X-Amz-Signature") ?? "")) throw mismatch();
}

export function errorXml(code: string, message: string): string {
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const id = randomBytes(8).toString("hex").toUpperCase();
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${esc(code)}</Code><Message>${esc(message)}</Message><RequestId>${id}</RequestId><HostId>${id}</HostId></Error>`;
}

function refuse(req: IncomingMessage, res: ServerResponse, refusal: S3Refusal) {
  const body = errorXml(refusal.code, refusal.message);
  res.writeHead(refusal.status, {
    "content-type": "application/xml",
    "content-length": String(Buffer.byteLength(body)),
    // Browsers read the refusal of a cross-origin form POST only with CORS headers, as S3 sends them.
    ...(req.headers.origin ? { "access-control-allow-origin": "*" } : {}),
    connection: "close",
  });
  res.end(req.method === "HEAD" ? undefined : body);
  req.resume();
}

async function readAll(req: IncomingMessage, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max)
      throw new S3Refusal(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const FILENAME_VARIABLE = ["$", "{filename}"].join("");

/** Parses a multipart form as S3 reads it: field names are case-insensitive, the file comes last. */
async function readForm(req: IncomingMessage, body: Buffer) {
  const form = await new Response(new Uint8Array(body), {
    headers: { "content-type": req.headers["content-type"] ?? "" },
  }).formData();
  const fields = new Map<string, string>();
  let file: { size: number; name: string } | undefined;
  for (const [name, value] of form as unknown as Iterable<[string, string | File]>) {
    if (typeof value === "string") fields.set(name.toLowerCase(), value);
    else if (name.toLowerCase() === "file") file = { size: value.size, name: value.name };
  }
  // "${filename}" in the key is the uploaded file's name, as S3 substitutes it.
  const key = fields.get("key");
  if (key && file) fields.set("key", key.replaceAll(FILENAME_VARIABLE, file.name));
  return { fields, file };
}

/** The largest single POST upload S3 accepts is 5 GB; locally, a bound that keeps the buffer sane. */
const MAX_FORM_BYTES = 1024 * 1024 * 1024;

function forward(req: IncomingMessage, res: ServerResponse, target: URL, body?: Buffer) {
  const headers = { ...req.headers };
  if (body) {
    delete headers["transfer-encoding"];
    headers["content-length"] = String(body.length);
  }
  const upstream = request(
    { hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on("error", () => {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
  if (body) upstream.end(body);
  else req.pipe(upstream);
}

/** Starts the gate on a loopback port; everything it does not refuse goes to s3rver unchanged. */
export async function startS3Gate(s3rverEndpoint: string, creds: GateCredentials): Promise<Server> {
  const target = new URL(s3rverEndpoint);
  const server = createServer((req, res) => {
    void (async () => {
      try {
        const url = new URL(req.url ?? "/", "http://gate");
        const rawPath = (req.url ?? "/").split("?")[0]!;
        const segments = rawPath.split("/").filter(Boolean);
        const isForm = /^multipart\/form-data/i.test(req.headers["content-type"] ?? "");
        if (req.method === "POST" && segments.length === 1 && isForm) {
          const body = await readAll(req, MAX_FORM_BYTES);
          const { fields, file } = await readForm(req, body);
          checkFormPolicy(fields, file, decodeURIComponent(segments[0]!), creds);
          return forward(req, res, target, body);
        }
        if (url.searchParams.has("X-Amz-Algorithm") || url.searchParams.has("X-Amz-Signature"))
          checkQueryAuth(req.method ?? "GET", rawPath, url.searchParams, req.headers, creds);
        forward(req, res, target);
      } catch (err) {
        if (err instanceof S3Refusal) return refuse(req, res, err);
        refuse(req, res, new S3Refusal(400, "InvalidRequest", (err as Error).message));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}
