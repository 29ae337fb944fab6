// The KVS signalling stand-in through the real AWS SDK clients, the app's ICE adapter against it, and the local
// coturn really authenticating the credentials it mints (a TURN Allocate over UDP, RFC 5766).
import { createHmac } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateSignalingChannelCommand,
  DescribeSignalingChannelCommand,
  GetSignalingChannelEndpointCommand,
  InvalidArgumentException,
  KinesisVideoClient,
  ResourceInUseException,
  ResourceNotFoundException,
} from "@aws-sdk/client-kinesis-video";
import {
  GetIceServerConfigCommand,
  KinesisVideoSignalingClient,
  ResourceNotFoundException as SignalingNotFound,
} from "@aws-sdk/client-kinesis-video-signaling";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type RunningCoturn, startCoturn, TURN_REALM } from "../src/standins/coturn";
import {
  mintTurnCredentials,
  type RunningKvsSignaling,
  startKvsSignaling,
  TURN_TTL_SECONDS,
} from "../src/standins/kvs-signaling";
import { ATTR, attr, errorCode, STUN, turnAllocate } from "../src/standins/stun";

const REGION = "us-east-1";
const credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

describe("mintTurnCredentials (TURN REST API, coturn's use-auth-secret)", () => {
  it("is `<expiry>:<user>` with base64 HMAC-SHA1 of the username under the secret", () => {
    const now = Date.UTC(2026, 11, 7, 12, 0, 0);
    const c = mintTurnCredentials("s3cret", "usr_1", 300, now);
    expect(c.username).toBe(`${now / 1000 + 300}:usr_1`);
    expect(c.password).toBe(createHmac("sha1", "s3cret").update(c.username).digest("base64"));
    // A known vector, so a change of hash or encoding cannot pass unnoticed.
    expect(mintTurnCredentials("secret", "alice", 300, 1_000_000_000_000).password).toBe(
      createHmac("sha1", "secret").update("1000000300:alice").digest("base64"),
    );
  });

  it("expires TURN_TTL_SECONDS (KVS's five minutes) from now by default", () => {
    const before = Math.floor(Date.now() / 1000);
    const expiry = Number(mintTurnCredentials("s", "u").username.split(":")[0]);
    expect(TURN_TTL_SECONDS).toBe(300);
    expect(expiry - before).toBeGreaterThanOrEqual(300);
    expect(expiry - before).toBeLessThanOrEqual(301);
  });

  it("differs per user and per secret", () => {
    const now = Date.now();
    const a = mintTurnCredentials("s", "alice", 300, now);
    expect(mintTurnCredentials("s", "bob", 300, now).password).not.toBe(a.password);
    expect(mintTurnCredentials("t", "alice", 300, now).password).not.toBe(a.password);
  });
});

describe("startCoturn", () => {
  it("says how to install coturn when `turnserver` is missing", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "asyncsns-noturn-"));
    try {
      await expect(
        startCoturn({ dataDir, timeoutMs: 5000, turnserverPath: join(dataDir, "no-turnserver") }),
      ).rejects.toThrow(/`turnserver` was not found.*apt-get install -y coturn/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe("KVS signalling stand-in and coturn", () => {
  let dataDir: string;
  let coturn: RunningCoturn;
  let kvs: RunningKvsSignaling;
  let control: KinesisVideoClient;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "asyncsns-kvs-"));
    coturn = await startCoturn({ dataDir, timeoutMs: 10_000 });
    kvs = await startKvsSignaling({
      region: REGION,
      accountId: "000000000000",
      turn: { host: coturn.host, port: coturn.port, secret: coturn.secret },
    });
    control = new KinesisVideoClient({ endpoint: kvs.endpoint, region: REGION, credentials, maxAttempts: 1 });
  });
  afterAll(async () => {
    control?.destroy();
    await kvs?.stop();
    await coturn?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const signallingFor = async (arn: string) => {
    const out = await control.send(
      new GetSignalingChannelEndpointCommand({
        ChannelARN: arn,
        SingleMasterChannelEndpointConfiguration: { Protocols: ["HTTPS"], Role: "MASTER" },
      }),
    );
    const endpoint = out.ResourceEndpointList?.[0]?.ResourceEndpoint;
    expect(out.ResourceEndpointList).toEqual([{ Protocol: "HTTPS", ResourceEndpoint: endpoint }]);
    return new KinesisVideoSignalingClient({ endpoint, region: REGION, credentials, maxAttempts: 1 });
  };

  it("describes nothing, creates once, then describes the same ARN; a second create is ResourceInUse", async () => {
    const name = "asyncsns-test-call-0";
    await expect(
      control.send(new DescribeSignalingChannelCommand({ ChannelName: name })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    const created = await control.send(
      new CreateSignalingChannelCommand({ ChannelName: name, ChannelType: "SINGLE_MASTER" }),
    );
    expect(created.ChannelARN).toMatch(
      /^arn:aws:kinesisvideo:us-east-1:000000000000:channel\/asyncsns-test-call-0\/\d+$/,
    );
    await expect(
      control.send(new CreateSignalingChannelCommand({ ChannelName: name })),
    ).rejects.toBeInstanceOf(ResourceInUseException);
    const byName = await control.send(new DescribeSignalingChannelCommand({ ChannelName: name }));
    expect(byName.ChannelInfo).toMatchObject({
      ChannelName: name,
      ChannelARN: created.ChannelARN,
      ChannelType: "SINGLE_MASTER",
      ChannelStatus: "ACTIVE",
    });
    expect(byName.ChannelInfo?.CreationTime).toBeInstanceOf(Date);
    const byArn = await control.send(new DescribeSignalingChannelCommand({ ChannelARN: created.ChannelARN }));
    expect(byArn.ChannelInfo?.ChannelName).toBe(name);
  });

  it("refuses bad input as AWS does", async () => {
    await expect(
      control.send(new CreateSignalingChannelCommand({ ChannelName: "has space" })),
    ).rejects.toBeInstanceOf(InvalidArgumentException);
    await expect(
      control.send(new CreateSignalingChannelCommand({ ChannelName: "x".repeat(257) })),
    ).rejects.toBeInstanceOf(InvalidArgumentException);
    await expect(control.send(new DescribeSignalingChannelCommand({}))).rejects.toBeInstanceOf(
      InvalidArgumentException,
    );
    const { ChannelARN } = await control.send(
      new CreateSignalingChannelCommand({ ChannelName: "bad-input" }),
    );
    await expect(
      control.send(
        new GetSignalingChannelEndpointCommand({
          ChannelARN,
          // @ts-expect-error: a protocol KVS does not know
          SingleMasterChannelEndpointConfiguration: { Protocols: ["FTP"], Role: "MASTER" },
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidArgumentException);
    // Unsigned requests never get as far as the operation.
    const unsigned = await fetch(`${kvs.endpoint}/describeSignalingChannel`, {
      method: "POST",
      body: JSON.stringify({ ChannelName: "bad-input" }),
    });
    expect(unsigned.status).toBe(403);
    expect(unsigned.headers.get("x-amzn-errortype")).toBe("MissingAuthenticationTokenException");
  });

  it("answers unknown channels with ResourceNotFound on both APIs", async () => {
    const unknown = "arn:aws:kinesisvideo:us-east-1:000000000000:channel/nope/1";
    await expect(
      control.send(
        new GetSignalingChannelEndpointCommand({
          ChannelARN: unknown,
          SingleMasterChannelEndpointConfiguration: { Protocols: ["HTTPS"], Role: "MASTER" },
        }),
      ),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    const { ChannelARN } = await control.send(new CreateSignalingChannelCommand({ ChannelName: "known" }));
    const signalling = await signallingFor(ChannelARN!);
    await expect(
      signalling.send(new GetIceServerConfigCommand({ ChannelARN: unknown, ClientId: "u", Service: "TURN" })),
    ).rejects.toBeInstanceOf(SignalingNotFound);
    signalling.destroy();
  });

  it("GetIceServerConfig answers TURN URIs on coturn and credentials coturn accepts (Allocate succeeds)", async () => {
    const { ChannelARN } = await control.send(new CreateSignalingChannelCommand({ ChannelName: "turn-ok" }));
    const signalling = await signallingFor(ChannelARN!);
    const out = await signalling.send(
      new GetIceServerConfigCommand({ ChannelARN, ClientId: "usr_alice", Service: "TURN" }),
    );
    signalling.destroy();
    expect(out.IceServerList).toHaveLength(1);
    const [server] = out.IceServerList!;
    expect(server!.Uris).toEqual([
      `turn:127.0.0.1:${coturn.port}?transport=udp`,
      `turn:127.0.0.1:${coturn.port}?transport=tcp`,
    ]);
    expect(server!.Ttl).toBe(300);
    expect(server!.Username).toMatch(/^\d+:usr_alice$/);
    const answer = await turnAllocate({
      host: coturn.host,
      port: coturn.port,
      username: server!.Username!,
      password: server!.Password!,
    });
    expect(answer.type).toBe(STUN.allocateSuccess);
    expect(attr(answer, ATTR.xorRelayedAddress)).toBeDefined();
  });

  it("coturn answers 401 to a wrong password and to an expired username", async () => {
    const good = mintTurnCredentials(coturn.secret, "usr_bob");
    const wrong = await turnAllocate({
      host: coturn.host,
      port: coturn.port,
      username: good.username,
      password: "x",
    });
    expect(wrong.type).toBe(STUN.allocateError);
    expect(errorCode(wrong)).toBe(401);
    // Signed with the right secret, but its expiry is a minute ago.
    const expired = mintTurnCredentials(coturn.secret, "usr_bob", -60);
    const late = await turnAllocate({ host: coturn.host, port: coturn.port, ...expired });
    expect(late.type).toBe(STUN.allocateError);
    expect(errorCode(late)).toBe(401);
    // Another secret (another run's coturn) is refused as well.
    const foreign = mintTurnCredentials("not-this-run", "usr_bob");
    expect(errorCode(await turnAllocate({ host: coturn.host, port: coturn.port, ...foreign }))).toBe(401);
    expect(coturn.realm).toBe(TURN_REALM);
  });

  describe("the app's IceServers adapter (packages/core/src/ice)", () => {
    const channels = ["asyncsns-test-ice-0", "asyncsns-test-ice-1"];
    const load = async (endpoint: string) => {
      vi.resetModules();
      vi.stubEnv("SST_RESOURCE_CallSignaling", JSON.stringify({ channels, type: "sst.Linkable" }));
      vi.stubEnv("SST_RESOURCE_App", JSON.stringify({ name: "asyncsns", stage: "test" }));
      vi.stubEnv("AWS_ENDPOINT_URL_KINESIS_VIDEO", endpoint);
      vi.stubEnv("AWS_REGION", REGION);
      vi.stubEnv("AWS_ACCESS_KEY_ID", credentials.accessKeyId);
      vi.stubEnv("AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey);
      return (await import("../../core/src/ice/index")).IceServers;
    };
    afterAll(() => vi.unstubAllEnvs());

    it("creates the call's channel on first use and gives each participant credentials coturn accepts", async () => {
      const IceServers = await load(kvs.endpoint);
      const [caller, callee] = await Promise.all([
        IceServers.forCall({ callId: "cal_1", userId: "usr_caller" }),
        IceServers.forCall({ callId: "cal_1", userId: "usr_callee" }),
      ]);
      const name = IceServers.channelFor("cal_1", channels);
      const described = await control.send(new DescribeSignalingChannelCommand({ ChannelName: name }));
      expect(described.ChannelInfo?.ChannelStatus).toBe("ACTIVE");
      for (const [servers, user] of [
        [caller, "usr_caller"],
        [callee, "usr_callee"],
      ] as const) {
        expect(servers).toEqual([
          {
            urls: [
              `turn:127.0.0.1:${coturn.port}?transport=udp`,
              `turn:127.0.0.1:${coturn.port}?transport=tcp`,
            ],
            username: expect.stringMatching(new RegExp(`^\\d+:${user}$`)),
            credential: expect.any(String),
          },
        ]);
        const allocated = await turnAllocate({
          host: coturn.host,
          port: coturn.port,
          username: servers[0]!.username,
          password: servers[0]!.credential,
        });
        expect(allocated.type).toBe(STUN.allocateSuccess);
      }
      // The channel already exists for a later call: still one channel, same ARN.
      const again = await IceServers.forCall({ callId: "cal_1", userId: "usr_caller" });
      expect(again[0]!.username).toMatch(/:usr_caller$/);
      const after = await control.send(new DescribeSignalingChannelCommand({ ChannelName: name }));
      expect(after.ChannelInfo?.ChannelARN).toBe(described.ChannelInfo?.ChannelARN);
    });

    it("answers call.ice_unavailable (503) within its deadline when KVS never answers", async () => {
      const sockets = new Set<import("node:net").Socket>();
      const silent: Server = createServer(() => {});
      silent.on("connection", (s) => sockets.add(s));
      await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
      const IceServers = await load(`http://127.0.0.1:${(silent.address() as AddressInfo).port}`);
      const t0 = Date.now();
      const error = await IceServers.forCall({ callId: "cal_2", userId: "usr_x" }).catch((e: unknown) => e);
      expect(Date.now() - t0).toBeLessThan(IceServers.DEADLINE_MS + 1500);
      expect(error).toMatchObject({ kind: "unavailable", code: "call.ice_unavailable" });
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    });

    it("answers call.ice_unavailable when KVS refuses", async () => {
      // Nothing listens there: connection refused on every attempt.
      const IceServers = await load("http://127.0.0.1:9");
      await expect(IceServers.forCall({ callId: "cal_3", userId: "usr_x" })).rejects.toMatchObject({
        code: "call.ice_unavailable",
      });
    });
  });
});
