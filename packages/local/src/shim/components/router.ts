// sst.aws.Router: one distribution, its routes to URLs, buckets and sites.
import type { RouterRoute } from "../../topology";
import { COMPONENT, output, refToken, serialize, unwrap } from "../output";
import { applyTransform, recordTransforms, unknownApi } from "./args";
import { Component } from "./component";
import type { Args, RecorderContext } from "./context";

export class Router extends Component {
  static override readonly sstType = "sst.aws.Router" as const;
  constructor(ctx: RecorderContext, name: string, args?: Args, opts?: Args) {
    super(ctx, "sst.aws.Router", name, args, opts);
    if (this.args.routes) throw unknownApi("sst.aws.Router routes (inline); use router.route()");
    this.record({ url: this.ref("url") }, { transformed: recordTransforms(this.args) });
    this.recordDistribution(name);
  }
  /** The distribution SST's Router (routes added later) makes, put through `transform.cachePolicy`, `cdn` and its `distribution`. */
  private recordDistribution(name: string) {
    const transform = (unwrap(this.args.transform) ?? {}) as Args;
    const cachePolicy = `${name}ServerCachePolicy`;
    const policyArgs = applyTransform(transform.cachePolicy, cachePolicy, {
      comment: "SST server response cache policy",
      defaultTtl: 0,
      maxTtl: 31536000,
      minTtl: 0,
      parametersInCacheKeyAndForwardedToOrigin: {
        cookiesConfig: { cookieBehavior: "none" },
        headersConfig: {
          headerBehavior: "whitelist",
          headers: { items: ["x-open-next-cache-key", "x-forwarded-host"] },
        },
        queryStringsConfig: { queryStringBehavior: "all" },
        enableAcceptEncodingBrotli: true,
        enableAcceptEncodingGzip: true,
      },
    });
    this.ctx.topology.pulumiResources.push({
      type: "aws:cloudfront/cachePolicy:CachePolicy",
      name: cachePolicy,
      args: serialize(policyArgs),
    });
    const cdn = applyTransform(transform.cdn, `${name}Cdn`, {
      comment: `${name} app`,
      origins: [{ originId: "default", domainName: "placeholder.sst.dev" }],
      defaultCacheBehavior: {
        targetOriginId: "default",
        viewerProtocolPolicy: "redirect-to-https",
        allowedMethods: ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"],
        cachedMethods: ["GET", "HEAD"],
        compress: true,
        cachePolicyId: output(refToken(cachePolicy, "id")),
        // CloudFront's Managed-AllViewerExceptHostHeader, as SST sets it.
        originRequestPolicyId: "b689b0a8-53d0-40ab-baf2-68738e2966ac",
        functionAssociations: [
          {
            eventType: "viewer-request",
            functionArn: output(refToken(`${name}CloudfrontFunctionRequest`, "arn")),
          },
        ],
      },
    });
    const cdnTransform = (unwrap(cdn.transform) ?? {}) as Args;
    const distribution = applyTransform(cdnTransform.distribution, `${name}CdnDistribution`, {
      comment: cdn.comment,
      enabled: true,
      origins: cdn.origins,
      defaultCacheBehavior: cdn.defaultCacheBehavior,
      orderedCacheBehaviors: cdn.orderedCacheBehaviors,
      customErrorResponses: cdn.customErrorResponses,
    });
    this.ctx.topology.distributions?.push({ router: name, args: serialize(distribution) });
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
