import { type Route, routeTable } from "../packages/functions/src/api/route-table";
import { issuer, webClient } from "./auth";
import { table } from "./database";
import { topic } from "./notification";
import { ws } from "./realtime";
import { search } from "./search";
import { bucket } from "./storage";

// CQRS split from the seed: commands go to per-domain Lambdas, every GET goes to the Query Lambda.

// Profiles and follows; the profile picture is an upload it verifies and, once replaced, deletes; sign-out
// closes the user's sockets through @connections.
export const profileFn = new sst.aws.Function("Profile", {
  handler: "packages/functions/src/api/profile.handler",
  link: [table, bucket, ws],
});

// Posting commands; media uploads need the bucket to presign and verify.
export const postFn = new sst.aws.Function("Post", {
  handler: "packages/functions/src/api/post.handler",
  link: [table, bucket],
});

// Chat commands: attachments in the bucket, delivery over the WebSocket or, offline, the Notifications topic.
export const chatFn = new sst.aws.Function("Chat", {
  handler: "packages/functions/src/api/chat.handler",
  link: [table, bucket, ws, topic],
});

export const queryFn = new sst.aws.Function("Query", {
  handler: "packages/functions/src/api/query.handler",
  link: [table, bucket, search],
});

export const api = new sst.aws.ApiGatewayV2("Api", {
  cors: false,
  accessLog: { retention: "1 month" },
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
  Query: queryFn,
};
for (const route of routeTable)
  api.route(`${route.method} ${route.path}`, functions[route.lambda].arn, route.auth === "jwt" ? jwt : {});
