// TURN for calls from Kinesis Video Streams signalling channels (see packages/core/src/ice). Pulumi's classic AWS
// provider has no signalling-channel resource: the adapter creates each channel on first use, and the Call
// function's permissions name the stage's channels only.

/**
 * Channels per stage. GetIceServerConfig allows 5 TPS per signalling channel (hard) and 100 TPS per account and
 * Region (soft), and a channel holds at most 50 TURN allocations (hard): "TURN service quotas" in
 * https://docs.aws.amazon.com/kinesisvideostreams-webrtc-dg/latest/devguide/kvswebrtc-limits.html.
 * Calls are spread over the pool by a hash of their id. A call asks three times (the caller's and the callee's at
 * the start, the callee's ring carrying its own; the callee's again at the accept): six channels take ten call
 * starts a second.
 */
export const CALL_CHANNELS = 6;

/** `asyncsns-<stage>-call-<n>`: a channel name is unique per account and Region, so the stage is part of it. */
export const channels = Array.from(
  { length: CALL_CHANNELS },
  (_, n) => `${$app.name}-${$app.stage}-call-${n}`,
);

/**
 * What the adapter calls, each authorised on the channel resource
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonkinesisvideostreams.html).
 */
export const ICE_ACTIONS = [
  "kinesisvideo:DescribeSignalingChannel",
  "kinesisvideo:CreateSignalingChannel",
  "kinesisvideo:GetSignalingChannelEndpoint",
  "kinesisvideo:GetIceServerConfig",
];

const region = aws.getRegionOutput({}).name;
const account = aws.getCallerIdentityOutput({}).accountId;

/** What `IceServers.forCall` reads as `Resource.CallSignaling`: linked only to the Call function. */
export const iceLink = new sst.Linkable("CallSignaling", {
  properties: { channels },
  include: [
    sst.aws.permission({
      actions: ICE_ACTIONS,
      // A channel's ARN ends in its creation time: `channel/<name>/<code>`.
      resources: channels.map(
        (name) => $interpolate`arn:aws:kinesisvideo:${region}:${account}:channel/${name}/*`,
      ),
    }),
  ],
});
