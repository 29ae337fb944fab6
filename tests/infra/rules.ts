// Every exception lists its reason; stale entries fail too, so this list cannot rot.
import type { AllowedWildcard } from "./harness/checks";

/** HTTP routes callable without a token. */
export const PUBLIC_ROUTES = ["GET /api/health", "GET /api/openapi.json"];

/** Links a function holds ahead of the code that reads them. Each entry must still be needed. */
export const LINKED_AHEAD: { fn: string; link: string; reason: string }[] = [];

/** A new, unexplained wildcard fails `checkWildcards`, so every one stays justified. */
export const ALLOWED_WILDCARDS: AllowedWildcard[] = [
  {
    owner: /.*/,
    kind: "action",
    value: /^(dynamodb|s3|sns|sqs):\*$/,
    reason:
      "SST `link` grants every action of the linked service, scoped to the linked resource's ARN; narrowing it needs a per-function `permissions` list instead of `link`",
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

/** Originals (EXIF) and chat media (presigned only) must stay unreadable even to this app's distribution. */
export const MEDIA_READABLE = ["public/*"];

/** Posture problems known and accepted for now, each with its reason and who can close it. Must still occur. */
export const POSTURE_EXCEPTIONS: { check: string; subject: string; message: string; reason: string }[] = [];
