import { table } from "./database";

// Private media bucket: the browser uploads with presigned POSTs, reads go through CloudFront (OAC).
export const bucket = new sst.aws.Bucket("Media", {
  access: "cloudfront",
  cors: {
    allowHeaders: ["*"],
    allowMethods: ["POST", "GET", "HEAD"],
    allowOrigins: ["*"],
    exposeHeaders: ["ETag"],
    maxAge: "1 hour",
  },
});

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
