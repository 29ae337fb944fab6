import { api } from "./api";
import { userPool, webClient } from "./auth";
import { webAcl } from "./firewall";
import { vapidPublicKey } from "./push";
import { ws } from "./realtime";
import { bucket, bucketName, servedBy } from "./storage";

const region = aws.getRegionOutput().name;

// CloudFront's managed policies ("Use managed cache policies", "Use managed origin request policies").
const CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
const ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac";
// Status codes CloudFront caches, by default for 10 s ("How CloudFront processes HTTP 4xx and 5xx status codes").
const CACHED_ERROR_CODES = [400, 403, 404, 405, 414, 500, 501, 502, 503, 504];

/**
 * Public reads (/api/public/*, a shared link opened signed out) are the same for everyone: cached for as long as the
 * origin's Cache-Control says (s-maxage, at most 5 min), nothing when it says nothing or no-store; the key is the
 * path and query string only, never a cookie or Authorization ("Control the cache key with a policy",
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/controlling-the-cache-key.html).
 */
export const publicApiCache = new aws.cloudfront.CachePolicy("PublicApiCache", {
  comment: "asyncsns public reads: origin Cache-Control, query strings in the key",
  minTtl: 0,
  defaultTtl: 0,
  maxTtl: 300,
  parametersInCacheKeyAndForwardedToOrigin: {
    headersConfig: { headerBehavior: "none" },
    cookiesConfig: { cookieBehavior: "none" },
    queryStringsConfig: { queryStringBehavior: "all" },
    enableAcceptEncodingGzip: true,
    enableAcceptEncodingBrotli: true,
  },
});

// Presigned POSTs and chat files' presigned GETs name the bucket's own regional host (the SDK's v3 default).
const bucketOrigins = $interpolate`https://${bucketName}.s3.${region}.amazonaws.com`;
// The browser talks to the WebSocket API directly: 'self' does not cover wss: in every browser, so its origin is named.
const wsOrigin = ws.url.apply((url) => url.replace(/^([a-z]+:\/\/[^/]+).*$/, "$1"));

// Next's export inlines its bootstrap scripts (no nonce): each page's meta CSP pins them by hash (web scripts/csp-hashes.mjs).
const contentSecurityPolicy = $interpolate`${[
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join(
  "; ",
)}; img-src 'self' data: blob: ${bucketOrigins}; media-src 'self' blob: ${bucketOrigins}; connect-src 'self' ${wsOrigin} https://cognito-idp.${region}.amazonaws.com ${bucketOrigins}`;

export const securityHeaders = new aws.cloudfront.ResponseHeadersPolicy("RouterSecurityHeaders", {
  comment: "asyncsns security headers",
  securityHeadersConfig: {
    strictTransportSecurity: {
      accessControlMaxAgeSec: 63072000,
      includeSubdomains: true,
      preload: true,
      override: true,
    },
    contentSecurityPolicy: { contentSecurityPolicy, override: true },
    contentTypeOptions: { override: true },
    frameOptions: { frameOption: "DENY", override: true },
    referrerPolicy: { referrerPolicy: "strict-origin-when-cross-origin", override: true },
  },
});

// One CloudFront distribution, one origin for the browser: the site, /api, /ws and /media.
export const router = new sst.aws.Router("Router", {
  transform: {
    cdn: (cdn) => {
      cdn.transform = {
        ...cdn.transform,
        distribution: (distribution) => {
          // The Router routes every path through its default behavior (KV + CloudFront function).
          const behavior = $output(distribution.defaultCacheBehavior);
          distribution.webAclId = webAcl.arn;
          // HTTP/3 (QUIC) for viewers whose browser offers it; others keep HTTP/2 ("Supported HTTP versions").
          distribution.httpVersion = "http2and3";
          distribution.defaultCacheBehavior = behavior.apply((b) => ({
            ...b,
            responseHeadersPolicyId: securityHeaders.id,
          }));
          // The same routing, but the default caches by path alone and drops Authorization on GET: /api and /ws
          // are never cached and get every viewer header but Host ("cloudfront-authorization-header", AWS).
          distribution.orderedCacheBehaviors = $resolve({
            b: behavior,
            publicCache: publicApiCache.id,
            ordered: $output(distribution.orderedCacheBehaviors ?? []),
          }).apply(({ b, publicCache, ordered }) => [
            // First: CloudFront takes the first pattern that matches, and /api/* would match these too.
            {
              ...b,
              pathPattern: "/api/public/*",
              cachePolicyId: publicCache,
              // No origin request policy: the origin gets the cache key (query string) and nothing personal.
              originRequestPolicyId: undefined,
              responseHeadersPolicyId: securityHeaders.id,
            },
            ...["/api", "/api/*", "/ws", "/ws/*"].map((pathPattern) => ({
              ...b,
              pathPattern,
              cachePolicyId: CACHING_DISABLED,
              originRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER,
              responseHeadersPolicyId: securityHeaders.id,
            })),
            ...ordered,
          ]);
          // A cached 5xx or 403 would be replayed to every user for 10 s.
          distribution.customErrorResponses = CACHED_ERROR_CODES.map((errorCode) => ({
            errorCode,
            errorCachingMinTtl: 0,
          }));
        },
      };
    },
  },
});

router.route("/api", api.url);
router.route(
  "/ws",
  ws.url.apply((url) => url.replace(/^wss:/, "https:")),
  {
    rewrite: { regex: "^/ws(.*)$", to: "/$default$1" },
  },
);
// Only processed copies under public/ are reachable; originals (uploads/, with EXIF) never are.
router.routeBucket("/media", bucket, { rewrite: { regex: "^/media/(.*)$", to: "/public/$1" } });
const distribution = router.nodes.cdn.nodes.distribution;
servedBy({ id: distribution.id, arn: distribution.arn });

// The static export is stage-agnostic; /config.json (written at deploy) carries the stage's settings.
export const webConfig = $jsonStringify({
  region,
  userPoolId: userPool.id,
  userPoolClientId: webClient.id,
  cognitoEndpoint: $interpolate`https://cognito-idp.${region}.amazonaws.com`,
  apiUrl: "/api",
  wsUrl: ws.url,
  mediaUrl: "/media",
  // The browser subscribes with it (pushManager.subscribe's applicationServerKey): public by design, and a
  // secret output would make the site's whole config and KV entries secret in the state.
  vapidPublicKey: $util.unsecret(vapidPublicKey.value),
});

export const site = new sst.aws.StaticSite("Web", {
  path: "packages/web",
  build: { command: "npm run build", output: "out" },
  environment: { ASYNCSNS_WEB_CONFIG: webConfig },
  router: { instance: router },
  errorPage: "404.html",
});
