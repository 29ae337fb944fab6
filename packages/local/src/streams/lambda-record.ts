// A DynamoDB Streams record as Lambda hands it to a function (GetRecords and the event differ in small ways).
import type { _Record, AttributeValue } from "@aws-sdk/client-dynamodb-streams";

type LambdaAttribute = Record<string, unknown>;

/** Lambda delivers binary attributes as base64 strings and dates as epoch seconds. */
function toLambdaAttribute(v: AttributeValue): LambdaAttribute {
  const a = v as unknown as Record<string, unknown>;
  if (a.B instanceof Uint8Array) return { B: Buffer.from(a.B).toString("base64") };
  if (Array.isArray(a.BS))
    return { BS: (a.BS as Uint8Array[]).map((b) => Buffer.from(b).toString("base64")) };
  if (a.M) return { M: toLambdaImage(a.M as Record<string, AttributeValue>) };
  if (Array.isArray(a.L)) return { L: (a.L as AttributeValue[]).map(toLambdaAttribute) };
  const out: LambdaAttribute = {};
  for (const [k, x] of Object.entries(a)) if (x !== undefined && k !== "$unknown") out[k] = x;
  return out;
}

function toLambdaImage(image: Record<string, AttributeValue> | undefined) {
  if (!image) return undefined;
  return Object.fromEntries(Object.entries(image).map(([k, v]) => [k, toLambdaAttribute(v)]));
}

export function toLambdaRecord(r: _Record, streamArn: string, region: string) {
  const d = r.dynamodb ?? {};
  const created = d.ApproximateCreationDateTime;
  const dynamodb: Record<string, unknown> = {
    ApproximateCreationDateTime:
      created instanceof Date ? Math.floor(created.getTime() / 1000) : Number(created ?? Date.now() / 1000),
    Keys: toLambdaImage(d.Keys),
    ...(d.NewImage ? { NewImage: toLambdaImage(d.NewImage) } : {}),
    ...(d.OldImage ? { OldImage: toLambdaImage(d.OldImage) } : {}),
    SequenceNumber: d.SequenceNumber,
    SizeBytes: d.SizeBytes,
    StreamViewType: d.StreamViewType,
  };
  return {
    eventID: r.eventID,
    eventName: r.eventName,
    eventVersion: r.eventVersion ?? "1.1",
    eventSource: "aws:dynamodb",
    awsRegion: region,
    dynamodb,
    // DynamoDB Local leaves this out; Lambda always sets it.
    eventSourceARN: streamArn,
    ...(r.userIdentity ? { userIdentity: r.userIdentity } : {}),
  };
}
