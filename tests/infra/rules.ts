// Every exception lists its reason; stale entries fail too, so this list cannot rot.
import { streamKeys } from "../../packages/core/src/timeline/stream-keys";
import type { AllowedWildcard, StreamSubscriberIntent, TableAccess } from "./harness/checks";

/** HTTP routes callable without a token. */
export const PUBLIC_ROUTES = [
  "GET /api/health",
  "GET /api/openapi.json",
  // Shared links opened signed out (public pages); a profile's owner may opt out (signedInOnly).
  "GET /api/public/posts/{id}",
  "GET /api/public/users/{handle}",
  "GET /api/public/users/{handle}/posts",
];

/** Links a function holds ahead of the code that reads them. Each entry must still be needed. */
export const LINKED_AHEAD: { fn: string; link: string; reason: string }[] = [];

/** A new, unexplained wildcard fails `checkWildcards`, so every one stays justified. */
export const ALLOWED_WILDCARDS: AllowedWildcard[] = [
  {
    owner: "DeveloperBoundary",
    kind: "action",
    value: "*",
    reason:
      "a permissions boundary grants nothing: its Allow * is the ceiling, its Deny statements (production, the boundary itself) are what it enforces (access.test.ts)",
  },
  {
    owner: "DeveloperBoundary",
    kind: "resource",
    value: /\*/,
    reason: "the boundary's ceiling and its production-name patterns (access.test.ts)",
  },
  {
    owner: "ProductionDeploy",
    kind: "managed-policy",
    value: "arn:aws:iam::aws:policy/AdministratorAccess",
    reason:
      "CI's production deploy creates resources of every kind, IAM roles included; only a main-branch job in the production environment may assume it (access.test.ts)",
  },
  {
    // Query and the WebSocket routes link the table with exact actions (TABLE_ACCESS): no wildcard for them.
    owner: /^(?!Query$|RealtimeRoute).*/,
    kind: "action",
    value: /^(dynamodb|s3|sns|sqs):\*$/,
    reason:
      "SST `link` grants every action of the linked service, scoped to the linked resource's ARN; narrowing it needs a per-function `permissions` list instead of `link`",
  },
  {
    owner: "Query",
    kind: "action",
    value: "s3:*",
    reason:
      "Query presigns chat media reads with the linked bucket (SST `link`); only its table access is narrowed",
  },
  {
    owner: /.*/,
    kind: "resource",
    value: /^arn:aws:dynamodb:[^:]+:\d{12}:table\/[^/*]+\/\*$/,
    reason: "the linked table's own indexes and stream (table/<name>/*), not other tables",
  },
  {
    owner: /.*/,
    kind: "resource",
    value: /^arn:aws:dynamodb:[^:]+:\d{12}:table\/[^/*]+\/index\/\*$/,
    reason: "the table's own global secondary indexes (Query on gsi1/gsi2), not its stream or other tables",
  },
  {
    owner: /.*/,
    kind: "resource",
    value: /^arn:aws:es:[^:]+:\d{12}:domain\/[^/*]+\/\*$/,
    reason: "the search domain's REST paths (its indexes, _search, _cluster/health), this domain only",
  },
  {
    owner: "Call",
    kind: "resource",
    value: /^arn:aws:kinesisvideo:[^:]+:\d{12}:channel\/[^/*]+-call-\d+\/\*$/,
    reason:
      "a signalling channel's ARN ends in its creation time (channel/<name>/<code>, infra/ice.ts): the stage's named call channels only",
  },
  {
    owner: /.*/,
    kind: "managed-policy",
    value: "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess",
    reason:
      "Active tracing needs xray:PutTraceSegments/PutTelemetryRecords, which take no resource (AWS managed; the Lambda X-Ray guide names it)",
  },
  {
    owner: /.*/,
    kind: "resource",
    value: /^arn:aws:s3:::[^/*]+\/\*$/,
    reason: "objects of the linked bucket only (bucket/*)",
  },
  {
    owner: /.*/,
    kind: "resource",
    value: /^arn:aws:execute-api:[^:]+:\d{12}:[^/*]+\/\*\/\*\/@connections\/\*$/,
    reason:
      "linking the WebSocket API: post to any connection of it (connection ids are only known at runtime)",
  },
  {
    owner: /.*/,
    kind: "managed-policy",
    value: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    reason:
      "CloudWatch Logs for the function's own log group (AWS managed; logs:CreateLogStream/PutLogEvents on *)",
  },
  {
    owner: "APIGatewayPushToCloudWatchLogsRole",
    kind: "managed-policy",
    value: "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs",
    reason:
      "the account-level role API Gateway needs to write access logs (one per account and region, made by SST)",
  },
];

/** Made by SST once per account and region and shared by every stage, so it is retained on purpose. */
export const ACCOUNT_LEVEL = ["aws:apigateway/account:Account", "aws:iam/role:Role"];

/**
 * Kept in the state on delete by SST (Queue.createPolicy: a queue may carry several subscribers' policies), but
 * a queue policy is an attribute of its queue: removing the stage deletes the queue, and the policy with it.
 */
export const RETAINED_WITH_PARENT = ["aws:sqs/queuePolicy:QueuePolicy"];

/** Originals (EXIF) and chat media (presigned only) must stay unreadable even to this app's distribution. */
export const MEDIA_READABLE = ["public/*"];

/** Posture problems known and accepted for now, each with its reason and who can close it. Must still occur. */
export const POSTURE_EXCEPTIONS: { check: string; subject: string; message: string; reason: string }[] = [];

/** The table actions of the functions narrowed from SST's `dynamodb:*`: what each handler does, nothing more. */
export const TABLE_ACCESS: TableAccess[] = [
  {
    // Reads only, plus the home-timeline caches a home read refreshes in the reader's own home partition.
    handler: "packages/functions/src/api/query.handler",
    actions: ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"],
    leadingKeyWrites: { actions: ["dynamodb:UpdateItem"], leadingKeys: ["$asyncsns#feed_home#*"] },
  },
  { handler: "packages/functions/src/realtime/connect.handler", actions: ["dynamodb:PutItem"] },
  { handler: "packages/functions/src/realtime/disconnect.handler", actions: ["dynamodb:DeleteItem"] },
  // Only forgets a connection API Gateway reports gone (410).
  { handler: "packages/functions/src/realtime/default.handler", actions: ["dynamodb:DeleteItem"] },
  {
    handler: "packages/functions/src/realtime/typing.handler",
    actions: ["dynamodb:UpdateItem", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:DeleteItem"],
  },
  {
    // Reads the call, binds the device or refreshes the lease (conditional updates), finds the peer's sockets.
    handler: "packages/functions/src/realtime/call-signal.handler",
    actions: ["dynamodb:UpdateItem", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:DeleteItem"],
  },
];

/** Every reader of the table's stream, by what it is for: its handler and the records its filter lets through. */
export const STREAM_SUBSCRIBERS: StreamSubscriberIntent[] = [
  {
    // The one dispatcher: fan-out (profile-feed entries, follow edges), cards (a profile changed), search (posts,
    // profiles), notifications (follows, likes, reposts, posts, messages, missed calls, moderators' removals).
    handler: "packages/functions/src/stream/dispatch.handler",
    filters: [
      { dynamodb: { Keys: { pk: { S: [{ prefix: streamKeys.profileEntryPk }] } } } },
      { dynamodb: { Keys: { sk: { S: [{ prefix: streamKeys.followSk }] } } } },
      { eventName: ["MODIFY"], dynamodb: { Keys: { sk: { S: [streamKeys.userSk] } } } },
      { dynamodb: { Keys: { sk: { S: [streamKeys.postSk, streamKeys.userSk] } } } },
      {
        dynamodb: {
          Keys: {
            sk: {
              S: [
                { prefix: streamKeys.followSk },
                { prefix: streamKeys.likeSk },
                { prefix: streamKeys.repostSk },
                { prefix: streamKeys.messageSk },
                streamKeys.postSk,
                streamKeys.callSk,
                { prefix: streamKeys.modAuditSk },
              ],
            },
          },
        },
      },
    ],
  },
];

/** The only functions that may call the search domain (es:ESHttp*): searching reads and the stream's indexer route. */
export const SEARCH_CLIENTS = [
  "packages/functions/src/api/query.handler",
  "packages/functions/src/stream/dispatch.handler",
];
