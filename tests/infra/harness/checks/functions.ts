// Function posture: tracing, log retention, and a deliberate timeout and memory size.
import type { InfraGraph } from "../graph";
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
