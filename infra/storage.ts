import { table } from "./database";
import { alarmOnDepth } from "./observability";

// The bucket's one policy and notify need the distribution infra/web.ts builds later: servedBy() hands it over.
interface Distribution {
  id: $util.Input<string>;
  arn: $util.Input<string>;
}
let serve: (distribution: Distribution) => void = () => {};
const distribution = new Promise<Distribution>((resolve) => {
  serve = resolve;
});
const distributionArn = $output(distribution.then((d) => d.arn));
const distributionId = $output(distribution.then((d) => d.id));

/** Lets this distribution (and no other) read the processed copies under public/, and purges it. */
export const servedBy = (d: Distribution) => serve(d);

// SST gates `bucket.name` on the policy, which waits for the distribution: the CSP reads the raw name instead.
let unGatedName: $util.Output<string> | undefined;

// Private media bucket: the browser uploads with presigned POSTs, reads go through CloudFront (OAC).
/**
 * Originals are read only until processed and attached; unattached ones (and their media items, by TTL)
 * go after this. "Expiring objects", https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-expire-general-considerations.html
 */
export const UPLOAD_EXPIRY_DAYS = 2;

export const bucket = new sst.aws.Bucket("Media", {
  lifecycle: [{ id: "expire-uploads", prefix: "uploads/", expiresIn: `${UPLOAD_EXPIRY_DAYS} days` }],
  cors: {
    allowHeaders: ["*"],
    allowMethods: ["POST", "GET", "HEAD"],
    allowOrigins: ["*"],
    exposeHeaders: ["ETag"],
    maxAge: "1 hour",
  },
  // Originals (uploads/, with EXIF) and chat media stay unreadable even to CloudFront.
  policy: [
    {
      principals: [{ type: "service", identifiers: ["cloudfront.amazonaws.com"] }],
      actions: ["s3:GetObject"],
      paths: ["public/*"],
      conditions: [{ test: "StringEquals", variable: "AWS:SourceArn", values: [distributionArn] }],
    },
  ],
  transform: {
    publicAccessBlock: (args) => {
      unGatedName = $output(args.bucket);
    },
  },
});

export const bucketName = unGatedName ?? bucket.name;

// What purging needs of the CDN: its id, and invalidating it — nothing else of CloudFront.
export const cdn = new sst.Linkable("Cdn", {
  properties: { distributionId },
  include: [sst.aws.permission({ actions: ["cloudfront:CreateInvalidation"], resources: [distributionArn] })],
});

// S3 invokes these asynchronously: after Lambda's retries an event is kept here for `npm run redrive`, not dropped.
export const mediaFailures = new sst.aws.Queue("MediaFailures", {
  transform: { queue: { messageRetentionSeconds: 14 * 24 * 3600, sqsManagedSseEnabled: true } },
});
alarmOnDepth("MediaFailures", mediaFailures);
const sendFailures = { actions: ["sqs:SendMessage"], resources: [mediaFailures.arn] };

const processor = new sst.aws.Function("MediaProcessor", {
  handler: "packages/functions/src/media/process.handler",
  link: [bucket, table],
  permissions: [sendFailures],
  // libvips decodes up to 100 Mpx images; more memory also buys proportionally more CPU.
  memory: "2048 MB",
  timeout: "60 seconds",
  // Native binaries cannot be bundled: installed for the function's arm64 Linux target instead.
  nodejs: { install: ["sharp"] },
});

// Served copies are cached for a year (immutable), so a deleted one must be purged from the CDN too.
const purge = new sst.aws.Function("MediaPurge", {
  handler: "packages/functions/src/media/purge.handler",
  link: [cdn],
  permissions: [sendFailures],
  // One CloudFront call per record; throttling is retried by the SDK, then by the async invoke.
  memory: "256 MB",
  timeout: "30 seconds",
});

for (const [name, fn] of [
  ["MediaProcessor", processor],
  ["MediaPurge", purge],
] as const)
  new aws.lambda.FunctionEventInvokeConfig(`${name}AsyncInvoke`, {
    functionName: fn.name,
    // Lambda's default, stated: two retries, then the failure destination.
    maximumRetryAttempts: 2,
    maximumEventAgeInSeconds: 6 * 3600,
    destinationConfig: { onFailure: { destination: mediaFailures.arn } },
  });

bucket.notify({
  notifications: [
    {
      name: "MediaProcessor",
      function: processor.arn,
      events: ["s3:ObjectCreated:*"],
      filterPrefix: "uploads/",
    },
    { name: "MediaPurge", function: purge.arn, events: ["s3:ObjectRemoved:*"], filterPrefix: "public/" },
  ],
});
