// sst.aws.Router: one distribution, its routes to URLs, buckets and sites.
import type { RouterRoute } from "../../topology";
import { COMPONENT, output, serialize, unwrap } from "../output";
import { recordTransforms, unknownApi } from "./args";
import { Component } from "./component";
import type { Args, RecorderContext } from "./context";

export class Router extends Component {
  static override readonly sstType = "sst.aws.Router" as const;
  constructor(ctx: RecorderContext, name: string, args?: Args, opts?: Args) {
    super(ctx, "sst.aws.Router", name, args, opts);
    if (this.args.routes) throw unknownApi("sst.aws.Router routes (inline); use router.route()");
    this.record({ url: this.ref("url") }, { transformed: recordTransforms(this.args) });
  }
  get url() {
    return this.ref("url");
  }
  /** The distribution (a bucket policy names its ARN, the CDN purge its id); the local cloud has a fixed one. */
  get nodes() {
    return {
      cdn: output({
        nodes: { distribution: { id: this.ref("distributionId"), arn: this.ref("distributionArn") } },
      }),
    };
  }
  private add(kind: RouterRoute["kind"], pattern: string, target: unknown, args: Args = {}) {
    const rewrite = unwrap(args.rewrite) as { regex: string; to: string } | undefined;
    this.ctx.topology.routerRoutes.push({
      router: this[COMPONENT].name,
      pattern: String(unwrap(pattern)),
      kind,
      target: serialize(target),
      ...(rewrite ? { rewrite } : {}),
    });
  }
  route(pattern: string, url: unknown, args: Args = {}) {
    this.add("url", pattern, url, args);
  }
  routeBucket(pattern: string, bucket: unknown, args: Args = {}) {
    this.add("bucket", pattern, bucket, args);
  }
  routeSite(pattern: string, site: unknown) {
    this.add("site", pattern, site);
  }
}
