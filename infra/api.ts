import { SERVICE } from "../packages/core/src/dynamo/names";
import { key } from "../packages/core/src/timeline/keys";
import { type Route, routeTable } from "../packages/functions/src/api/route-table";
import { accountsFn } from "./accounts";
import { issuer, webClient } from "./auth";
import { callFn } from "./calls";
import { table, tableLink } from "./database";
import { limitsConfig } from "./limits";
import { moderationFn } from "./moderation";
import { pushLink } from "./push";
import { ws } from "./realtime";
import { searchLink } from "./search";
import { bucket } from "./storage";

// CQRS split from the seed: commands go to per-domain Lambdas, every GET goes to the Query Lambda.

// Per-user abuse limits: their own file, so infra/calls.ts links them without importing this one.
export { limitsConfig };

/**
 * Stage-wide ceilings below the account's 10,000 rps: a flood costs a bounded bill before per-user limits
 * answer. "Throttle requests to your HTTP APIs for better throughput in API Gateway",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html
 */
export const HTTP_THROTTLE = { throttlingBurstLimit: 2000, throttlingRateLimit: 1000 };

// Profiles and follows; the profile picture is an upload it verifies and, once replaced, deletes; sign-out
// closes the user's sockets through @connections; a block ends the two's call (sockets, and the push that stops
// the ringing).
export const profileFn = new sst.aws.Function("Profile", {
  handler: "packages/functions/src/api/profile.handler",
  link: [table, bucket, limitsConfig, ws, pushLink],
});

// Posting commands; media uploads need the bucket to presign and verify.
export const postFn = new sst.aws.Function("Post", {
  handler: "packages/functions/src/api/post.handler",
  link: [table, bucket, limitsConfig],
});

// Chat commands: attachments in the bucket, live delivery over the WebSocket (offline members hear of a message
// from the notification pipeline, which reads it from the table's stream).
export const chatFn = new sst.aws.Function("Chat", {
  handler: "packages/functions/src/api/chat.handler",
  link: [table, bucket, ws, limitsConfig],
});

// Read marks (synced to every session over @connections and push), preferences and push subscriptions.
export const notificationFn = new sst.aws.Function("Notification", {
  handler: "packages/functions/src/api/notification.handler",
  link: [table, ws, pushLink, limitsConfig],
});

/** What the Query Lambda may do to the table: read, and refresh the reader's own home-timeline caches. */
export const QUERY_TABLE_ACCESS = {
  read: ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"],
  // A home read stores the big authors it merged and trims its reactions: items in the reader's home partition.
  homeCaches: { actions: ["dynamodb:UpdateItem"], leadingKeys: [`$${SERVICE}#feed_${key.home("")}*`] },
};

// Not `dynamodb:*`: a bug in a GET cannot delete, scan or write beyond the reader's own caches.
export const queryFn = new sst.aws.Function("Query", {
  handler: "packages/functions/src/api/query.handler",
  link: [
    tableLink((arn) => [
      { actions: QUERY_TABLE_ACCESS.read, resources: [arn, $interpolate`${arn}/index/*`] },
      {
        actions: QUERY_TABLE_ACCESS.homeCaches.actions,
        resources: [arn],
        conditions: [
          {
            test: "ForAllValues:StringLike",
            variable: "dynamodb:LeadingKeys",
            values: QUERY_TABLE_ACCESS.homeCaches.leadingKeys,
          },
        ],
      },
    ]),
    bucket,
    searchLink,
  ],
});

export const api = new sst.aws.ApiGatewayV2("Api", {
  cors: false,
  accessLog: { retention: "1 month" },
  transform: {
    stage: (stage) => {
      stage.defaultRouteSettings = HTTP_THROTTLE;
    },
  },
});

const authorizer = api.addAuthorizer({
  name: "cognito",
  jwt: { issuer, audiences: [webClient.id] },
});

const jwt = { auth: { jwt: { authorizer: authorizer.id } } };

// The routes the Lambdas declare, derived by `npm run routes`: a route is added in its sub-app, not here.
const functions: Record<Route["lambda"], sst.aws.Function> = {
  Profile: profileFn,
  Post: postFn,
  Chat: chatFn,
  Notification: notificationFn,
  Call: callFn,
  Accounts: accountsFn,
  Moderation: moderationFn,
  Query: queryFn,
};
for (const route of routeTable)
  api.route(`${route.method} ${route.path}`, functions[route.lambda].arn, route.auth === "jwt" ? jwt : {});
