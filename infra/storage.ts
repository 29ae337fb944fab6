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
