// Edge posture: TLS floor, HTTP/3, HTTPS-only compressed behaviors and security headers on every distribution.
import {
  behaviorFor,
  CACHED_ERROR_CODES,
  type CacheBehavior,
  type CachePolicyConfig,
  type DistributionConfig,
  errorCachingTtl,
  MANAGED_CACHE_POLICIES,
  MANAGED_ORIGIN_REQUEST_POLICIES,
  mayServeFromCache,
  type OriginRequestPolicyConfig,
  originRequest,
} from "../../../../packages/local/src/standins/cloudfront-edge";
import { type InfraGraph, T } from "../graph";
import type { MockedResource } from "../types";
import { type Problem, problem, s } from "./shared";

/** Security policies CloudFront offers that refuse TLS below 1.2 and weak ciphers (2021 and later). */
export const MODERN_TLS_POLICIES = ["TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"];

/** AWS fixes the TLS policy of the default *.cloudfront.net certificate, so the floor is for custom domains. */
export function checkCloudFront(graph: InfraGraph): Problem[] {
  const out: Problem[] = [];
  for (const d of graph.findAll(T.distribution)) {
    const cert = (d.inputs.viewerCertificate ?? {}) as Record<string, unknown>;
    if (cert.acmCertificateArn || cert.iamCertificateId) {
      if (!MODERN_TLS_POLICIES.includes(String(cert.minimumProtocolVersion)))
        out.push(
          problem(
            "cloudfront",
            d.name,
            `${d.name} accepts viewers on ${s(cert.minimumProtocolVersion ?? "TLSv1")}, not ${MODERN_TLS_POLICIES.join(" or ")}`,
          ),
        );
    } else if (cert.cloudfrontDefaultCertificate !== true)
      out.push(problem("cloudfront", d.name, `${d.name} has no viewer certificate`));
    // "Supported HTTP versions" and "Serve compressed files", Amazon CloudFront Developer Guide:
    // https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/DownloadDistValuesGeneral.html#DownloadDistValuesSupportedHTTPVersions
    // https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/ServingCompressedFiles.html
    if (d.inputs.httpVersion !== "http2and3")
      out.push(
        problem("cloudfront", d.name, `${d.name} serves ${s(d.inputs.httpVersion ?? "http2")}, not HTTP/3`),
      );
    const behaviors = [
      d.inputs.defaultCacheBehavior as Record<string, unknown>,
      ...((d.inputs.orderedCacheBehaviors as Record<string, unknown>[] | undefined) ?? []),
    ];
    for (const [index, b] of behaviors.entries()) {
      const where = index === 0 ? "default behavior" : `behavior ${s(b.pathPattern)}`;
      if (b.viewerProtocolPolicy !== "redirect-to-https" && b.viewerProtocolPolicy !== "https-only")
        out.push(problem("cloudfront", d.name, `${d.name} ${where} allows ${s(b.viewerProtocolPolicy)}`));
      if (b.compress !== true)
        out.push(problem("cloudfront", d.name, `${d.name} ${where} does not compress`));
      const policy = graph.resources.find(
        (r) => r.type === T.responseHeadersPolicy && r.id === b.responseHeadersPolicyId,
      );
      if (!policy) {
        out.push(problem("cloudfront", d.name, `${d.name} ${where} has no response headers policy`));
        continue;
      }
      const h = (policy.inputs.securityHeadersConfig ?? {}) as Record<
        string,
        Record<string, unknown> | undefined
      >;
      if (Number(h.strictTransportSecurity?.accessControlMaxAgeSec ?? 0) < 31536000)
        out.push(problem("cloudfront", d.name, `${policy.name} has no HSTS of at least one year`));
      const csp = String(h.contentSecurityPolicy?.contentSecurityPolicy ?? "");
      for (const directive of ["default-src", "frame-ancestors", "object-src 'none'"])
        if (!csp.includes(directive))
          out.push(problem("cloudfront", d.name, `${policy.name} CSP lacks ${directive}`));
      if (!h.contentTypeOptions)
        out.push(problem("cloudfront", d.name, `${policy.name} does not send nosniff`));
      if (!["DENY", "SAMEORIGIN"].includes(String(h.frameOptions?.frameOption)))
        out.push(problem("cloudfront", d.name, `${policy.name} sends no X-Frame-Options`));
    }
  }
  return out;
}

const CACHE_POLICY = "aws:cloudfront/cachePolicy:CachePolicy";
const ORIGIN_REQUEST_POLICY = "aws:cloudfront/originRequestPolicy:OriginRequestPolicy";

/** A policy by the id a behavior names: one the graph declares, else CloudFront's managed one. */
function policyFor<P>(
  graph: InfraGraph,
  type: string,
  managed: Record<string, P>,
  id: unknown,
): P | undefined {
  if (id === undefined || id === null || id === "") return undefined;
  const declared = graph.resources.find((r) => r.type === type && r.id === id);
  return declared ? (declared.inputs as P) : managed[String(id)];
}

export interface EdgeView {
  behavior: CacheBehavior;
  /** The behavior's pattern, or "default". */
  where: string;
  allowed: boolean;
  /** The request as the origin receives it. */
  origin: { headers: Record<string, string | string[]>; query: string };
  /** Whether CloudFront may answer it from its cache. */
  fromCache: boolean;
  /** Unknown policy ids (neither declared nor managed). */
  unknown: string[];
}

/** A viewer request evaluated as CloudFront would on this distribution: behavior, origin request, cache. */
export function edgeRequest(
  graph: InfraGraph,
  distribution: MockedResource,
  request: { method: string; path: string; headers?: Record<string, string>; query?: string },
): EdgeView {
  const config = distribution.inputs as unknown as DistributionConfig;
  const behavior = behaviorFor(config, request.path);
  const unknown: string[] = [];
  const cachePolicy = policyFor<CachePolicyConfig>(
    graph,
    CACHE_POLICY,
    MANAGED_CACHE_POLICIES,
    behavior.cachePolicyId,
  );
  if (!cachePolicy) unknown.push(`cache policy ${s(behavior.cachePolicyId)}`);
  const orp = policyFor<OriginRequestPolicyConfig>(
    graph,
    ORIGIN_REQUEST_POLICY,
    MANAGED_ORIGIN_REQUEST_POLICIES,
    behavior.originRequestPolicyId,
  );
  if (behavior.originRequestPolicyId && !orp)
    unknown.push(`origin request policy ${s(behavior.originRequestPolicyId)}`);
  const policy = cachePolicy ?? {};
  return {
    behavior,
    where: behavior.pathPattern ?? "default",
    allowed: (behavior.allowedMethods ?? ["GET", "HEAD"]).includes(request.method),
    origin: originRequest(
      { method: request.method, headers: request.headers ?? {}, query: request.query ?? "" },
      policy,
      orp,
    ),
    fromCache: mayServeFromCache(behavior, policy, request.method),
    unknown,
  };
}

/** Requests the browser makes to the HTTP API through the distribution, with a token and a query. */
const API_REQUESTS = ["GET", "HEAD", "POST", "PATCH", "PUT", "DELETE"].flatMap((method) =>
  ["/api", "/api/timelines/home"].map((path) => ({ method, path })),
);

/**
 * `/api` through CloudFront: the JWT authorizer needs `Authorization` on every method, the query string
 * reaches the handler, and no answer (nor error) is kept for someone else.
 */
export function checkApiThroughCloudFront(graph: InfraGraph): Problem[] {
  const out: Problem[] = [];
  for (const d of graph.findAll(T.distribution)) {
    const config = d.inputs as unknown as DistributionConfig;
    for (const { method, path } of API_REQUESTS) {
      const view = edgeRequest(graph, d, {
        method,
        path,
        headers: { authorization: "Bearer token", "content-type": "application/json" },
        query: "cursor=c&limit=20",
      });
      const at = `${method} ${path} (${view.where} behavior)`;
      for (const u of view.unknown) out.push(problem("cloudfront", d.name, `${at} uses an unknown ${u}`));
      if (!view.allowed) out.push(problem("cloudfront", d.name, `${at} is not an allowed method`));
      if (view.origin.headers.authorization !== "Bearer token")
        out.push(problem("cloudfront", d.name, `${at} reaches the origin without its Authorization header`));
      if (view.origin.query !== "cursor=c&limit=20")
        out.push(problem("cloudfront", d.name, `${at} reaches the origin without its query string`));
      if (view.fromCache) out.push(problem("cloudfront", d.name, `${at} may be answered from the cache`));
    }
    for (const status of CACHED_ERROR_CODES) {
      const ttl = errorCachingTtl(config, status);
      if (ttl > 0) out.push(problem("cloudfront", d.name, `${d.name} caches a ${status} for ${ttl} s`));
    }
  }
  return out;
}

/** `/ws` through CloudFront: the upgrade with its token in the query string reaches the WebSocket API uncached. */
export function checkWebSocketThroughCloudFront(graph: InfraGraph): Problem[] {
  const out: Problem[] = [];
  for (const d of graph.findAll(T.distribution)) {
    const view = edgeRequest(graph, d, {
      method: "GET",
      path: "/ws",
      headers: {
        connection: "Upgrade",
        upgrade: "websocket",
        "sec-websocket-key": "k",
        "sec-websocket-version": "13",
        "sec-websocket-protocol": "p",
        "sec-websocket-extensions": "permessage-deflate",
      },
      query: "token=t",
    });
    const at = `GET /ws (${view.where} behavior)`;
    for (const u of view.unknown) out.push(problem("cloudfront", d.name, `${at} uses an unknown ${u}`));
    if (view.origin.query !== "token=t")
      out.push(problem("cloudfront", d.name, `${at} reaches the origin without its token`));
    for (const h of ["sec-websocket-protocol", "sec-websocket-extensions"])
      if (view.origin.headers[h] === undefined)
        out.push(problem("cloudfront", d.name, `${at} reaches the origin without ${h}`));
    if (view.fromCache) out.push(problem("cloudfront", d.name, `${at} may be answered from the cache`));
  }
  return out;
}
