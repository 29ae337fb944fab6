export * as Cdn from "./cdn";

import { createHash } from "node:crypto";
import { CloudFrontClient, CreateInvalidationCommand } from "@aws-sdk/client-cloudfront";
import { Resource } from "sst";
import { traced } from "../trace";
import { urlOf } from "./urls";

// No config: CloudFront is global, and off AWS the SDK takes its endpoint from the environment.
const cloudfront = traced(new CloudFrontClient({}));

/** A removed object as its S3 notification names it (key decoded). */
export interface RemovedObject {
  key: string;
  /** S3's per-key event order: two deletes of the same key (re-uploaded between) differ in it. */
  sequencer: string;
}

/** RFC 3986 unreserved characters stay; `*` (CloudFront's wildcard) and everything else is escaped. */
const encodeSegment = (segment: string) =>
  encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const SERVED = /^public\/([^/]+)\/./;

/**
 * Every file of a media lives under one folder, so one wildcard path forgets them all: CloudFront bills a
 * wildcard as one path. "Paying for file invalidation",
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/PayingForInvalidation.html
 */
export function invalidationPath(key: string): string | undefined {
  const mediaId = SERVED.exec(key)?.[1];
  if (!mediaId) return undefined;
  return `${urlOf(`public/${mediaId}`).split("/").map(encodeSegment).join("/")}/*`;
}

/** Per media, not per file: the removals of its files (and retries of them) are one invalidation. */
export const callerReference = (object: RemovedObject) => {
  const mediaId = SERVED.exec(object.key)?.[1] ?? object.key;
  return `media-${createHash("sha256").update(mediaId).digest("hex")}`;
};

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
