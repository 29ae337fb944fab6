// sst.aws.StaticSite: where its build lands, its environment, and the Router path it is served at.
import type { Value } from "../../topology";
import { COMPONENT, isComponent, serialize, unwrap } from "../output";
import { Component } from "./component";
import type { Args, RecorderContext } from "./context";

export class StaticSite extends Component {
  static override readonly sstType = "sst.aws.StaticSite" as const;
  constructor(ctx: RecorderContext, name: string, args: Args, opts?: Args) {
    super(ctx, "sst.aws.StaticSite", name, args, opts);
    const a = this.args;
    const router = unwrap(a.router) as Args | undefined;
    const routerName =
      router?.instance && isComponent(router.instance) ? router.instance[COMPONENT].name : undefined;
    const build = unwrap(a.build) as { command: string; output: string } | undefined;
    ctx.topology.staticSites.push({
      name,
      path: String(unwrap(a.path) ?? "."),
      ...(build ? { build: { command: build.command, output: build.output } } : {}),
      ...(a.errorPage ? { errorPage: String(unwrap(a.errorPage)) } : {}),
      indexPage: String(unwrap(a.indexPage) ?? "index.html"),
      environment: serialize(a.environment ?? {}) as Record<string, Value>,
      ...(routerName ? { router: routerName } : {}),
    });
    if (routerName) {
      const path = String(unwrap(router?.path) ?? "/");
      ctx.topology.routerRoutes.push({
        router: routerName,
        pattern: path,
        kind: "site",
        target: serialize(this),
      });
    }
    this.record({ url: this.ref("url") });
  }
  get url() {
    return this.ref("url");
  }
}
