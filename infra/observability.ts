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
  // nodejs22.x ships AWS SDK v3 (clients, lib-dynamodb, the S3 presigners): load it from the runtime instead
  // of bundling ~500 KB of it into every function. The local cloud's bundler honours the same setting.
  const nodejs = (args.nodejs ?? {}) as { esbuild?: { external?: string[] } };
  args.nodejs = {
    ...nodejs,
    esbuild: { ...nodejs.esbuild, external: [...(nodejs.esbuild?.external ?? []), "@aws-sdk/*"] },
  };
  args.transform = {
    ...args.transform,
    function: (fn) => {
      fn.tracingConfig = { mode: "Active" };
    },
  };
});

export const tracing = "Active";
