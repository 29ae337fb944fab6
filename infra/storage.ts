import { table } from "./database";

// A bucket holds one policy (SST rejects a second) and ours must name the Router's distribution, which
// infra/web.ts builds later: the policy waits for servedBy() to hand it the distribution.
let serve: (distributionArn: $util.Input<string>) => void = () => {};
const distributionArn = $output(
  new Promise<$util.Input<string>>((resolve) => {
    serve = resolve;
  }),
);

/** Lets this distribution (and no other) read the processed copies under public/. */
export const servedBy = (arn: $util.Input<string>) => serve(arn);

// SST gates `bucket.name` on that policy; what the distribution itself needs (the CSP's upload host)
// must not wait for it, so it reads the name the policy and the public access block are made with.
let unGatedName: $util.Output<string> | undefined;

// Private media bucket: the browser uploads with presigned POSTs, reads go through CloudFront (OAC).
export const bucket = new sst.aws.Bucket("Media", {
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

// Uploads land under uploads/<userId>/<mediaId>; the processor writes the served copies under public/.
bucket.notify({
  notifications: [
    {
      name: "MediaProcessor",
      function: {
        handler: "packages/functions/src/media/process.handler",
        link: [bucket, table],
        // libvips decodes up to 100 Mpx images; more memory also buys proportionally more CPU.
        memory: "2048 MB",
        timeout: "60 seconds",
        // Native binaries cannot be bundled: installed for the function's arm64 Linux target instead.
        nodejs: { install: ["sharp"] },
      },
      events: ["s3:ObjectCreated:*"],
      filterPrefix: "uploads/",
    },
  ],
});
