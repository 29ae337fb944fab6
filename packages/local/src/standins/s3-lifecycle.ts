// S3 lifecycle expiration for the local bucket: objects under a rule's prefix go once their expiry passes.
import { DeleteObjectCommand, paginateListObjectsV2, type S3Client } from "@aws-sdk/client-s3";

export interface ExpirationRule {
  prefix: string;
  days: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The enabled expiration rules of an `sst.aws.Bucket`'s `lifecycle` argument (`expiresIn: "N days"`). */
export function expirationRules(lifecycle: unknown): ExpirationRule[] {
  if (!Array.isArray(lifecycle)) return [];
  return lifecycle.flatMap((rule: { prefix?: unknown; expiresIn?: unknown; enabled?: unknown }) => {
    const days = /^(\d+) days?$/.exec(String(rule.expiresIn ?? ""))?.[1];
    if (rule.enabled === false || !days) return [];
    return [{ prefix: typeof rule.prefix === "string" ? rule.prefix : "", days: Number(days) }];
  });
}

/**
 * As S3 computes it: creation time plus the rule's days, rounded up to the next midnight UTC.
 * "Expiring objects", https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-expire-general-considerations.html
 */
export const expiresAt = (created: Date, days: number) =>
  Math.ceil((created.getTime() + days * DAY_MS) / DAY_MS) * DAY_MS;

/** Deletes what the rules have expired by `now`; returns the keys. (S3 emits LifecycleExpiration, not ObjectRemoved, events; s3rver's delete emits the latter.) */
export async function expireObjects(args: {
  client: S3Client;
  bucket: string;
  rules: ExpirationRule[];
  now?: number;
}): Promise<string[]> {
  const now = args.now ?? Date.now();
  const expired: string[] = [];
  for (const rule of args.rules)
    for await (const page of paginateListObjectsV2(
      { client: args.client },
      { Bucket: args.bucket, Prefix: rule.prefix },
    ))
      for (const object of page.Contents ?? [])
        if (object.Key && object.LastModified && expiresAt(object.LastModified, rule.days) <= now)
          expired.push(object.Key);
  for (const Key of expired) await args.client.send(new DeleteObjectCommand({ Bucket: args.bucket, Key }));
  return expired;
}

/** Sweeps every bucket hourly, as S3's lifecycle runs about once a day; stop() ends it. */
export function startLifecycle(args: {
  client: S3Client;
  buckets: { bucket: string; rules: ExpirationRule[] }[];
  intervalMs?: number;
  log?: (line: string) => void;
}) {
  const targets = args.buckets.filter((b) => b.rules.length);
  const sweep = async () => {
    for (const target of targets) {
      const keys = await expireObjects({ client: args.client, ...target }).catch((error: Error) => {
        args.log?.(`lifecycle sweep of ${target.bucket} failed: ${error.message}`);
        return [];
      });
      if (keys.length) args.log?.(`lifecycle expired ${keys.length} object(s) in ${target.bucket}`);
    }
  };
  const timer = targets.length
    ? setInterval(() => void sweep(), args.intervalMs ?? 60 * 60 * 1000)
    : undefined;
  timer?.unref();
  return { sweep, stop: () => clearInterval(timer) };
}
