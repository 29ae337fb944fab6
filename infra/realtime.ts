import { authConfig } from "./auth";
import { tableLink } from "./database";

/** Each socket route's table actions, exactly what its handler does (connection items, room reads). */
export const WS_TABLE_ACCESS = {
  connect: ["dynamodb:PutItem"],
  disconnect: ["dynamodb:DeleteItem"],
  // Forgets a connection API Gateway reports gone (410).
  default: ["dynamodb:DeleteItem"],
  // Throttles on the connection item, checks membership, reads the sender and fans out to live connections.
  typing: ["dynamodb:UpdateItem", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:DeleteItem"],
  // Reads the call, binds the sending device or refreshes the lease on it (conditional updates), finds the
  // peer's live connections and forgets gone ones; never creates or deletes a call.
  callSignal: ["dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:Query", "dynamodb:DeleteItem"],
};
const tableFor = (route: keyof typeof WS_TABLE_ACCESS) =>
  tableLink((arn) => [{ actions: WS_TABLE_ACCESS[route], resources: [arn, $interpolate`${arn}/index/*`] }]);

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

const routes = [
  ws.route(
    "$connect",
    { handler: "packages/functions/src/realtime/connect.handler", link: [tableFor("connect")] },
    {
      auth: { lambda: authorizer.id },
    },
  ),
  ws.route("$disconnect", {
    handler: "packages/functions/src/realtime/disconnect.handler",
    link: [tableFor("disconnect")],
  }),
  ws.route("$default", {
    handler: "packages/functions/src/realtime/default.handler",
    link: [tableFor("default"), ws],
  }),
  // A route per action, not $default dispatch: each Lambda links only what it needs.
  ws.route("typing", {
    handler: "packages/functions/src/realtime/typing.handler",
    link: [tableFor("typing"), ws],
  }),
  ws.route("call.signal", {
    handler: "packages/functions/src/realtime/call-signal.handler",
    link: [tableFor("callSignal"), ws],
  }),
];

/** Resolves once the authorizer and every route exist: SST makes their functions inside its applies, later. */
export const realtimeReady = $resolve([authorizer.id, ...routes.map((r) => r.nodes.route.id)]);
