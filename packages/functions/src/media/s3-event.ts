import type { S3Event } from "aws-lambda";

/** The objects of a bucket notification: S3 sends keys URL-encoded with "+" for spaces. */
export const objectsOf = (event: S3Event) =>
  event.Records.map((r) => ({
    bucket: r.s3.bucket.name,
    key: decodeURIComponent(r.s3.object.key.replace(/\+/g, " ")),
    sequencer: r.s3.object.sequencer,
  }));
