// The CloudFront model the local gateway and test:infra share: behavior matching, origin requests, policy headers.
import { describe, expect, it } from "vitest";
import {
  behaviorFor,
  type CachePolicyConfig,
  cachingDisabled,
  type DistributionConfig,
  errorCachingTtl,
  MANAGED_CACHE_POLICIES,
  MANAGED_ORIGIN_REQUEST_POLICIES,
  mayServeFromCache,
  originRequest,
  pathPatternMatches,
  responseHeaders,
} from "../src/standins/cloudfront-edge";

const CACHING_DISABLED = MANAGED_CACHE_POLICIES["4135ea2d-6df8-44a3-9df3-4b5a84be39ad"]!;
const ALL_VIEWER_EXCEPT_HOST = MANAGED_ORIGIN_REQUEST_POLICIES["b689b0a8-53d0-40ab-baf2-68738e2966ac"]!;
/** SST's Router default: keyed on two headers, cached up to a year. */
const ROUTER_DEFAULT: CachePolicyConfig = {
  minTtl: 0,
  defaultTtl: 0,
  maxTtl: 31536000,
  parametersInCacheKeyAndForwardedToOrigin: {
    headersConfig: {
      headerBehavior: "whitelist",
      headers: { items: ["x-open-next-cache-key", "x-forwarded-host"] },
    },
    cookiesConfig: { cookieBehavior: "none" },
    queryStringsConfig: { queryStringBehavior: "all" },
  },
};

describe("path patterns and behaviors", () => {
  it("matches * and ? as CloudFront does, case-sensitively", () => {
    expect(pathPatternMatches("/api/*", "/api/me")).toBe(true);
    expect(pathPatternMatches("/api/*", "/api")).toBe(false);
    expect(pathPatternMatches("/api", "/api")).toBe(true);
    expect(pathPatternMatches("/api", "/apis")).toBe(false);
    expect(pathPatternMatches("api/*.json", "/api/openapi.json")).toBe(true);
    expect(pathPatternMatches("/img?.png", "/img1.png")).toBe(true);
    expect(pathPatternMatches("/API/*", "/api/me")).toBe(false);
  });

  it("takes the first ordered behavior that matches, else the default", () => {
    const d: DistributionConfig = {
      defaultCacheBehavior: { targetOriginId: "default" },
      orderedCacheBehaviors: [
        { pathPattern: "/api/private/*", targetOriginId: "private" },
        { pathPattern: "/api/*", targetOriginId: "api" },
      ],
    };
    expect(behaviorFor(d, "/api/private/x").targetOriginId).toBe("private");
    expect(behaviorFor(d, "/api/x").targetOriginId).toBe("api");
    expect(behaviorFor(d, "/").targetOriginId).toBe("default");
  });
});

describe("what reaches the origin", () => {
  const viewer = {
    headers: { authorization: "Bearer t", host: "example.com", "x-other": "1", cookie: "a=1; b=2" },
    query: "x=1&y=2",
  };

  it("drops Authorization on GET and HEAD behind a cached policy, even with all viewer headers", () => {
    for (const method of ["GET", "HEAD"]) {
      const { headers } = originRequest({ method, ...viewer }, ROUTER_DEFAULT, ALL_VIEWER_EXCEPT_HOST);
      expect(headers.authorization, method).toBeUndefined();
      expect(headers["x-other"]).toBe("1");
    }
    const posted = originRequest({ method: "POST", ...viewer }, ROUTER_DEFAULT, ALL_VIEWER_EXCEPT_HOST);
    expect(posted.headers.authorization).toBe("Bearer t");
  });

  it("forwards Authorization on GET when caching is off or the cache key holds it", () => {
    const off = originRequest({ method: "GET", ...viewer }, CACHING_DISABLED, ALL_VIEWER_EXCEPT_HOST);
    expect(off.headers.authorization).toBe("Bearer t");
    const keyed: CachePolicyConfig = {
      maxTtl: 1,
      parametersInCacheKeyAndForwardedToOrigin: {
        headersConfig: { headerBehavior: "whitelist", headers: { items: ["Authorization"] } },
      },
    };
    const { headers, query } = originRequest({ method: "GET", ...viewer }, keyed, undefined);
    expect(headers.authorization).toBe("Bearer t");
    expect(headers["x-other"]).toBeUndefined();
    expect(headers.cookie).toBeUndefined();
    expect(query).toBe("");
  });

  it("passes cookies and query strings by their own settings", () => {
    const policy: CachePolicyConfig = {
      parametersInCacheKeyAndForwardedToOrigin: {
        cookiesConfig: { cookieBehavior: "whitelist", cookies: { items: ["b"] } },
        queryStringsConfig: { queryStringBehavior: "allExcept", queryStrings: { items: ["x"] } },
      },
    };
    const { headers, query } = originRequest({ method: "GET", ...viewer }, policy, undefined);
    expect(headers.cookie).toBe("b=2");
    expect(query).toBe("y=2");
  });
});

describe("caching", () => {
  it("serves GET and HEAD from cache unless every TTL is 0; never other methods", () => {
    expect(cachingDisabled(CACHING_DISABLED)).toBe(true);
    expect(cachingDisabled(ROUTER_DEFAULT)).toBe(false);
    expect(mayServeFromCache({}, ROUTER_DEFAULT, "GET")).toBe(true);
    expect(mayServeFromCache({}, ROUTER_DEFAULT, "POST")).toBe(false);
    expect(mayServeFromCache({}, CACHING_DISABLED, "GET")).toBe(false);
  });

  it("keeps cached error codes 10 s unless the distribution sets their error caching TTL", () => {
    const d: DistributionConfig = {
      defaultCacheBehavior: {},
      customErrorResponses: [{ errorCode: 503, errorCachingMinTtl: 0 }],
    };
    expect(errorCachingTtl(d, 404)).toBe(10);
    expect(errorCachingTtl(d, 503)).toBe(0);
    expect(errorCachingTtl(d, 401)).toBe(0);
  });
});

describe("response headers policy", () => {
  it("overrides the origin's header only where told to, and adds the rest", () => {
    const out = responseHeaders(
      {
        securityHeadersConfig: {
          strictTransportSecurity: { accessControlMaxAgeSec: 60, includeSubdomains: true, override: true },
          contentSecurityPolicy: { contentSecurityPolicy: "default-src 'self'", override: false },
          contentTypeOptions: { override: true },
          frameOptions: { frameOption: "DENY", override: true },
          referrerPolicy: { referrerPolicy: "no-referrer", override: true },
        },
        customHeadersConfig: { items: [{ header: "X-Extra", value: "1", override: false }] },
        removeHeadersConfig: { items: [{ header: "Server" }] },
      },
      { "Content-Security-Policy": "default-src 'none'", server: "origin", "x-frame-options": "SAMEORIGIN" },
    );
    expect(out).toEqual({
      "content-security-policy": "default-src 'none'",
      "strict-transport-security": "max-age=60; includeSubDomains",
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
      "referrer-policy": "no-referrer",
      "x-extra": "1",
    });
  });
});
