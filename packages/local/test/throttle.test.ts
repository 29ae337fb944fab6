// Stage throttling as API Gateway applies it: a token bucket (burst = size, rate = refill per second),
// read from the stage transform of the real sst.config.ts.
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { stageThrottle, TokenBucket } from "../src/gateway/throttle";
import { loadTopology } from "../src/shim";

describe("TokenBucket", () => {
  it("lets a burst through at once, then refuses until tokens refill at the rate", () => {
    const bucket = new TokenBucket({ burst: 3, rate: 2 }, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    // Half a second at 2 per second is one token.
    expect(bucket.take(400)).toBe(false);
    expect(bucket.take(500)).toBe(true);
    expect(bucket.take(500)).toBe(false);
  });

  it("never holds more than the burst, however long it was idle", () => {
    const bucket = new TokenBucket({ burst: 2, rate: 100 }, 0);
    const taken = Array.from({ length: 5 }, () => bucket.take(60_000)).filter(Boolean);
    expect(taken).toHaveLength(2);
  });
});

describe("stage throttling in the topology", () => {
  it("is what the HTTP API's stage transform sets, and nothing where none is set", async () => {
    const root = resolve(import.meta.dirname, "../../..");
    const topology = await loadTopology(join(root, "sst.config.ts"));
    const apis = topology.resources.filter((r) => r.type === "sst.aws.ApiGatewayV2");
    expect(apis.length).toBeGreaterThan(0);
    for (const api of apis) {
      const limits = stageThrottle(api.transformed);
      expect(limits?.burst, api.name).toBeGreaterThan(0);
      expect(limits?.rate, api.name).toBeGreaterThan(0);
    }
    expect(stageThrottle(undefined)).toBeUndefined();
    expect(stageThrottle({ stage: { defaultRouteSettings: { throttlingBurstLimit: 0 } } })).toBeUndefined();
  });
});
