// sst.aws.Function, and SST's functionBuilder that subscribers and routes create functions through.
import type { FunctionRecord, Value } from "../../topology";
import { parseRef, refToken, serialize, unwrap } from "../output";
import { applyTransform, resolveHandler, toMBs, toSeconds } from "./args";
import { Component, linkNames } from "./component";
import type { Args, RecorderContext } from "./context";

export class SstFunction extends Component {
  static override readonly sstType = "sst.aws.Function" as const;
  constructor(ctx: RecorderContext, name: string, args: Args, opts?: Args, createdBy = "infra") {
    super(ctx, "sst.aws.Function", name, args, opts);
    const a = this.args;
    const handler = unwrap(a.handler);
    if (typeof handler !== "string") throw new Error(`Function "${name}" needs a handler string`);
    const { file, export: exportName } = resolveHandler(ctx.root, handler);
    const memory = toMBs(unwrap(a.memory) as string | undefined, 1024);
    const timeout = toSeconds(unwrap(a.timeout) as string | undefined, 20);
    const environment = (unwrap(a.environment) ?? {}) as Args;
    // The Lambda resource args, so transform.function callbacks (tracing, memory) are honoured.
    const lambda: Args = {
      name: unwrap(a.name),
      description: unwrap(a.description) ?? "",
      handler,
      runtime: unwrap(a.runtime) ?? "nodejs20.x",
      timeout,
      memorySize: memory,
      environment: { variables: { ...environment } },
      architectures: [unwrap(a.architecture) ?? "x86_64"],
      tracingConfig: undefined,
      reservedConcurrentExecutions: unwrap(unwrap(a.concurrency)?.reserved),
    };
    const transformed = applyTransform(unwrap(a.transform)?.function, `${name}Function`, lambda);
    const tracingConfig = unwrap(transformed.tracingConfig) as { mode?: string } | undefined;
    const reserved = unwrap(transformed.reservedConcurrentExecutions) as number | undefined;
    const record: FunctionRecord = {
      name,
      handler,
      file,
      export: exportName,
      link: linkNames(a.link),
      environment: serialize(transformed.environment?.variables ?? environment) as Record<string, Value>,
      memory: Number(unwrap(transformed.memorySize) ?? memory),
      timeout: Number(unwrap(transformed.timeout) ?? timeout),
      tracing: tracingConfig?.mode === "Active" ? "Active" : "PassThrough",
      runtime: String(unwrap(transformed.runtime)),
      architecture: String((unwrap(transformed.architectures) as string[])[0]),
      createdBy,
      ...(reserved !== undefined && reserved !== null && reserved >= 0
        ? { reservedConcurrency: Number(reserved) }
        : {}),
      ...(unwrap(a.nodejs)?.install ? { install: [...unwrap(a.nodejs).install] } : {}),
      ...(unwrap(unwrap(a.nodejs)?.esbuild)?.external
        ? { external: [...unwrap(unwrap(a.nodejs).esbuild).external] }
        : {}),
    };
    ctx.topology.functions.push(record);
    ctx.fnRefs.set(refToken(name, "arn"), name);
    this.record({ name: this.ref("name"), ...(a.url ? { url: this.ref("url") } : {}) });
  }
  get arn() {
    return this.ref("arn");
  }
  get url() {
    return this.ref("url");
  }
}

/** SST's functionBuilder: an ARN of a function from infra, a handler string or FunctionArgs. */
export function buildFunction(
  ctx: RecorderContext,
  name: string,
  definition: unknown,
  defaults: Args,
  argsTransform: unknown,
  createdBy: string,
): string {
  const def = unwrap(definition);
  if (typeof def === "string") {
    const ref = parseRef(def);
    if (ref) {
      const fn = ctx.fnRefs.get(refToken(ref.$ref, ref.attribute));
      if (!fn) throw new Error(`${createdBy}: "${ref.$ref}.${ref.attribute}" is not a function ARN`);
      return fn;
    }
    if (def.startsWith("arn:")) {
      throw new Error(`${createdBy}: a literal function ARN (${def}) cannot run locally; pass the Function`);
    }
    const args = applyTransform(argsTransform, name, { handler: def, ...defaults });
    new SstFunction(ctx, name, args, {}, createdBy);
    return name;
  }
  if (def && typeof def === "object" && "handler" in def) {
    const d = def as Args;
    const args = applyTransform(argsTransform, name, {
      ...defaults,
      ...d,
      link: [...((unwrap(defaults.link) as unknown[]) ?? []), ...((unwrap(d.link) as unknown[]) ?? [])],
      environment: {
        ...((unwrap(defaults.environment) as Args) ?? {}),
        ...((unwrap(d.environment) as Args) ?? {}),
      },
    });
    new SstFunction(ctx, name, args, {}, createdBy);
    return name;
  }
  throw new Error(`${createdBy}: expected a handler, FunctionArgs or a function's arn`);
}
