export * as IceServers from "./index";

// ICE servers for a call: short-lived TURN credentials from Amazon Kinesis Video Streams signalling channels
// (GetSignalingChannelEndpoint + GetIceServerConfig). Locally the same calls reach the KVS stand-in and coturn.
import { createHash } from "node:crypto";
import type { IceServer } from "@asyncsns/realtime";
import {
  CreateSignalingChannelCommand,
  DescribeSignalingChannelCommand,
  GetSignalingChannelEndpointCommand,
  KinesisVideoClient,
  ResourceInUseException,
  ResourceNotFoundException,
} from "@aws-sdk/client-kinesis-video";
import {
  GetIceServerConfigCommand,
  KinesisVideoSignalingClient,
  type IceServer as KvsIceServer,
} from "@aws-sdk/client-kinesis-video-signaling";
import { Resource } from "sst";
import { z } from "zod";
import { VisibleError } from "../error";
import { traced } from "../trace";

/** KVS's TURN credentials live five minutes (a hard quota); clients ask again before an ICE restart. */
export const CREDENTIAL_TTL_SECONDS = 300;
/** The whole lookup, every SDK call included: a call answers with an error rather than hang on KVS. */
export const DEADLINE_MS = 4000;
// A channel made by CreateSignalingChannel is CREATING for a moment; GetSignalingChannelEndpoint wants ACTIVE.
const ACTIVE_POLL_MS = 250;

export const ForCallInput = z.object({ callId: z.string().min(1), userId: z.string().min(1) });

/**
 * The channel a call uses: a stable hash of its id over the stage's pool, so both participants share one channel
 * and calls spread over the pool (GetIceServerConfig allows 5 TPS per channel, see infra/ice.ts).
 */
export function channelFor(callId: string, channels: readonly string[]): string {
  if (channels.length === 0) throw new Error("ice: the CallSignaling link lists no channels");
  const n = createHash("sha256").update(callId).digest().readUInt32BE(0);
  return channels[n % channels.length]!;
}

/** KVS's IceServerList as RTCIceServers; an entry without URIs or credentials is of no use to a browser. */
export function toIceServers(list: readonly KvsIceServer[] | undefined): IceServer[] {
  return (list ?? []).flatMap((s) =>
    s.Uris?.length && s.Username && s.Password
      ? [{ urls: [...s.Uris], username: s.Username, credential: s.Password }]
      : [],
  );
}

/** `Resource.CallSignaling` (infra/ice.ts); typed here because sst-env lists a link only once a function uses it. */
const link = () => (Resource as unknown as { CallSignaling: { channels: string[] } }).CallSignaling;

const unavailable = () =>
  new VisibleError(
    "unavailable",
    "call.ice_unavailable",
    "The call relay is not available right now. Please try again in a moment.",
  );

// One retry inside the deadline: the SDK's default three attempts with backoff could outlast it.
const control = traced(new KinesisVideoClient({ maxAttempts: 2 }));
const signalling = new Map<string, KinesisVideoSignalingClient>();

interface Channel {
  arn: string;
  /** The HTTPS endpoint GetIceServerConfig is sent to. */
  endpoint: string;
}
/** Per container: the channel's ARN and endpoint do not change while it exists. */
const channelCache = new Map<string, Promise<Channel>>();

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", abort, { once: true });
  });

async function describe(name: string, abortSignal: AbortSignal) {
  try {
    const out = await control.send(new DescribeSignalingChannelCommand({ ChannelName: name }), {
      abortSignal,
    });
    return out.ChannelInfo;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

/** The channel's ARN, creating it on first use; two containers racing both end up with the one channel. */
async function channelArn(name: string, abortSignal: AbortSignal): Promise<string> {
  let info = await describe(name, abortSignal);
  if (!info) {
    try {
      await control.send(
        new CreateSignalingChannelCommand({ ChannelName: name, ChannelType: "SINGLE_MASTER" }),
        {
          abortSignal,
        },
      );
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
    info = await describe(name, abortSignal);
  }
  while (info?.ChannelStatus === "CREATING") {
    await sleep(ACTIVE_POLL_MS, abortSignal);
    info = await describe(name, abortSignal);
  }
  if (!info?.ChannelARN || info.ChannelStatus !== "ACTIVE")
    throw new Error(`ice: channel ${name} is ${info?.ChannelStatus ?? "missing"}`);
  return info.ChannelARN;
}

async function resolveChannel(name: string, abortSignal: AbortSignal): Promise<Channel> {
  const arn = await channelArn(name, abortSignal);
  const out = await control.send(
    new GetSignalingChannelEndpointCommand({
      ChannelARN: arn,
      SingleMasterChannelEndpointConfiguration: { Protocols: ["HTTPS"], Role: "MASTER" },
    }),
    { abortSignal },
  );
  const endpoint = out.ResourceEndpointList?.find((e) => e.Protocol === "HTTPS")?.ResourceEndpoint;
  if (!endpoint) throw new Error(`ice: no HTTPS endpoint for channel ${name}`);
  return { arn, endpoint };
}

function channel(name: string, abortSignal: AbortSignal): Promise<Channel> {
  let cached = channelCache.get(name);
  if (!cached) {
    cached = resolveChannel(name, abortSignal);
    channelCache.set(name, cached);
    // A failed lookup is not remembered: the next call tries again.
    cached.catch(() => channelCache.delete(name));
  }
  return cached;
}

function signallingClient(endpoint: string): KinesisVideoSignalingClient {
  let client = signalling.get(endpoint);
  if (!client) {
    client = traced(new KinesisVideoSignalingClient({ endpoint, maxAttempts: 2 }));
    signalling.set(endpoint, client);
  }
  return client;
}

/**
 * TURN servers with credentials for one participant of a call (KVS's TTL: five minutes). Throws
 * `call.ice_unavailable` (503) when KVS fails or does not answer within DEADLINE_MS.
 */
export async function forCall(input: { callId: string; userId: string }): Promise<IceServer[]> {
  const { callId, userId } = ForCallInput.parse(input);
  const name = channelFor(callId, link().channels);
  const abortSignal = AbortSignal.timeout(DEADLINE_MS);
  try {
    const { arn, endpoint } = await channel(name, abortSignal);
    const out = await signallingClient(endpoint).send(
      new GetIceServerConfigCommand({ ChannelARN: arn, ClientId: userId, Service: "TURN" }),
      { abortSignal },
    );
    const servers = toIceServers(out.IceServerList);
    if (servers.length === 0) throw new Error("ice: GetIceServerConfig answered no usable server");
    return servers;
  } catch (error) {
    console.warn(JSON.stringify({ msg: "ice: KVS failed", channel: name, error: `${error}` }));
    throw unavailable();
  }
}
