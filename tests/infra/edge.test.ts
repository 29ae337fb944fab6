// The distribution evaluated as CloudFront would: which behavior a path meets, what reaches the origin, what is cached.
import { describe, expect, it } from "vitest";
import {
  appGraph,
  checkApiThroughCloudFront,
  checkWebSocketThroughCloudFront,
  edgeRequest,
  InfraGraph,
  type Problem,
  T,
} from "./harness/index";

const messages = (problems: Problem[]) => problems.map((p) => p.message);

/** The CSP as directive → sources. */
function csp(graph: InfraGraph): Record<string, string[]> {
  const policy = graph.findOne(T.responseHeadersPolicy);
  const config = policy.inputs.securityHeadersConfig as {
    contentSecurityPolicy: { contentSecurityPolicy: string };
  };
  return Object.fromEntries(
    config.contentSecurityPolicy.contentSecurityPolicy
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

describe.each(["dev-ci", "production"] as const)("%s", (stage) => {
  const graph = appGraph(stage);
  const distribution = graph.findOne(T.distribution);

  it(
    "an /api request of every method reaches the origin with its Authorization header and query string, and is never " +
      'served from cache, errors included (AWS Knowledge Center "How can I configure CloudFront to forward the ' +
      'Authorization header to the origin?" https://repost.aws/knowledge-center/cloudfront-authorization-header; ' +
      '"How CloudFront processes HTTP 4xx and 5xx status codes from your origin" ' +
      "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/HTTPStatusCodes.html)",
    () => {
      expect(checkApiThroughCloudFront(graph)).toEqual([]);
    },
  );

  it(
    "the /ws upgrade reaches the WebSocket API with its token and handshake headers, uncached " +
      '("Use WebSockets with CloudFront distributions" ' +
      "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/distribution-working-with.websockets.html)",
    () => {
      expect(checkWebSocketThroughCloudFront(graph)).toEqual([]);
    },
  );

  it(
    "a public read (/api/public/*) may be cached, keyed by path and query string alone, for as long as the origin's " +
      "Cache-Control says and at most 5 min, and reaches the origin without the viewer's Authorization or cookies " +
      '("Control the cache key with a policy" https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/controlling-the-cache-key.html; ' +
      '"Manage how long content stays in the cache (expiration)" https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/Expiration.html)',
    () => {
      const view = edgeRequest(graph, distribution, {
        method: "GET",
        path: "/api/public/users/alice/posts",
        headers: { authorization: "Bearer token", cookie: "a=b" },
        query: "cursor=c",
      });
      expect(view.where).toBe("/api/public/*");
      expect(view.unknown).toEqual([]);
      expect(view.fromCache).toBe(true);
      expect(view.origin.query).toBe("cursor=c");
      expect(view.origin.headers.authorization).toBeUndefined();
      expect(view.origin.headers.cookie).toBeUndefined();
      const policy = graph.byName("aws:cloudfront/cachePolicy:CachePolicy", "PublicApiCache")!;
      expect(policy.inputs).toMatchObject({ minTtl: 0, defaultTtl: 0, maxTtl: 300 });
      expect(view.behavior.responseHeadersPolicyId).toBe(graph.findOne(T.responseHeadersPolicy).id);
      // Everything else under /api stays uncached.
      expect(edgeRequest(graph, distribution, { method: "GET", path: "/api/publicity" }).fromCache).toBe(
        false,
      );
      expect(edgeRequest(graph, distribution, { method: "GET", path: "/api/users/alice" }).fromCache).toBe(
        false,
      );
    },
  );

  it("the site keeps the Router's cached default behavior, and every behavior sends the security headers", () => {
    const page = edgeRequest(graph, distribution, { method: "GET", path: "/u/", query: "h=alice" });
    expect(page.where).toBe("default");
    expect(page.fromCache).toBe(true);
    expect(page.origin.query).toBe("h=alice");
    const media = edgeRequest(graph, distribution, { method: "GET", path: "/media/x.webp" });
    expect(media.where).toBe("default");
    const api = edgeRequest(graph, distribution, { method: "GET", path: "/api/me" });
    expect(api.behavior.responseHeadersPolicyId).toBe(page.behavior.responseHeadersPolicyId);
    expect(api.behavior.responseHeadersPolicyId).toBe(graph.findOne(T.responseHeadersPolicy).id);
  });

  it(
    "the CSP lets chat images, video and audio (presigned GETs) and uploads (presigned POSTs) reach the bucket's own " +
      "host, and names the WebSocket origin, which 'self' does not cover in every browser (CSP Level 3 " +
      '"Does url match expression in origin with redirect count?" https://www.w3.org/TR/CSP3/#match-url-to-source-expression)',
    () => {
      const bucket = graph.byName(T.bucket, "MediaBucket")!;
      const host = `https://${String(bucket.outputs.bucketRegionalDomainName)}`;
      const directives = csp(graph);
      for (const d of ["img-src", "media-src", "connect-src"]) expect(directives[d], d).toContain(host);
      const wsApi = graph.webSocketApis()[0]!;
      const wsOrigin = new URL(String(wsApi.outputs.apiEndpoint)).origin.replace(/^https:/, "wss:");
      expect(directives["connect-src"]).toContain(wsOrigin);
      expect(directives["object-src"]).toEqual(["'none'"]);
    },
  );
});

describe("the Router's default behavior alone (before /api had its own)", () => {
  const graph = appGraph("dev-ci");
  const old = new InfraGraph({
    ...graph.app,
    resources: graph.resources.map((r) =>
      r.type === T.distribution
        ? { ...r, inputs: { ...r.inputs, orderedCacheBehaviors: [], customErrorResponses: [] } }
        : r,
    ),
  });

  it("loses Authorization on GET and HEAD, keeps it on POST, and may serve /api answers and errors from cache", () => {
    const found = messages(checkApiThroughCloudFront(old));
    expect(found).toEqual(
      expect.arrayContaining([
        "GET /api/timelines/home (default behavior) reaches the origin without its Authorization header",
        "HEAD /api (default behavior) reaches the origin without its Authorization header",
        "GET /api/timelines/home (default behavior) may be answered from the cache",
        "RouterCdnDistribution caches a 503 for 10 s",
      ]),
    );
    expect(found.filter((m) => m.startsWith("POST") && m.includes("Authorization"))).toEqual([]);
  });
});
