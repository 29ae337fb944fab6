// Function posture: tracing and the right to write traces, log retention, Powertools, sizing, pinned installs.
import { type InfraGraph, statementList } from "../graph";
import { type Problem, problem } from "./shared";

/** SST's own defaults (sst.aws.Function): a value equal to these was most likely never chosen. */
export const SST_FUNCTION_DEFAULTS = { timeout: 20, memorySize: 1024 };

/** Active tracing, bounded log retention, deliberate timeout and memory on every function. */
export function checkFunctions(graph: InfraGraph): Problem[] {
  const out: Problem[] = [];
  for (const fn of graph.functions()) {
    const i = fn.lambda.inputs;
    const name = fn.logicalName;
    if ((i.tracingConfig as { mode?: string } | undefined)?.mode !== "Active")
      out.push(problem("function", name, `${name} has no active X-Ray tracing`));
    const retention = fn.logGroup?.inputs.retentionInDays;
    if (!fn.logGroup) out.push(problem("function", name, `${name} has no log group of its own`));
    else if (typeof retention !== "number" || retention <= 0)
      out.push(problem("function", name, `${name} keeps logs forever (no retentionInDays)`));
    if (i.timeout === undefined || i.timeout === SST_FUNCTION_DEFAULTS.timeout)
      out.push(
        problem("function", name, `${name} timeout is SST's default ${SST_FUNCTION_DEFAULTS.timeout} s`),
      );
    if (i.memorySize === undefined || i.memorySize === SST_FUNCTION_DEFAULTS.memorySize)
      out.push(
        problem("function", name, `${name} memory is SST's default ${SST_FUNCTION_DEFAULTS.memorySize} MB`),
      );
  }
  return out;
}

/** Managed policies that let a role write X-Ray trace segments and telemetry. */
export const TRACE_WRITE_POLICIES = [
  "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess",
  "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
];
const TRACE_ACTIONS = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"];

/**
 * xray-write: a function with Active tracing needs a role that may call xray:PutTraceSegments and
 * xray:PutTelemetryRecords, or CreateFunction fails ("The provided execution role does not have permissions to
 * call PutTraceSegments on XRAY"). AWS: "Visualize Lambda function invocations using AWS X-Ray",
 * https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html (section "Execution role permissions").
 */
export function checkTraceWriting(graph: InfraGraph): Problem[] {
  const out: Problem[] = [];
  for (const fn of graph.functions()) {
    if ((fn.lambda.inputs.tracingConfig as { mode?: string } | undefined)?.mode !== "Active") continue;
    const managed = graph.managedPoliciesOf(fn).some((arn) => TRACE_WRITE_POLICIES.includes(arn));
    const allowed = graph
      .policiesOf(fn)
      .filter((st) => st.Effect === "Allow" && statementList(st, "Resource").includes("*"))
      .flatMap((st) => statementList(st, "Action"));
    const inline = TRACE_ACTIONS.every((a) => allowed.includes(a) || allowed.includes("xray:*"));
    if (!fn.role)
      out.push(
        problem("xray", fn.logicalName, `${fn.logicalName} traces actively but has no role of its own`),
      );
    else if (!managed && !inline)
      out.push(
        problem(
          "xray",
          fn.logicalName,
          `${fn.logicalName} traces actively but its role may not call ${TRACE_ACTIONS.join(" and ")}`,
        ),
      );
  }
  return out;
}

/** What every function's logger, metrics and tracer read (service name, metrics namespace, log level). */
export const POWERTOOLS_ENV = [
  "POWERTOOLS_SERVICE_NAME",
  "POWERTOOLS_METRICS_NAMESPACE",
  "POWERTOOLS_LOG_LEVEL",
];

/**
 * powertools-env: Powertools reads its service name, namespace and level from the environment only, so a
 * function without them logs as "service_undefined" and puts metrics in no namespace. Powertools for AWS Lambda
 * (TypeScript): "Environment variables", https://docs.powertools.aws.dev/lambda/typescript/latest/environment-variables/
 */
export function checkPowertoolsEnv(graph: InfraGraph, names: string[] = POWERTOOLS_ENV): Problem[] {
  const out: Problem[] = [];
  for (const fn of graph.functions()) {
    const variables =
      (fn.lambda.inputs.environment as { variables?: Record<string, unknown> } | undefined)?.variables ?? {};
    const missing = names.filter((n) => typeof variables[n] !== "string" || variables[n] === "");
    if (missing.length)
      out.push(problem("powertools", fn.logicalName, `${fn.logicalName} lacks ${missing.join(", ")}`));
  }
  return out;
}

/**
 * install-pinned: SST installs `nodejs.install` packages with npm at deploy, at the version in the `dependencies`
 * of the package.json above its build folder (the repo root), else "*" (whatever is latest that day).
 * SST: "Function — nodejs.install", https://sst.dev/docs/component/aws/function/#nodejs-install
 */
export function checkInstallPins(graph: InfraGraph, dependencies: Record<string, string> = {}): Problem[] {
  const out: Problem[] = [];
  for (const fn of graph.functions())
    for (const pkg of fn.build?.install ?? []) {
      const version = dependencies[pkg];
      if (!version)
        out.push(
          problem(
            "install",
            fn.logicalName,
            `${fn.logicalName} installs ${pkg} at deploy with no version in the root package.json dependencies`,
          ),
        );
      else if (!/^\d+\.\d+\.\d+$/.test(version))
        out.push(
          problem(
            "install",
            fn.logicalName,
            `${fn.logicalName} installs ${pkg}@${version}, a range, not an exact version`,
          ),
        );
    }
  return out;
}
