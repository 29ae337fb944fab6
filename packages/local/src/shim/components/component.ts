// What every recorded component shares: its name, its args after $transform, refs and the resource record.
import type { SstType } from "../../topology";
import { COMPONENT, isComponent, output, refToken, serialize, unwrap } from "../output";
import { unknownApi } from "./args";
import type { Args, RecorderContext } from "./context";

/** Members tools and runtimes probe on any object; answering them is not a gap in the shim. */
export const ALLOWED = new Set([
  "then",
  "toJSON",
  "constructor",
  "inspect",
  "asymmetricMatch",
  "$$typeof",
  "nodeType",
]);

export abstract class Component {
  static readonly sstType: SstType;
  readonly [COMPONENT]: { name: string; type: string };
  readonly args: Args;

  constructor(
    protected readonly ctx: RecorderContext,
    type: SstType,
    name: string,
    args: Args | undefined,
    opts: Args | undefined,
  ) {
    if (typeof name !== "string" || name.includes(" ")) throw new Error(`Invalid component name "${name}"`);
    const key = `${type}::${name}`;
    if (ctx.names.has(key)) throw new Error(`Duplicate resource name "${name}" (${type})`);
    ctx.names.add(key);
    this.args = args ?? {};
    // $transform(Component, fn) callbacks run before the component reads its args, as in SST.
    for (const t of ctx.transforms.get(type) ?? []) t(this.args, opts ?? {}, name);
    this[COMPONENT] = { name, type };
    const componentName = type.replace(/^sst\./, "");
    // Unknown members fail loudly so a gap in the shim never silently drops infrastructure.
    // biome-ignore lint/correctness/noConstructorReturn: the proxy is the component
    return new Proxy(this, {
      get(target, prop, receiver) {
        if (typeof prop === "symbol" || prop in target || ALLOWED.has(prop)) {
          return Reflect.get(target, prop, receiver);
        }
        throw unknownApi(`sst.${componentName}.${prop}`);
      },
    });
  }

  get name(): any {
    return output(refToken(this[COMPONENT].name, "name"));
  }

  protected ref(attribute: string): any {
    return output(refToken(this[COMPONENT].name, attribute));
  }

  protected record(link?: Record<string, unknown>, extra: Args = {}) {
    this.ctx.topology.resources.push({
      name: this[COMPONENT].name,
      type: this[COMPONENT].type as SstType,
      args: serialize(this.args),
      ...(link ? { link: Object.fromEntries(Object.entries(link).map(([k, v]) => [k, serialize(v)])) } : {}),
      ...extra,
    });
  }
}

/** Names of the components a `link` array holds. */
export function linkNames(link: unknown): string[] {
  const list = unwrap(link);
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new Error("link must be an array of resources");
  return list.map((item) => {
    if (isComponent(item)) return item[COMPONENT].name;
    throw new Error(`link only takes SST components here, got ${JSON.stringify(item)}`);
  });
}
