// Imported first so every function inherits tracing, log retention, sizing and Powertools settings.

/** AWS managed: xray:PutTraceSegments, PutTelemetryRecords and sampling reads, which Active tracing needs. */
export const XRAY_WRITE_POLICY = "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess";

$transform(sst.aws.Function, (args, _opts, name) => {
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
    function: (fn) => {
      fn.tracingConfig = { mode: "Active" };
    },
  };
});

export const tracing = "Active";

/** A failure destination is never expected to hold anything: one message means something was dropped. */
export function alarmOnDepth(name: string, queue: sst.aws.Queue) {
  return new aws.cloudwatch.MetricAlarm(`${name}Depth`, {
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
    treatMissingData: "notBreaching",
  });
}
