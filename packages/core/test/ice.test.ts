// The ICE adapter's pure parts: which channel a call uses, and KVS's answer as RTCIceServers.
import { describe, expect, it } from "vitest";
import { IceServers } from "../src/ice";

describe("IceServers.channelFor", () => {
  const pool = ["asyncsns-dev-call-0", "asyncsns-dev-call-1", "asyncsns-dev-call-2", "asyncsns-dev-call-3"];

  it("gives both participants of a call the same channel, whoever asks", () => {
    for (let i = 0; i < 50; i++)
      expect(IceServers.channelFor(`cal_${i}`, pool)).toBe(IceServers.channelFor(`cal_${i}`, [...pool]));
  });

  it("spreads calls over the whole pool (the per-channel GetIceServerConfig quota)", () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 400; i++) {
      const c = IceServers.channelFor(`cal_01JF${i.toString(36).padStart(6, "0")}`, pool);
      counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(pool);
    for (const n of counts.values()) expect(n).toBeGreaterThan(60);
  });

  it("refuses an empty pool rather than divide by zero", () => {
    expect(() => IceServers.channelFor("cal_1", [])).toThrow(/no channels/);
  });
});

describe("IceServers.toIceServers", () => {
  it("maps Uris/Username/Password to urls/username/credential, one entry per KVS server", () => {
    expect(
      IceServers.toIceServers([
        {
          Uris: [
            "turn:a.kinesisvideo.example:443?transport=udp",
            "turns:a.kinesisvideo.example:443?transport=tcp",
          ],
          Username: "1796663906:usr_1",
          Password: "cGFzcw==",
          Ttl: 300,
        },
        { Uris: ["turn:b.example:443?transport=udp"], Username: "u2", Password: "p2", Ttl: 300 },
      ]),
    ).toEqual([
      {
        urls: [
          "turn:a.kinesisvideo.example:443?transport=udp",
          "turns:a.kinesisvideo.example:443?transport=tcp",
        ],
        username: "1796663906:usr_1",
        credential: "cGFzcw==",
      },
      { urls: ["turn:b.example:443?transport=udp"], username: "u2", credential: "p2" },
    ]);
  });

  it("drops entries a browser could not use, and an absent list is empty", () => {
    expect(
      IceServers.toIceServers([
        { Uris: [], Username: "u", Password: "p" },
        { Uris: ["turn:x"], Password: "p" },
        { Uris: ["turn:x"], Username: "u" },
      ]),
    ).toEqual([]);
    expect(IceServers.toIceServers(undefined)).toEqual([]);
  });

  it("announces KVS's five-minute credential lifetime", () => {
    expect(IceServers.CREDENTIAL_TTL_SECONDS).toBe(300);
  });
});
