// A few STUN/TURN messages over UDP (RFC 5389, RFC 5766): the coturn health check and the tests' Allocate.
import { createHash, createHmac, randomBytes } from "node:crypto";
import { createSocket } from "node:dgram";

const MAGIC_COOKIE = 0x2112a442;
const HEADER_BYTES = 20;

export const STUN = {
  bindingRequest: 0x0001,
  bindingSuccess: 0x0101,
  allocateRequest: 0x0003,
  allocateSuccess: 0x0103,
  allocateError: 0x0113,
} as const;

export const ATTR = {
  username: 0x0006,
  messageIntegrity: 0x0008,
  errorCode: 0x0009,
  lifetime: 0x000d,
  realm: 0x0014,
  nonce: 0x0015,
  xorRelayedAddress: 0x0016,
  requestedTransport: 0x0019,
  xorMappedAddress: 0x0020,
  fingerprint: 0x8028,
} as const;

export interface StunAttribute {
  type: number;
  value: Buffer;
}

export interface StunMessage {
  type: number;
  transactionId: Buffer;
  attributes: StunAttribute[];
}

function attribute(type: number, value: Buffer): Buffer {
  const padded = Buffer.alloc(4 + Math.ceil(value.length / 4) * 4);
  padded.writeUInt16BE(type, 0);
  padded.writeUInt16BE(value.length, 2);
  value.copy(padded, 4);
  return padded;
}

/** RFC 5389 §15.4: long-term credentials hash MD5(username ":" realm ":" password) into the HMAC key. */
export function longTermKey(username: string, realm: string, password: string): Buffer {
  return createHash("md5").update(`${username}:${realm}:${password}`).digest();
}

/** Encodes a message; with `integrityKey` it ends in MESSAGE-INTEGRITY (HMAC-SHA1, RFC 5389 §15.4). */
export function encodeStun(
  message: Omit<StunMessage, "transactionId"> & { transactionId?: Buffer },
  integrityKey?: Buffer,
): Buffer {
  const transactionId = message.transactionId ?? randomBytes(12);
  const body = Buffer.concat(message.attributes.map((a) => attribute(a.type, a.value)));
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt16BE(message.type, 0);
  header.writeUInt32BE(MAGIC_COOKIE, 4);
  transactionId.copy(header, 8);
  if (!integrityKey) {
    header.writeUInt16BE(body.length, 2);
    return Buffer.concat([header, body]);
  }
  // The length covers the MESSAGE-INTEGRITY attribute itself while the HMAC is computed over what precedes it.
  header.writeUInt16BE(body.length + 24, 2);
  const hmac = createHmac("sha1", integrityKey)
    .update(Buffer.concat([header, body]))
    .digest();
  return Buffer.concat([header, body, attribute(ATTR.messageIntegrity, hmac)]);
}

export function decodeStun(buf: Buffer): StunMessage {
  if (buf.length < HEADER_BYTES || buf.readUInt32BE(4) !== MAGIC_COOKIE)
    throw new Error("not a STUN message");
  const length = buf.readUInt16BE(2);
  const attributes: StunAttribute[] = [];
  for (let offset = HEADER_BYTES; offset + 4 <= HEADER_BYTES + length && offset + 4 <= buf.length; ) {
    const type = buf.readUInt16BE(offset);
    const size = buf.readUInt16BE(offset + 2);
    attributes.push({ type, value: buf.subarray(offset + 4, offset + 4 + size) });
    offset += 4 + Math.ceil(size / 4) * 4;
  }
  return { type: buf.readUInt16BE(0), transactionId: buf.subarray(8, 20), attributes };
}

export const attr = (m: StunMessage, type: number) => m.attributes.find((a) => a.type === type)?.value;

/** ERROR-CODE (RFC 5389 §15.6) as a number, e.g. 401. */
export function errorCode(m: StunMessage): number | undefined {
  const value = attr(m, ATTR.errorCode);
  return value ? (value[2]! & 0x7) * 100 + value[3]! : undefined;
}

/** A UDP socket that sends requests and resolves each with the answer carrying its transaction id. */
function udpClient() {
  const socket = createSocket("udp4");
  const pending = new Map<string, (m: StunMessage) => void>();
  socket.on("message", (data) => {
    try {
      const message = decodeStun(data);
      pending.get(message.transactionId.toString("hex"))?.(message);
    } catch {}
  });
  return {
    request(host: string, port: number, request: Buffer, timeoutMs: number): Promise<StunMessage> {
      const id = request.subarray(8, 20).toString("hex");
      return new Promise<StunMessage>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`no STUN answer from ${host}:${port} in ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, (message) => {
          clearTimeout(timer);
          pending.delete(id);
          resolve(message);
        });
        socket.send(request, port, host, (error) => {
          if (!error) return;
          clearTimeout(timer);
          pending.delete(id);
          reject(error);
        });
      });
    },
    close: () => socket.close(),
  };
}

/** Sends one request over UDP and resolves with its answer. */
export async function stunRequest(host: string, port: number, request: Buffer, timeoutMs = 2000) {
  const client = udpClient();
  try {
    return await client.request(host, port, request, timeoutMs);
  } finally {
    client.close();
  }
}

/**
 * TURN Allocate for UDP relaying with long-term credentials: the 401 challenge, then the signed request from the
 * same socket (coturn ties the nonce to the client's address and port).
 */
export async function turnAllocate(args: {
  host: string;
  port: number;
  username: string;
  password: string;
  timeoutMs?: number;
}): Promise<StunMessage> {
  const timeoutMs = args.timeoutMs ?? 2000;
  // REQUESTED-TRANSPORT: protocol 17 (UDP), then three reserved bytes (RFC 5766 §14.7).
  const transport = { type: ATTR.requestedTransport, value: Buffer.from([17, 0, 0, 0]) };
  const client = udpClient();
  try {
    const challenge = await client.request(
      args.host,
      args.port,
      encodeStun({ type: STUN.allocateRequest, attributes: [transport] }),
      timeoutMs,
    );
    const realm = attr(challenge, ATTR.realm);
    const nonce = attr(challenge, ATTR.nonce);
    if (errorCode(challenge) !== 401 || !realm || !nonce) return challenge;
    const signed = encodeStun(
      {
        type: STUN.allocateRequest,
        attributes: [
          transport,
          { type: ATTR.username, value: Buffer.from(args.username) },
          { type: ATTR.realm, value: realm },
          { type: ATTR.nonce, value: nonce },
        ],
      },
      longTermKey(args.username, realm.toString(), args.password),
    );
    return await client.request(args.host, args.port, signed, timeoutMs);
  } finally {
    client.close();
  }
}
