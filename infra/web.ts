import { api } from "./api";
import { userPool, webClient } from "./auth";
import { ws } from "./realtime";
import { bucket } from "./storage";

// One CloudFront distribution, one origin for the browser: the site, /api, /ws and /media.
export const router = new sst.aws.Router("Router", {
  transform: {
    cdn: (cdn) => {
      cdn.transform = { ...cdn.transform };
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
router.routeBucket("/media", bucket, { rewrite: { regex: "^/media/(.*)$", to: "/$1" } });

// The static export is stage-agnostic; /config.json (written at deploy) carries the stage's settings.
export const webConfig = $jsonStringify({
  region: aws.getRegionOutput().name,
  userPoolId: userPool.id,
  userPoolClientId: webClient.id,
  cognitoEndpoint: $interpolate`https://cognito-idp.${aws.getRegionOutput().name}.amazonaws.com`,
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
