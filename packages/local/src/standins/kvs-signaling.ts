// Amazon Kinesis Video Streams signalling, the part calls use: the control plane's channel calls and the
// signalling endpoint's GetIceServerConfig (restJson, errors as AWS answers them). Credentials are TURN REST ones
// (username `<expiry>:<user>`, password base64 HMAC-SHA1) for the local coturn, which shares the secret.
import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** KVS's credential lifetime (a hard quota), which coturn enforces through the username's expiry. */
export const TURN_TTL_SECONDS = 300;
const MAX_BODY_BYTES = 64 * 1024;

export interface TurnCredentials {
  username: string;
  password: string;
}

/** TURN REST API credentials (draft-uberti-behave-turn-rest-00 §2.2), as coturn's `use-auth-secret` checks them. */
export function mintTurnCredentials(
  secret: string,
  userId: string,
  ttlSeconds = TURN_TTL_SECONDS,
  nowMs = Date.now(),
): TurnCredentials {
  const username = `${Math.floor(nowMs / 1000) + ttlSeconds}:${userId}`;
  return { username, password: createHmac("sha1", secret).update(username).digest("base64") };
}

export interface KvsSignalingOptions {
  region: string;
  accountId: string;
  /** The coturn that honours the minted credentials. */
  turn: { host: string; port: number; secret: string };
  log?: (line: string) => void;
}

export interface RunningKvsSignaling {
  /** Control plane and signalling endpoint in one origin, e.g. http://127.0.0.1:41234. */
  endpoint: string;
  stop(): Promise<void>;
}

interface Channel {
  name: string;
  arn: string;
  type: string;
  messageTtlSeconds: number;
  createdAt: Date;
}

class KvsError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const NAME = /^[a-zA-Z0-9_.-]{1,256}$/;
const ARN = /^arn:[a-z\d-]+:kinesisvideo:[a-z0-9-]+:[0-9]+:[a-z]+\/[a-zA-Z0-9_.-]+\/[0-9]+$/;
const CHANNEL_TYPES = ["SINGLE_MASTER", "FULL_MESH"];
const PROTOCOLS = ["WSS", "HTTPS", "WEBRTC"];
const ROLES = ["MASTER", "VIEWER"];

const invalid = (message: string) => new KvsError(400, "InvalidArgumentException", message);
const notFound = (message: string) => new KvsError(404, "ResourceNotFoundException", message);

function text(body: Record<string, unknown>, field: string, pattern: RegExp, required: boolean) {
  const value = body[field];
  if (value === undefined || value === null) {
    if (required)
      throw invalid(
        `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`,
      );
    return undefined;
  }
  if (typeof value !== "string" || !pattern.test(value))
    throw invalid(
      `1 validation error detected: Value '${String(value)}' at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern.source}`,
    );
  return value;
}

export async function startKvsSignaling(opts: KvsSignalingOptions): Promise<RunningKvsSignaling> {
  const channels = new Map<string, Channel>();
  const byArn = new Map<string, Channel>();
  let endpoint = "";

  const info = (c: Channel) => ({
    ChannelName: c.name,
    ChannelARN: c.arn,
    ChannelType: c.type,
    ChannelStatus: "ACTIVE",
    CreationTime: c.createdAt.getTime() / 1000,
    SingleMasterConfiguration: { MessageTtlSeconds: c.messageTtlSeconds },
    Version: "1",
  });
  const channelByArn = (body: Record<string, unknown>) => {
    const arn = text(body, "ChannelARN", ARN, true)!;
    const channel = byArn.get(arn);
    if (!channel) throw notFound(`The requested channel is not found or not active.`);
    return channel;
  };

  const operations: Record<string, (body: Record<string, unknown>) => unknown> = {
    "/createSignalingChannel": (body) => {
      const name = text(body, "ChannelName", NAME, true)!;
      const type = body.ChannelType ?? "SINGLE_MASTER";
      if (typeof type !== "string" || !CHANNEL_TYPES.includes(type))
        throw invalid(
          `Value '${String(type)}' at 'channelType' failed to satisfy constraint: Member must satisfy enum value set: [${CHANNEL_TYPES.join(", ")}]`,
        );
      const ttl =
        (body.SingleMasterConfiguration as { MessageTtlSeconds?: unknown } | undefined)?.MessageTtlSeconds ??
        60;
      if (typeof ttl !== "number" || !Number.isInteger(ttl) || ttl < 5 || ttl > 120)
        throw invalid("MessageTtlSeconds must be between 5 and 120.");
      if (Array.isArray(body.Tags) && body.Tags.length > 50) throw invalid("At most 50 tags per channel.");
      if (channels.has(name))
        throw new KvsError(400, "ResourceInUseException", `The signaling channel ${name} already exists.`);
      const createdAt = new Date();
      const arn = `arn:aws:kinesisvideo:${opts.region}:${opts.accountId}:channel/${name}/${createdAt.getTime()}`;
      const channel = { name, arn, type, messageTtlSeconds: ttl, createdAt };
      channels.set(name, channel);
      byArn.set(arn, channel);
      opts.log?.(`[kvs] created signaling channel ${name}`);
      return { ChannelARN: arn };
    },
    "/describeSignalingChannel": (body) => {
      const name = text(body, "ChannelName", NAME, false);
      const arn = text(body, "ChannelARN", ARN, false);
      if (!name && !arn) throw invalid("Either ChannelName or ChannelARN must be specified.");
      const channel = name ? channels.get(name) : byArn.get(arn!);
      if (!channel || (name && arn && channel.arn !== arn))
        throw notFound(`The requested channel is not found or not active.`);
      return { ChannelInfo: info(channel) };
    },
    "/getSignalingChannelEndpoint": (body) => {
      const channel = channelByArn(body);
      const config = (body.SingleMasterChannelEndpointConfiguration ?? {}) as {
        Protocols?: unknown;
        Role?: unknown;
      };
      const protocols = config.Protocols ?? ["WSS", "HTTPS"];
      if (
        !Array.isArray(protocols) ||
        protocols.length < 1 ||
        protocols.length > 5 ||
        protocols.some((p) => !PROTOCOLS.includes(p))
      )
        throw invalid(`Protocols must be 1 to 5 of ${PROTOCOLS.join(", ")}.`);
      const role = config.Role ?? "MASTER";
      if (typeof role !== "string" || !ROLES.includes(role))
        throw invalid(`Role must be one of ${ROLES.join(", ")}.`);
      if (channel.type !== "SINGLE_MASTER" && role === "MASTER")
        throw invalid("Only a SINGLE_MASTER channel has a master.");
      return {
        ResourceEndpointList: [...new Set(protocols as string[])].map((protocol) => ({
          Protocol: protocol,
          ResourceEndpoint: protocol === "WSS" ? endpoint.replace(/^http/, "ws") : endpoint,
        })),
      };
    },
    "/v1/get-ice-server-config": (body) => {
      const channel = channelByArn(body);
      const clientId = text(body, "ClientId", NAME, false);
      const username = text(body, "Username", NAME, false);
      const service = body.Service ?? "TURN";
      if (service !== "TURN")
        throw invalid(
          `Value '${String(service)}' at 'service' failed to satisfy constraint: Member must satisfy enum value set: [TURN]`,
        );
      const credentials = mintTurnCredentials(opts.turn.secret, clientId ?? username ?? channel.name);
      const base = `turn:${opts.turn.host}:${opts.turn.port}`;
      return {
        IceServerList: [
          {
            Uris: [`${base}?transport=udp`, `${base}?transport=tcp`],
            Username: credentials.username,
            Password: credentials.password,
            Ttl: TURN_TTL_SECONDS,
          },
        ],
      };
    },
  };

  const send = (res: ServerResponse, status: number, body: unknown, errorType?: string) => {
    const json = JSON.stringify(body);
    res.writeHead(status, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(json),
      ...(errorType ? { "x-amzn-errortype": errorType } : {}),
    });
    res.end(json);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    try {
      const operation =
        req.method === "POST" ? operations[new URL(req.url ?? "/", "http://x").pathname] : undefined;
      if (!operation)
        throw new KvsError(404, "UnknownOperationException", `No operation at ${req.method} ${req.url}`);
      // Every AWS client signs; an unsigned request is refused before anything else is looked at.
      if (!req.headers.authorization?.startsWith("AWS4-HMAC-SHA256 "))
        throw new KvsError(403, "MissingAuthenticationTokenException", "Missing Authentication Token");
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of req) {
        size += (chunk as Buffer).length;
        if (size > MAX_BODY_BYTES) throw invalid("Request body too large.");
        chunks.push(chunk as Buffer);
      }
      let body: unknown;
      try {
        body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : {};
      } catch {
        throw new KvsError(400, "SerializationException", "The request body is not valid JSON.");
      }
      if (typeof body !== "object" || body === null || Array.isArray(body))
        throw new KvsError(400, "SerializationException", "The request body is not a JSON object.");
      send(res, 200, operation(body as Record<string, unknown>));
    } catch (error) {
      if (error instanceof KvsError) send(res, error.status, { message: error.message }, error.type);
      else {
        opts.log?.(`[kvs] ${String(error)}`);
        send(res, 500, { message: "Internal error" }, "InternalFailure");
      }
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
