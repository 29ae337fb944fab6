import { issuer, webClient } from "./auth";
import { table } from "./database";
import { topic } from "./notification";
import { ws } from "./realtime";
import { search } from "./search";
import { bucket } from "./storage";

// CQRS split from the seed: commands go to per-domain Lambdas, every GET goes to the Query Lambda.
// Profiles and follows; the profile picture is an upload it verifies and, once replaced, deletes.
export const profileFn = new sst.aws.Function("Profile", {
  handler: "packages/functions/src/api/profile.handler",
  link: [table, bucket],
});

// Posting commands; media uploads need the bucket to presign and verify.
export const postFn = new sst.aws.Function("Post", {
  handler: "packages/functions/src/api/post.handler",
  link: [table, bucket],
});

// Chat commands: rooms and messages in the table, attachments in the bucket, delivery over the
// WebSocket (@connections) and, for members who are offline, the Notifications topic.
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

// Public routes: health and the OpenAPI document.
api.route("GET /api/health", queryFn.arn);
api.route("GET /api/openapi.json", queryFn.arn);

api.route("POST /api/me", profileFn.arn, jwt);
api.route("PATCH /api/me", profileFn.arn, jwt);

api.route("POST /api/media/uploads", postFn.arn, jwt);
api.route("PATCH /api/media/{id}", postFn.arn, jwt);
api.route("POST /api/posts", postFn.arn, jwt);
api.route("PATCH /api/posts/{id}", postFn.arn, jwt);
api.route("DELETE /api/posts/{id}", postFn.arn, jwt);
api.route("POST /api/posts/{id}/like", postFn.arn, jwt);
api.route("DELETE /api/posts/{id}/like", postFn.arn, jwt);
api.route("POST /api/posts/{id}/repost", postFn.arn, jwt);
api.route("DELETE /api/posts/{id}/repost", postFn.arn, jwt);
api.route("POST /api/users/{handle}/follow", profileFn.arn, jwt);
api.route("DELETE /api/users/{handle}/follow", profileFn.arn, jwt);

api.route("POST /api/rooms", chatFn.arn, jwt);
api.route("POST /api/rooms/{id}/messages", chatFn.arn, jwt);
api.route("PATCH /api/rooms/{id}/messages/{messageId}", chatFn.arn, jwt);
api.route("DELETE /api/rooms/{id}/messages/{messageId}", chatFn.arn, jwt);
api.route("POST /api/rooms/{id}/members", chatFn.arn, jwt);
api.route("DELETE /api/rooms/{id}/members/{handle}", chatFn.arn, jwt);
api.route("POST /api/rooms/{id}/read", chatFn.arn, jwt);
api.route("PATCH /api/rooms/{id}", chatFn.arn, jwt);
api.route("PATCH /api/rooms/{id}/members/{handle}", chatFn.arn, jwt);

api.route("GET /api/me", queryFn.arn, jwt);
api.route("GET /api/users/{handle}", queryFn.arn, jwt);
api.route("GET /api/media/{id}", queryFn.arn, jwt);
api.route("GET /api/posts/{id}", queryFn.arn, jwt);
api.route("GET /api/posts/{id}/replies", queryFn.arn, jwt);
api.route("GET /api/timelines/home", queryFn.arn, jwt);
api.route("GET /api/timelines/public", queryFn.arn, jwt);
api.route("GET /api/users/{handle}/posts", queryFn.arn, jwt);
api.route("GET /api/tags/{tag}/posts", queryFn.arn, jwt);
api.route("GET /api/users/{handle}/followers", queryFn.arn, jwt);
api.route("GET /api/users/{handle}/following", queryFn.arn, jwt);
api.route("GET /api/rooms", queryFn.arn, jwt);
api.route("GET /api/rooms/{id}", queryFn.arn, jwt);
api.route("GET /api/rooms/{id}/messages", queryFn.arn, jwt);
api.route("GET /api/search/posts", queryFn.arn, jwt);
api.route("GET /api/search/users", queryFn.arn, jwt);
api.route("GET /api/search/tags", queryFn.arn, jwt);
