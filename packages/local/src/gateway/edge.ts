// The Router's distribution applied to local traffic: what each behavior lets reach the origin, and the headers it adds.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import {
  behaviorFor,
  type CachePolicyConfig,
  type DistributionConfig,
  MANAGED_CACHE_POLICIES,
  MANAGED_ORIGIN_REQUEST_POLICIES,
  type OriginRequestPolicyConfig,
  originRequest,
  type ResponseHeadersPolicyConfig,
  responseHeaders,
} from "../standins/cloudfront-edge";
import { isRef, isTemplate, type RefResolver, resolveValue, type Topology, type Value } from "../topology";

/** Public AWS endpoints a browser calls directly, e.g. https://<bucket>.s3.<region>.amazonaws.com. */
const AWS_ORIGIN = /https:\/\/(?:[a-z0-9.-]+\.)?(s3|cognito-idp)(?:\.[a-z0-9-]+)?\.amazonaws\.com/g;

export interface Edge {
  /** Drops from `req.headers` and `url` what CloudFront would not forward for the behavior the path meets. */
  toOrigin(req: IncomingMessage, url: URL): void;
  /** Makes `res` send the behavior's response headers policy on whatever it answers. */
  withPolicyHeaders(res: ServerResponse, path: string): void;
}

const PULUMI_ID = "pulumi-resource:";

/** The Router's recorded distribution with its policies, resolved to local values; undefined when there is none. */
export function createEdge(
  topology: Topology,
  resolve: RefResolver,
  /** Service (s3, cognito-idp) → its stand-in's endpoint. */
  awsEndpoints: Record<string, string>,
): Edge | undefined {
  const recorded = topology.distributions?.[0];
  if (!recorded) return undefined;
  const declared = new Map(topology.pulumiResources.map((r) => [r.name, r]));
  // A policy id is a ref to a policy infra (or SST) declares, or a managed policy's literal id.
  const ids = (v: Value): Value => {
    if (v === null || typeof v !== "object") return v;
    if (isRef(v)) return declared.has(v.$ref) ? `${PULUMI_ID}${v.$ref}` : `${v.$ref}.${v.attribute}`;
    if (isTemplate(v)) return v.$template.map((p) => (typeof p === "string" ? p : "?")).join("");
    if (Array.isArray(v)) return v.map(ids);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, ids(x)]));
  };
  const distribution = ids(recorded.args) as unknown as DistributionConfig;
  const local = (text: string) =>
    text.replace(AWS_ORIGIN, (whole, service: string) => {
      const endpoint = awsEndpoints[service];
      return endpoint ? new URL(endpoint).origin : whole;
    });
  const policy = <P>(id: string | undefined, managed: Record<string, P>): P | undefined => {
    if (!id) return undefined;
    if (!id.startsWith(PULUMI_ID)) return managed[id];
    const r = declared.get(id.slice(PULUMI_ID.length));
    if (!r) return undefined;
    const resolved = resolveValue(r.args, resolve);
    return JSON.parse(local(JSON.stringify(resolved))) as P;
  };
  const cache = new Map<string, unknown>();
  const once = <P>(kind: string, id: string | undefined, managed: Record<string, P>) => {
    const key = `${kind}:${id}`;
    if (!cache.has(key)) cache.set(key, policy(id, managed));
    return cache.get(key) as P | undefined;
  };

  return {
    toOrigin(req, url) {
      const behavior = behaviorFor(distribution, url.pathname);
      const cachePolicy = once<CachePolicyConfig>("cache", behavior.cachePolicyId, MANAGED_CACHE_POLICIES);
      const orp = once<OriginRequestPolicyConfig>(
        "origin",
        behavior.originRequestPolicyId,
        MANAGED_ORIGIN_REQUEST_POLICIES,
      );
      const forwarded = originRequest(
        { method: req.method ?? "GET", headers: req.headers, query: url.search.slice(1) },
        cachePolicy ?? {},
        orp,
      );
      for (const name of Object.keys(req.headers)) if (!(name in forwarded.headers)) delete req.headers[name];
      url.search = forwarded.query ? `?${forwarded.query}` : "";
    },
    withPolicyHeaders(res, path) {
      const behavior = behaviorFor(distribution, path);
      const headersPolicy = once<ResponseHeadersPolicyConfig>(
        "response",
        behavior.responseHeadersPolicyId,
        {},
      );
      if (!headersPolicy) return;
      const writeHead = res.writeHead.bind(res) as (
        status: number,
        headers?: OutgoingHttpHeaders,
      ) => ServerResponse;
      // Node answers through writeHead even when a handler only calls end(), so every answer passes here.
      res.writeHead = ((status: number, ...rest: unknown[]) => {
        const given = (typeof rest[0] === "string" ? rest[1] : rest[0]) as OutgoingHttpHeaders | undefined;
        const merged: Record<string, string> = {};
        const passThrough: OutgoingHttpHeaders = {};
        for (const [k, v] of Object.entries({ ...res.getHeaders(), ...(given ?? {}) })) {
          if (v === undefined) continue;
          if (Array.isArray(v)) passThrough[k.toLowerCase()] = v;
          else merged[k.toLowerCase()] = String(v);
        }
        for (const k of res.getHeaderNames()) res.removeHeader(k);
        return writeHead(status, { ...responseHeaders(headersPolicy, merged), ...passThrough });
      }) as typeof res.writeHead;
    },
  };
}
