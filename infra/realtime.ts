import { authConfig } from "./auth";
import { table } from "./database";

/**
 * Messages per second across the stage's sockets, below the account default: typing and signals are cheap,
 * floods are not. "Throttle requests to your WebSocket APIs",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-protect.html
 */
export const WS_THROTTLE = { throttlingBurstLimit: 1000, throttlingRateLimit: 500 };

export const ws = new sst.aws.ApiGatewayWebSocket("Realtime", {
  transform: {
    stage: (stage) => {
      stage.defaultRouteSettings = WS_THROTTLE;
    },
  },
});

// Browsers cannot set headers on a WebSocket handshake, so the access token rides in ?token=.
const authorizer = ws.addAuthorizer("cognito", {
  lambda: {
    function: {
      handler: "packages/functions/src/realtime/authorizer.handler",
      link: [authConfig],
    },
    identitySources: ["route.request.querystring.token"],
  },
});

ws.route(
  "$connect",
  { handler: "packages/functions/src/realtime/connect.handler", link: [table] },
  {
    auth: { lambda: authorizer.id },
  },
);
ws.route("$disconnect", { handler: "packages/functions/src/realtime/disconnect.handler", link: [table] });
ws.route("$default", { handler: "packages/functions/src/realtime/default.handler", link: [table, ws] });
// A route per action, not $default dispatch: each Lambda links only what it needs.
ws.route("typing", { handler: "packages/functions/src/realtime/typing.handler", link: [table, ws] });
