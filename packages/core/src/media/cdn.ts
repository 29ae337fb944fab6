export * as Cdn from "./cdn";

import { createHash } from "node:crypto";
import { CloudFrontClient, CreateInvalidationCommand } from "@aws-sdk/client-cloudfront";
import { Resource } from "sst";
import { urlOf } from "./urls";

// No config: CloudFront is global, and off AWS the SDK takes its endpoint from the environment.
const cloudfront = new CloudFrontClient({});

/** A removed object as its S3 notification names it (key decoded). */
export interface RemovedObject {
  key: string;
  /** S3's per-key event order: two deletes of the same key (re-uploaded between) differ in it. */
  sequencer: string;
}

/** RFC 3986 unreserved characters stay; `*` (CloudFront's wildcard) and everything else is escaped. */
const encodeSegment = (segment: string) =>
  encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The viewer path CloudFront caches a served key under (public/x → /media/x); none for keys no path reaches. */
export function invalidationPath(key: string): string | undefined {
  if (!key.startsWith("public/")) return undefined;
  return urlOf(key).split("/").map(encodeSegment).join("/");
}

/** The same removal always yields the same reference, so a retried event is one invalidation, not two. */
export const callerReference = (object: RemovedObject) =>
  `s3-${createHash("sha256").update(`${object.key}\n${object.sequencer}`).digest("hex")}`;

/** Makes the CDN forget a removed served copy; returns the invalidation id (none for unserved keys). */
export async function purge(object: RemovedObject): Promise<string | undefined> {
  const path = invalidationPath(object.key);
  if (!path) return undefined;
  const result = await cloudfront.send(
    new CreateInvalidationCommand({
      DistributionId: Resource.Cdn.distributionId,
      InvalidationBatch: {
        CallerReference: callerReference(object),
        Paths: { Quantity: 1, Items: [path] },
      },
    }),
  );
  return result.Invalidation?.Id;
}
