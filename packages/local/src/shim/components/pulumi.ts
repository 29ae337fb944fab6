// $transform, and plain Pulumi resources (`new aws.<module>.<Resource>`) infra declares beside components.
import { COMPONENT, output, refToken, serialize } from "../output";
import { unknownApi } from "./args";
import type { Args, RecorderContext, TransformFn } from "./context";

export function transformer(ctx: RecorderContext) {
  return (component: { sstType?: string; pulumiType?: string }, cb: TransformFn) => {
    // As SST's stack transformation, for `new aws.*` in infra only: SST's inner resources are not emulated.
    const type = component?.pulumiType ?? component?.sstType;
    if (!type)
      throw unknownApi("$transform on something that is neither an SST component nor a Pulumi resource");
    const byType = component.pulumiType ? ctx.pulumiTransforms : ctx.transforms;
    const list = byType.get(type) ?? [];
    list.push(cb);
    byType.set(type, list);
  };
}

/** `new aws.<module>.<Resource>(name, args)`: recorded; every attribute is a ref the deploy would compute. */
export function pulumiClass(ctx: RecorderContext, module: string, resource: string) {
  const type = `aws:${module}/${resource.charAt(0).toLowerCase()}${resource.slice(1)}:${resource}`;
  function PulumiResource(this: unknown, name: string, args: Args = {}, opts: Args = {}) {
    if (!new.target) throw new Error(`aws.${module}.${resource} must be called with new`);
    for (const t of ctx.pulumiTransforms.get(type) ?? []) t(args, opts, name);
    ctx.topology.pulumiResources.push({ type, name, args: serialize(args) });
    const target = { [COMPONENT]: { name, type } };
    return new Proxy(target, {
      get(t, prop) {
        if (typeof prop === "symbol" || prop in t) return Reflect.get(t, prop);
        if (prop === "then" || prop === "toJSON") return undefined;
        return output(refToken(name, prop));
      },
    });
  }
  return Object.assign(PulumiResource, { pulumiType: type });
}
