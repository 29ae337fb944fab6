// What a CloudFront distribution does to a request and its answer: behavior by path, what reaches the origin, policy headers.

/** A cache behavior as `aws.cloudfront.Distribution` takes it (the default one has no pathPattern). */
export interface CacheBehavior {
  pathPattern?: string;
  targetOriginId?: string;
  allowedMethods?: string[];
  cachedMethods?: string[];
  cachePolicyId?: string;
  originRequestPolicyId?: string;
  responseHeadersPolicyId?: string;
}

export interface DistributionConfig {
  defaultCacheBehavior: CacheBehavior;
  orderedCacheBehaviors?: CacheBehavior[];
  customErrorResponses?: { errorCode: number; errorCachingMinTtl?: number }[];
}

type Items = { items?: string[] } | undefined;

export interface CachePolicyConfig {
  minTtl?: number;
  defaultTtl?: number;
  maxTtl?: number;
  parametersInCacheKeyAndForwardedToOrigin?: {
    headersConfig?: { headerBehavior?: string; headers?: Items };
    cookiesConfig?: { cookieBehavior?: string; cookies?: Items };
    queryStringsConfig?: { queryStringBehavior?: string; queryStrings?: Items };
  };
}

export interface OriginRequestPolicyConfig {
  headersConfig?: { headerBehavior?: string; headers?: Items };
  cookiesConfig?: { cookieBehavior?: string; cookies?: Items };
  queryStringsConfig?: { queryStringBehavior?: string; queryStrings?: Items };
}

export interface ResponseHeadersPolicyConfig {
  securityHeadersConfig?: {
    strictTransportSecurity?: {
      accessControlMaxAgeSec?: number;
      includeSubdomains?: boolean;
      preload?: boolean;
      override?: boolean;
    };
    contentSecurityPolicy?: { contentSecurityPolicy?: string; override?: boolean };
    contentTypeOptions?: { override?: boolean };
    frameOptions?: { frameOption?: string; override?: boolean };
    referrerPolicy?: { referrerPolicy?: string; override?: boolean };
    xssProtection?: { protection?: boolean; modeBlock?: boolean; reportUri?: string; override?: boolean };
  };
  customHeadersConfig?: { items?: { header: string; value: string; override?: boolean }[] };
  removeHeadersConfig?: { items?: { header: string }[] };
}

const none = {
  cookiesConfig: { cookieBehavior: "none" },
  queryStringsConfig: { queryStringBehavior: "none" },
};

/** CloudFront's managed cache policies, by id ("Use managed cache policies", CloudFront Developer Guide). */
export const MANAGED_CACHE_POLICIES: Record<string, CachePolicyConfig & { name: string }> = {
  "4135ea2d-6df8-44a3-9df3-4b5a84be39ad": {
    name: "Managed-CachingDisabled",
    minTtl: 0,
    defaultTtl: 0,
    maxTtl: 0,
    parametersInCacheKeyAndForwardedToOrigin: { headersConfig: { headerBehavior: "none" }, ...none },
  },
  "658327ea-f89d-4fab-a63d-7e88639e58f6": {
    name: "Managed-CachingOptimized",
    minTtl: 1,
    defaultTtl: 86400,
    maxTtl: 31536000,
    parametersInCacheKeyAndForwardedToOrigin: { headersConfig: { headerBehavior: "none" }, ...none },
  },
};

const allViewer = {
  cookiesConfig: { cookieBehavior: "all" },
  queryStringsConfig: { queryStringBehavior: "all" },
};

/** CloudFront's managed origin request policies, by id ("Use managed origin request policies"). */
export const MANAGED_ORIGIN_REQUEST_POLICIES: Record<string, OriginRequestPolicyConfig & { name: string }> = {
  "216adef6-5c7f-47e4-b989-5492eafa07d3": {
    name: "Managed-AllViewer",
    headersConfig: { headerBehavior: "allViewer" },
    ...allViewer,
  },
  "b689b0a8-53d0-40ab-baf2-68738e2966ac": {
    name: "Managed-AllViewerExceptHostHeader",
    headersConfig: { headerBehavior: "allExcept", headers: { items: ["host"] } },
    ...allViewer,
  },
};

/** Error codes CloudFront caches, 10 s unless an error caching minimum TTL says otherwise ("How CloudFront processes HTTP 4xx and 5xx status codes"). */
export const CACHED_ERROR_CODES = [400, 403, 404, 405, 414, 500, 501, 502, 503, 504];
export const DEFAULT_ERROR_CACHING_TTL = 10;

/** Path patterns: `*` any run of characters, `?` one, case-sensitive, the leading `/` optional. */
export function pathPatternMatches(pattern: string, path: string): boolean {
  const p = pattern.startsWith("/") ? pattern : `/${pattern}`;
  const regex = p
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${regex}$`).test(path);
}

/** The first ordered behavior whose pattern matches, else the default one. */
export function behaviorFor(distribution: DistributionConfig, path: string): CacheBehavior {
  return (
    (distribution.orderedCacheBehaviors ?? []).find(
      (b) => b.pathPattern !== undefined && pathPatternMatches(b.pathPattern, path),
    ) ?? distribution.defaultCacheBehavior
  );
}

/** TTLs with the API's defaults for what a policy leaves out. */
export function ttlsOf(policy: CachePolicyConfig) {
  return { min: policy.minTtl ?? 0, default: policy.defaultTtl ?? 86400, max: policy.maxTtl ?? 31536000 };
}

/** All three TTLs at 0: CloudFront keeps nothing ("caching disabled"). */
export function cachingDisabled(policy: CachePolicyConfig): boolean {
  const t = ttlsOf(policy);
  return t.min === 0 && t.default === 0 && t.max === 0;
}

/** Whether CloudFront may answer this method from its cache for the behavior. */
export function mayServeFromCache(
  behavior: CacheBehavior,
  policy: CachePolicyConfig,
  method: string,
): boolean {
  return (
    (behavior.cachedMethods ?? ["GET", "HEAD"]).includes(method.toUpperCase()) && !cachingDisabled(policy)
  );
}

/** How long CloudFront keeps an error with this status when the origin says nothing (0: never). */
export function errorCachingTtl(distribution: DistributionConfig, status: number): number {
  if (!CACHED_ERROR_CODES.includes(status)) return 0;
  const custom = distribution.customErrorResponses?.find((e) => Number(e.errorCode) === status);
  return custom?.errorCachingMinTtl ?? DEFAULT_ERROR_CACHING_TTL;
}

const lower = (items: Items) => (items?.items ?? []).map((h) => h.toLowerCase());

/** Whether a policy's part (headers, cookies or query strings) lets a named value through. */
function passes(behavior: string | undefined, items: string[], name: string): boolean {
  switch (behavior) {
    case "all":
    case "allViewer":
    case "allViewerAndWhitelistCloudFront":
      return true;
    case "whitelist":
      return items.includes(name);
    case "allExcept":
      return !items.includes(name);
    default:
      return false;
  }
}

/** Connection and body framing CloudFront always carries, and the WebSocket handshake it upgrades. */
const TRANSPORT = new Set([
  "host",
  "content-length",
  "content-type",
  "transfer-encoding",
  "connection",
  "upgrade",
  "sec-websocket-key",
  "sec-websocket-version",
]);

export interface EdgeRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  /** The query string without `?`. */
  query: string;
}

/**
 * The request the origin receives. A header reaches it when the cache policy keys on it or the origin
 * request policy forwards it; `Authorization` only through the cache key, or an all-viewer origin request
 * policy when caching is off or the method is not GET/HEAD ("How can I configure CloudFront to forward
 * the Authorization header to the origin?", AWS Knowledge Center).
 */
export function originRequest(
  request: EdgeRequest,
  cachePolicy: CachePolicyConfig,
  originRequestPolicy: OriginRequestPolicyConfig | undefined,
): { headers: Record<string, string | string[]>; query: string } {
  const key = cachePolicy.parametersInCacheKeyAndForwardedToOrigin ?? {};
  const orp = originRequestPolicy ?? {};
  const keyHeaders = lower(key.headersConfig?.headers);
  const orpHeaderBehavior = orp.headersConfig?.headerBehavior;
  const orpHeaders = lower(orp.headersConfig?.headers);
  const readOnly = ["GET", "HEAD"].includes(request.method.toUpperCase());
  const headerPasses = (name: string) => {
    if (TRANSPORT.has(name)) return true;
    if (passes(key.headersConfig?.headerBehavior, keyHeaders, name)) return true;
    if (name === "authorization") {
      const allViewerHeaders =
        orpHeaderBehavior !== "whitelist" && passes(orpHeaderBehavior, orpHeaders, name);
      return allViewerHeaders && (!readOnly || cachingDisabled(cachePolicy));
    }
    return passes(orpHeaderBehavior, orpHeaders, name);
  };
  const cookiePasses = (name: string) =>
    passes(key.cookiesConfig?.cookieBehavior, lower(key.cookiesConfig?.cookies), name.toLowerCase()) ||
    passes(orp.cookiesConfig?.cookieBehavior, lower(orp.cookiesConfig?.cookies), name.toLowerCase());
  const queryPasses = (name: string) =>
    passes(
      key.queryStringsConfig?.queryStringBehavior,
      key.queryStringsConfig?.queryStrings?.items ?? [],
      name,
    ) ||
    passes(
      orp.queryStringsConfig?.queryStringBehavior,
      orp.queryStringsConfig?.queryStrings?.items ?? [],
      name,
    );

  const headers: Record<string, string | string[]> = {};
  for (const [rawName, value] of Object.entries(request.headers)) {
    const name = rawName.toLowerCase();
    if (value === undefined) continue;
    if (name === "cookie") {
      const kept = String(value)
        .split(/;\s*/)
        .filter((c) => c && cookiePasses(c.split("=")[0] ?? ""));
      if (kept.length) headers.cookie = kept.join("; ");
    } else if (headerPasses(name)) headers[name] = value;
  }
  const params = new URLSearchParams(request.query);
  const kept = new URLSearchParams();
  for (const [k, v] of params) if (queryPasses(k)) kept.append(k, v);
  return { headers, query: kept.toString() };
}

/** The headers a response headers policy adds to an answer (`override: false` keeps the origin's own). */
export function responseHeaders(
  policy: ResponseHeadersPolicyConfig | undefined,
  fromOrigin: Record<string, string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fromOrigin)) out[k.toLowerCase()] = v;
  if (!policy) return out;
  const set = (name: string, value: string | undefined, override: boolean | undefined) => {
    if (value === undefined) return;
    if (override || out[name] === undefined) out[name] = value;
  };
  const s = policy.securityHeadersConfig ?? {};
  if (s.strictTransportSecurity) {
    const h = s.strictTransportSecurity;
    set(
      "strict-transport-security",
      `max-age=${h.accessControlMaxAgeSec ?? 0}${h.includeSubdomains ? "; includeSubDomains" : ""}${h.preload ? "; preload" : ""}`,
      h.override,
    );
  }
  if (s.contentSecurityPolicy)
    set(
      "content-security-policy",
      s.contentSecurityPolicy.contentSecurityPolicy,
      s.contentSecurityPolicy.override,
    );
  if (s.contentTypeOptions) set("x-content-type-options", "nosniff", s.contentTypeOptions.override);
  if (s.frameOptions) set("x-frame-options", s.frameOptions.frameOption, s.frameOptions.override);
  if (s.referrerPolicy) set("referrer-policy", s.referrerPolicy.referrerPolicy, s.referrerPolicy.override);
  if (s.xssProtection) {
    const x = s.xssProtection;
    set(
      "x-xss-protection",
      x.protection
        ? `1${x.modeBlock ? "; mode=block" : ""}${x.reportUri ? `; report=${x.reportUri}` : ""}`
        : "0",
      x.override,
    );
  }
  for (const h of policy.customHeadersConfig?.items ?? []) set(h.header.toLowerCase(), h.value, h.override);
  for (const h of policy.removeHeadersConfig?.items ?? []) delete out[h.header.toLowerCase()];
  return out;
}
