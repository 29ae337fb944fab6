// The notification pipeline's entry: chat (and later mentions, follows, calls) publish events here for
// users who are offline; the consumer that turns them into stored notifications and Web Push comes later.
export const topic = new sst.aws.SnsTopic("Notifications", {
  transform: {
    topic: (t) => {
      // Encrypted at rest with the AWS-managed SNS key.
      t.kmsMasterKeyId = "alias/aws/sns";
    },
  },
});
