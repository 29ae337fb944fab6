// A browser's push service and user agent in one: hands out subscriptions, checks each push's VAPID JWT
// (RFC 8292), decrypts its aes128gcm payload (RFC 8291 + RFC 8188) with the subscription's private key, and
// records what arrived. Headless Chromium has no push service: tests and the e2e suite read this one.
import {
  createDecipheriv,
  createECDH,
  createPublicKey,
  type ECDH,
  hkdfSync,
  randomBytes,
  randomUUID,
  verify,
} from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** RFC 8030 §7.2: a push service must accept 4096 bytes of payload; ours refuses more, as theirs may. */
export const MAX_BODY_BYTES = 4096;
/** RFC 8292 §2: a JWT's `exp` at most 24 hours ahead. */
const MAX_JWT_LIFETIME_S = 24 * 3600;
const URGENCIES = ["very-low", "low", "normal", "high"];

export interface ReceivedPush {
  receivedAt: number;
  ttl: number;
  urgency: string;
  topic: string | null;
  /** The decrypted payload, parsed as JSON (a string when it is not JSON, null when there was no body). */
  payload: unknown;
  /** Size of the encrypted body. */
  bytes: number;
}

export interface RunningPushService {
  /** Origin, e.g. http://127.0.0.1:41234; endpoints are `<origin>/push/<id>`. */
  endpoint: string;
  stop(): Promise<void>;
}

interface Subscription {
  ecdh: ECDH;
  auth: Buffer;
  applicationServerKey?: Buffer;
  removed: boolean;
  received: ReceivedPush[];
  failures: { status: number; times: number };
}

class PushError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

// ---- RFC 8291 / RFC 8188 decryption ----

export interface UserAgentKeys {
  /** The subscription's private ECDH key (P-256). */
  ecdh: ECDH;
  /** The 16-byte auth secret. */
  auth: Buffer;
}

/** Decrypts an `aes128gcm` push body for the user agent that holds `keys`. */
export function decryptPush(body: Buffer, keys: UserAgentKeys): Buffer {
  if (body.length < 21) throw new PushError(400, "aes128gcm: body shorter than its header");
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idLength = body[20]!;
  const senderPublic = body.subarray(21, 21 + idLength);
  if (rs < 18) throw new PushError(400, "aes128gcm: record size too small");
  if (senderPublic.length !== 65) throw new PushError(400, "aes128gcm: keyid is not the sender's P-256 key");
  let shared: Buffer;
  try {
    shared = keys.ecdh.computeSecret(senderPublic);
  } catch {
    throw new PushError(400, "aes128gcm: keyid is not a P-256 point");
  }
  const receiverPublic = keys.ecdh.getPublicKey();
  // RFC 8291 §3.4: the input keying material mixes the auth secret and both public keys.
  const keyInfo = Buffer.concat([Buffer.from("WebPush: info\0"), receiverPublic, senderPublic]);
  const ikm = Buffer.from(hkdfSync("sha256", shared, keys.auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: aes128gcm\0"), 16));
  const nonceBase = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: nonce\0"), 12));

  const records = body.subarray(21 + idLength);
  if (records.length === 0) throw new PushError(400, "aes128gcm: no records");
  const plain: Buffer[] = [];
  for (let offset = 0, seq = 0; offset < records.length; offset += rs, seq++) {
    const record = records.subarray(offset, offset + rs);
    const last = offset + rs >= records.length;
    if (record.length < 17) throw new PushError(400, "aes128gcm: truncated record");
    // RFC 8188 §2.3: the nonce is the base XOR the record's sequence number.
    const nonce = Buffer.from(nonceBase);
    nonce.writeUInt32BE((nonce.readUInt32BE(8) ^ seq) >>> 0, 8);
    const decipher = createDecipheriv("aes-128-gcm", cek, nonce);
    decipher.setAuthTag(record.subarray(record.length - 16));
    let padded: Buffer;
    try {
      padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
    } catch {
      throw new PushError(400, "aes128gcm: decryption failed");
    }
    // Data, then a delimiter (2 on the last record, 1 before), then zero padding.
    let end = padded.length - 1;
    while (end >= 0 && padded[end] === 0) end--;
    if (end < 0 || padded[end] !== (last ? 2 : 1)) throw new PushError(400, "aes128gcm: bad padding");
    plain.push(padded.subarray(0, end));
  }
  return Buffer.concat(plain);
}

// ---- RFC 8292 VAPID ----

export interface VapidCheck {
  /** The endpoint's origin: the JWT's `aud` must be exactly this. */
  audience: string;
  /** The key given to subscribe(), if any: `k` must be it. */
  applicationServerKey?: Buffer;
  /** Seconds since the epoch (tests). */
  now?: number;
}

/** Verifies `Authorization: vapid t=<JWT>, k=<key>`; throws 401 (bad token) or 403 (not the subscribing key). */
export function verifyVapid(authorization: string | undefined, check: VapidCheck): { sub: string } {
  const unauthorized = (why: string) => new PushError(401, `VAPID: ${why}`);
  const match = /^vapid\s+(.*)$/i.exec(authorization ?? "");
  if (!match) throw unauthorized("missing Authorization: vapid t=…, k=…");
  const params = Object.fromEntries(
    match[1]!.split(",").map((part) => {
      const i = part.indexOf("=");
      return [part.slice(0, i).trim().toLowerCase(), part.slice(i + 1).trim()];
    }),
  );
  const token = params.t;
  const key = params.k ? Buffer.from(params.k, "base64url") : undefined;
  if (!token || !key) throw unauthorized("t and k are both required");
  if (key.length !== 65 || key[0] !== 0x04) throw unauthorized("k is not an uncompressed P-256 key");
  const [header64, claims64, signature64] = token.split(".");
  if (!header64 || !claims64 || !signature64) throw unauthorized("t is not a JWT");
  let header: { alg?: string };
  let claims: { aud?: unknown; exp?: unknown; sub?: unknown };
  try {
    header = JSON.parse(Buffer.from(header64, "base64url").toString());
    claims = JSON.parse(Buffer.from(claims64, "base64url").toString());
  } catch {
    throw unauthorized("t is not a JWT");
  }
  if (header.alg !== "ES256") throw unauthorized("alg is not ES256");
  let publicKey: ReturnType<typeof createPublicKey>;
  try {
    publicKey = createPublicKey({
      key: {
        kty: "EC",
        crv: "P-256",
        x: key.subarray(1, 33).toString("base64url"),
        y: key.subarray(33).toString("base64url"),
      },
      format: "jwk",
    });
  } catch {
    throw unauthorized("k is not a point on P-256");
  }
  const signed = verify(
    "sha256",
    Buffer.from(`${header64}.${claims64}`),
    { key: publicKey, dsaEncoding: "ieee-p1363" },
    Buffer.from(signature64, "base64url"),
  );
  if (!signed) throw unauthorized("the signature does not verify with k");
  if (claims.aud !== check.audience) throw unauthorized(`aud is not ${check.audience}`);
  const now = check.now ?? Math.floor(Date.now() / 1000);
  if (typeof claims.exp !== "number" || claims.exp <= now) throw unauthorized("the token has expired");
  if (claims.exp > now + MAX_JWT_LIFETIME_S) throw unauthorized("exp is more than 24 hours ahead");
  if (typeof claims.sub !== "string" || claims.sub === "") throw unauthorized("sub is missing");
  if (check.applicationServerKey && !check.applicationServerKey.equals(key))
    throw new PushError(403, "VAPID: k is not the applicationServerKey the subscription was made with");
  return { sub: claims.sub };
}

// ---- the HTTP service ----

export interface PushServiceOptions {
  log?: (line: string) => void;
}

export async function startPushService(opts: PushServiceOptions = {}): Promise<RunningPushService> {
  const subscriptions = new Map<string, Subscription>();
  let origin = "";

  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", origin);
    const body = await readBody(req);
    const parts = url.pathname.split("/").filter(Boolean);

    if (req.method === "POST" && url.pathname === "/subscriptions") {
      const { applicationServerKey } = body.length
        ? (parseJson(body) as { applicationServerKey?: string })
        : {};
      const serverKey = applicationServerKey ? Buffer.from(applicationServerKey, "base64url") : undefined;
      if (serverKey && (serverKey.length !== 65 || serverKey[0] !== 0x04))
        throw new PushError(400, "applicationServerKey is not an uncompressed P-256 key");
      // What a browser makes at pushManager.subscribe(): a P-256 key pair and a 16-byte auth secret.
      const ecdh = createECDH("prime256v1");
      ecdh.generateKeys();
      const id = randomUUID();
      subscriptions.set(id, {
        ecdh,
        auth: randomBytes(16),
        ...(serverKey ? { applicationServerKey: serverKey } : {}),
        removed: false,
        received: [],
        failures: { status: 0, times: 0 },
      });
      const sub = subscriptions.get(id)!;
      return json(res, 201, {
        endpoint: `${origin}/push/${id}`,
        keys: { p256dh: ecdh.getPublicKey().toString("base64url"), auth: sub.auth.toString("base64url") },
      });
    }

    if (parts[0] !== "push" || !parts[1] || parts.length > 3) throw new PushError(404, "not found");
    const sub = subscriptions.get(parts[1]);
    const action = `${req.method} ${parts[2] ?? ""}`;

    if (action === "GET received") {
      if (!sub) throw new PushError(404, "no such subscription");
      return json(res, 200, { items: sub.received });
    }
    if (action === "POST fail") {
      if (!sub) throw new PushError(404, "no such subscription");
      const { status, times } = parseJson(body) as { status?: unknown; times?: unknown };
      if (!Number.isInteger(status) || !Number.isInteger(times))
        throw new PushError(400, "status and times must be integers");
      sub.failures = { status: status as number, times: times as number };
      return json(res, 204);
    }
    if (action === "DELETE ") {
      // The browser unsubscribed: its push service forgets the endpoint.
      if (sub) sub.removed = true;
      return json(res, 204);
    }
    if (action !== "POST ") throw new PushError(405, "method not allowed");

    if (!sub || sub.removed) throw new PushError(410, "the subscription has expired or was removed");
    if (sub.failures.times > 0) {
      sub.failures.times--;
      throw new PushError(sub.failures.status, "injected failure");
    }
    verifyVapid(header(req, "authorization"), {
      audience: origin,
      ...(sub.applicationServerKey ? { applicationServerKey: sub.applicationServerKey } : {}),
    });
    const ttlHeader = header(req, "ttl");
    if (ttlHeader === undefined || !/^\d+$/.test(ttlHeader))
      throw new PushError(400, "a TTL header is required");
    const urgency = header(req, "urgency") ?? "normal";
    if (!URGENCIES.includes(urgency))
      throw new PushError(400, `Urgency ${urgency} is not one of ${URGENCIES}`);
    const topic = header(req, "topic") ?? null;
    if (topic !== null && !/^[A-Za-z0-9_-]{1,32}$/.test(topic))
      throw new PushError(400, "Topic must be at most 32 base64url characters");
    if (body.length > MAX_BODY_BYTES) throw new PushError(413, `payload over ${MAX_BODY_BYTES} bytes`);
    let payload: unknown = null;
    if (body.length > 0) {
      if (header(req, "content-encoding") !== "aes128gcm")
        throw new PushError(415, "Content-Encoding must be aes128gcm");
      const text = decryptPush(body, sub).toString("utf8");
      try {
        payload = JSON.parse(text);
      } catch {
        payload = text;
      }
    }
    sub.received.push({
      receivedAt: Date.now(),
      ttl: Number(ttlHeader),
      urgency,
      topic,
      payload,
      bytes: body.length,
    });
    res.setHeader("Location", `${origin}/message/${randomUUID()}`);
    return json(res, 201);
  };

  const server = createServer((req, res) => {
    serve(req, res).catch((err: unknown) => {
      const status = err instanceof PushError ? err.status : 500;
      if (status === 500) opts.log?.(`[push] ${req.method} ${req.url}: ${String(err)}`);
      json(res, status, { error: err instanceof Error ? err.message : String(err) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  let stopping: Promise<void> | undefined;
  return {
    endpoint: origin,
    stop: () => {
      stopping ??= new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      return stopping;
    },
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Far past any push: stop reading rather than buffer whatever is sent.
    if (size > 16 * MAX_BODY_BYTES) throw new PushError(413, "body too large");
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw new PushError(400, "the body is not JSON");
  }
}

function json(res: ServerResponse, status: number, body?: unknown) {
  if (res.headersSent) return;
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}
