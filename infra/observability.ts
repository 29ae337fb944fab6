// Every function gets the same operational defaults: X-Ray active tracing, bounded log retention,
// deliberate memory/timeout, and Powertools settings. Imported first so the transform applies to all.
$transform(sst.aws.Function, (args, _opts, name) => {
  args.runtime ??= "nodejs22.x";
  args.architecture ??= "arm64";
  args.memory ??= "512 MB";
  args.timeout ??= "10 seconds";
  args.logging ??= { retention: $app.stage === "production" ? "3 months" : "1 week", format: "json" };
  args.environment = {
    POWERTOOLS_SERVICE_NAME: name,
    POWERTOOLS_METRICS_NAMESPACE: "asyncsns",
    POWERTOOLS_LOG_LEVEL: $app.stage === "production" ? "INFO" : "DEBUG",
    ...args.environment,
  };
  args.transform = {
    ...args.transform,
    function: (fn) => {
      fn.tracingConfig = { mode: "Active" };
    },
  };
});

export const tracing = "Active";
