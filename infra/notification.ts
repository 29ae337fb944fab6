// SST's SNS→SQS queue policy accepts any sender (confused deputy): pin each queue to its topic.
$transform(aws.sqs.QueuePolicy, (args, opts) => {
  const parent = opts.parent as unknown as {
    __pulumiType?: string;
    nodes: { subscription: aws.sns.TopicSubscription };
  };
  if (parent?.__pulumiType !== "sst:aws:SnsTopicQueueSubscriber") return;
  // The subscriber builds its policy before its subscription: read the topic once the constructor is done.
  const topicArn = $output(undefined).apply(() => parent.nodes.subscription.topic);
  args.policy = $util.all([args.policy, topicArn]).apply(([policy, topic]) => {
    const doc = JSON.parse(String(policy)) as { Statement: Record<string, unknown>[] };
    for (const st of doc.Statement) {
      st.Principal = { Service: "sns.amazonaws.com" };
      st.Condition = { ArnEquals: { "aws:SourceArn": topic } };
    }
    return JSON.stringify(doc);
  });
});

// The notification pipeline's entry: domain events for users who are offline are published here.
export const topic = new sst.aws.SnsTopic("Notifications", {
  transform: {
    topic: (t) => {
      // Encrypted at rest with the AWS-managed SNS key.
      t.kmsMasterKeyId = "alias/aws/sns";
    },
  },
});
