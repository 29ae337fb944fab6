import { api } from "./api";
import { userPool, webClient } from "./auth";
import { webAcl } from "./firewall";
import { ws } from "./realtime";
import { bucket, bucketName, servedBy } from "./storage";

const region = aws.getRegionOutput().name;

// Next's static export inlines its bootstrap scripts and has no per-request nonce, hence 'unsafe-inline'.
const contentSecurityPolicy = $interpolate`${[
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "font-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join(
  "; ",
)}; connect-src 'self' https://cognito-idp.${region}.amazonaws.com https://${bucketName}.s3.amazonaws.com https://${bucketName}.s3.${region}.amazonaws.com`;

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
          const behavior = distribution.defaultCacheBehavior;
          distribution.webAclId = webAcl.arn;
          distribution.defaultCacheBehavior = $output(behavior).apply((b) => ({
            ...b,
            responseHeadersPolicyId: securityHeaders.id,
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
  wsUrl: "/ws",
  mediaUrl: "/media",
});

export const site = new sst.aws.StaticSite("Web", {
  path: "packages/web",
  build: { command: "npm run build", output: "out" },
  environment: { ASYNCSNS_WEB_CONFIG: webConfig },
  router: { instance: router },
  errorPage: "404.html",
});
