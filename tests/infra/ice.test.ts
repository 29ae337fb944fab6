// TURN for calls: the CallSignaling link grants exactly the Kinesis Video Streams calls the ICE adapter makes, on
// the stage's own signalling channels only, and the channel pool respects KVS's GetIceServerConfig quota.
import { describe, expect, it } from "vitest";
import { appGraph, unsecret } from "./harness/index";

/**
 * What packages/core/src/ice calls, each authorised on the `channel` resource type
 * (Service Authorization Reference, "Actions, resources, and condition keys for Amazon Kinesis Video Streams":
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonkinesisvideostreams.html).
 */
const ICE_ACTIONS = [
  "kinesisvideo:CreateSignalingChannel",
  "kinesisvideo:DescribeSignalingChannel",
  "kinesisvideo:GetIceServerConfig",
  "kinesisvideo:GetSignalingChannelEndpoint",
];

/**
 * "TURN service quotas" in https://docs.aws.amazon.com/kinesisvideostreams-webrtc-dg/latest/devguide/kvswebrtc-limits.html:
 * GetIceServerConfig 5 TPS per signalling channel (hard), 100 TPS per account and Region (soft).
 */
const ICE_TPS_PER_CHANNEL = 5;
const ICE_TPS_PER_ACCOUNT = 100;

interface Permission {
  type: string;
  actions: string[];
  resources: unknown[];
  effect?: string;
}

for (const stage of ["dev-ci", "production"] as const) {
  describe(`ICE servers (${stage})`, () => {
    const graph = appGraph(stage);
    const link = graph.findOne("sst:sst:LinkRef", (_, r) => r.name === "CallSignalingLinkRef");
    const channels = (link.inputs.properties as { channels: string[] }).channels;
    const include = link.inputs.include as Permission[];
    const channelArn = new RegExp(
      `^arn:aws:kinesisvideo:ap-northeast-1:\\d{12}:channel/asyncsns-${stage}-call-(\\d+)/\\*$`,
    );

    it("names a pool of the stage's own channels, asyncsns-<stage>-call-<n>", () => {
      expect(channels).toEqual(channels.map((_, n) => `asyncsns-${stage}-call-${n}`));
      expect(channels.length).toBeGreaterThan(1);
    });

    it("grants exactly the adapter's kinesisvideo actions, on the stage's channels only (no `*` resource)", () => {
      expect(include).toHaveLength(1);
      const [permission] = include;
      expect(permission!.type).toBe("aws.permission");
      expect(permission!.effect ?? "allow").toBe("allow");
      expect([...permission!.actions].sort()).toEqual(ICE_ACTIONS);
      const resources = permission!.resources.map((r) => String(unsecret(r)));
      // One ARN pattern per channel: `channel/<name>/<creation time>`, nothing wider.
      expect(resources.map((r) => channelArn.exec(r)?.[1])).toEqual(channels.map((_, n) => String(n)));
      for (const r of resources) expect(r).not.toMatch(/(^\*$|channel\/\*|:\*:)/);
    });

    it("spreads GetIceServerConfig over channels within the account's quota", () => {
      // Each call asks three times (caller and callee at the start, for the answer and the ring; the callee again
      // at the accept): the pool takes this many call starts per second.
      const callStartsPerSecond = (channels.length * ICE_TPS_PER_CHANNEL) / 3;
      expect(callStartsPerSecond).toBeGreaterThanOrEqual(10);
      // More channels than the account's rate can use would only add channels to create.
      expect(channels.length * ICE_TPS_PER_CHANNEL).toBeLessThanOrEqual(ICE_TPS_PER_ACCOUNT);
    });

    it("only functions that link CallSignaling may call Kinesis Video Streams, and only on its channels", () => {
      for (const fn of graph.functions()) {
        const statements = graph
          .policiesOf(fn)
          .filter((s) => [s.Action ?? []].flat().some((a) => String(a).startsWith("kinesisvideo:")));
        if (!fn.links.includes("CallSignaling")) {
          expect({ fn: fn.logicalName, statements }).toEqual({ fn: fn.logicalName, statements: [] });
          continue;
        }
        expect(statements.length).toBeGreaterThan(0);
        for (const s of statements) {
          expect([s.Action].flat().map(String).sort()).toEqual(ICE_ACTIONS);
          for (const r of [s.Resource].flat()) expect(String(unsecret(r))).toMatch(channelArn);
        }
      }
    });
  });
}
