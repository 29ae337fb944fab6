// Imported first so every function inherits tracing, log retention, sizing, Powertools settings and its alarms.

/** AWS managed: xray:PutTraceSegments, PutTelemetryRecords and sampling reads, which Active tracing needs. */
export const XRAY_WRITE_POLICY = "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess";

/** Where the stage's alarms go; set ASYNCSNS_OPS_EMAIL at deploy to get them by mail (the address confirms once). */
export const OPS_EMAIL = process.env.ASYNCSNS_OPS_EMAIL ?? "";

/**
 * An ops topic (with the mail subscription) in the provider's Region, encrypted with a key CloudWatch may use: it
 * cannot publish to a topic under the AWS-managed SNS key. "Encrypting SNS topics used by CloudWatch alarms",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-actions-SNS.html
 */
export function opsTopicIn(name: string, opts?: $util.CustomResourceOptions) {
  const account = aws.getCallerIdentityOutput({}, opts).accountId;
  const key = new aws.kms.Key(
    `${name}Key`,
    {
      description: "asyncsns ops alarms topic",
      enableKeyRotation: true,
      deletionWindowInDays: 7,
      policy: $jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { AWS: $interpolate`arn:aws:iam::${account}:root` },
            Action: "kms:*",
            Resource: "*",
          },
          {
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
            Resource: "*",
            Condition: { StringEquals: { "aws:SourceAccount": account } },
          },
        ],
      }),
    },
    opts,
  );
  const topic = new aws.sns.Topic(name, { kmsMasterKeyId: key.arn }, opts);
  if (OPS_EMAIL)
    new aws.sns.TopicSubscription(
      `${name}Email`,
      { topic: topic.arn, protocol: "email", endpoint: OPS_EMAIL },
      opts,
    );
  return topic;
}

export const opsTopic = opsTopicIn("Ops");

type AlarmArgs = Omit<aws.cloudwatch.MetricAlarmArgs, "alarmActions" | "okActions">;

/** Every alarm of the app: it tells the ops topic (of its Region) when it fires and when it clears. */
export function alarm(
  name: string,
  args: AlarmArgs,
  opts?: $util.CustomResourceOptions,
  topic: aws.sns.Topic = opsTopic,
) {
  return new aws.cloudwatch.MetricAlarm(
    name,
    {
      treatMissingData: "notBreaching",
      ...args,
      alarmActions: [topic.arn],
      okActions: [topic.arn],
    },
    opts,
  );
}

/** Lambda functions by component name, as they are created; the dashboard (infra/alarms.ts) lists them. */
export const functionNames = new Map<string, $util.Output<string>>();

/**
 * Errors and throttles of one function ("Types of metrics for Lambda functions",
 * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html): any error is worth a look, since
 * retries and DLQs hide them from users; any throttle means the account's concurrency ran out.
 */
function functionAlarms(name: string, functionName: $util.Output<string>) {
  functionNames.set(name, functionName);
  for (const metricName of ["Errors", "Throttles"] as const)
    alarm(`${name}${metricName}`, {
      alarmDescription: `${name}: Lambda ${metricName} in the last 5 minutes; read its logs (aws logs tail /aws/lambda/<function-name>, docs/en/operations.md)`,
      namespace: "AWS/Lambda",
      metricName,
      dimensions: { FunctionName: functionName },
      statistic: "Sum",
      period: 300,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
    });
}

/** One per function component, settled once its Lambda exists (SST makes it inside an apply, later). */
const lambdasMade: Promise<void>[] = [];

/** Every function's Lambda name, once every function made so far (and any made meanwhile) exists. */
export async function allFunctionNames(): Promise<[string, $util.Output<string>][]> {
  for (let seen = -1; seen !== lambdasMade.length; ) {
    seen = lambdasMade.length;
    await Promise.all(lambdasMade);
  }
  // By name: functions are made inside applies in no fixed order, and the dashboard body must not change with it.
  return [...functionNames].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

$transform(sst.aws.Function, (args, _opts, name) => {
  let made = () => {};
  lambdasMade.push(
    new Promise<void>((resolve) => {
      made = resolve;
    }),
  );
  args.runtime ??= "nodejs22.x";
  args.architecture ??= "arm64";
  args.memory ??= "512 MB";
  args.timeout ??= "10 seconds";
  args.logging ??= { retention: $app.stage === "production" ? "3 months" : "1 week", format: "json" };
  // Components (subscribers, routes, notifications) hand their args over as Outputs: resolve, then merge.
  args.environment = $output(args.environment ?? {}).apply((environment) => ({
    POWERTOOLS_SERVICE_NAME: name,
    POWERTOOLS_METRICS_NAMESPACE: "asyncsns",
    POWERTOOLS_LOG_LEVEL: $app.stage === "production" ? "INFO" : "DEBUG",
    ...environment,
  }));
  // nodejs22.x ships AWS SDK v3: load it from the runtime rather than bundle it into every function.
  args.nodejs = $output(args.nodejs ?? {}).apply((nodejs) => ({
    ...nodejs,
    esbuild: { ...nodejs.esbuild, external: [...(nodejs.esbuild?.external ?? []), "@aws-sdk/*"] },
  }));
  // Lambda's CreateFunction refuses Active tracing unless the role may write trace segments.
  args.policies = $output(args.policies ?? []).apply((policies) => [
    ...policies.filter((arn) => arn !== XRAY_WRITE_POLICY),
    XRAY_WRITE_POLICY,
  ]);
  args.transform = {
    ...args.transform,
    function: (fn, fnOpts) => {
      fn.tracingConfig = { mode: "Active" };
      // The Lambda's name exists once it is registered (SST names it at random, then keeps the deployed name):
      // a transformation sees the resource itself, and its alarms read the name once the constructor is done.
      if (!fnOpts) return;
      fnOpts.transformations = [
        ...(fnOpts.transformations ?? []),
        (t) => {
          if (t.type !== "aws:lambda/function:Function") return undefined;
          const lambda = t.resource as aws.lambda.Function;
          queueMicrotask(() => {
            functionAlarms(name, lambda.name);
            made();
          });
          return undefined;
        },
      ];
    },
  };
});

export const tracing = "Active";

/** A failure destination is never expected to hold anything: one message means something was dropped. */
export function alarmOnDepth(name: string, queue: sst.aws.Queue) {
  return alarm(`${name}Depth`, {
    alarmDescription: `${name} holds failed events: inspect them, fix the cause, then run npm run redrive`,
    namespace: "AWS/SQS",
    metricName: "ApproximateNumberOfMessagesVisible",
    // The queue name is the last part of its ARN (arn:aws:sqs:region:account:name).
    dimensions: { QueueName: queue.arn.apply((arn) => arn.split(":").pop() ?? arn) },
    statistic: "Maximum",
    period: 60,
    evaluationPeriods: 1,
    threshold: 0,
    comparisonOperator: "GreaterThanThreshold",
  });
}

/** A stream reader this far behind is failing or too slow; records only go to the failure queue after 12 h. */
export const ITERATOR_AGE_MS = 15 * 60 * 1000;

/**
 * The age of the newest record a stream reader got ("Types of metrics for Lambda functions": IteratorAge); a
 * growing age means the reader is failing or too slow, and records near MAX_RECORD_AGE go to the failure queue.
 */
export function alarmOnIteratorAge(name: string, functionName: $util.Input<string>) {
  return alarm(`${name}IteratorAge`, {
    alarmDescription: `${name} reads the table stream more than ${ITERATOR_AGE_MS / 60_000} min behind`,
    namespace: "AWS/Lambda",
    metricName: "IteratorAge",
    dimensions: { FunctionName: functionName },
    statistic: "Maximum",
    period: 60,
    evaluationPeriods: 5,
    threshold: ITERATOR_AGE_MS,
    comparisonOperator: "GreaterThanThreshold",
  });
}
