// The project's explicit exceptions, each with its reason. The checks fail on anything not listed here,
// and the suites fail on entries that no longer match anything.
import type { AllowedWildcard } from "./harness/checks";

/** HTTP routes callable without a token. */
export const PUBLIC_ROUTES = ["GET /api/health", "GET /api/openapi.json"];

/** Links a function holds ahead of the code that reads them. Each entry must still be needed. */
export const LINKED_AHEAD: { fn: string; link: string; reason: string }[] = [];

/**
 * Every `*` left in an IAM Allow statement and every managed policy, with the reason it stays.
 * A new, unexplained one fails `checkWildcards`; an entry nothing matches any more fails too.
 */
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

/** What CloudFront may read of the media bucket: the processed copies. Originals (uploads/, with EXIF) and
 * chat media (private/, presigned GETs only) must stay unreadable even to this app's distribution. */
export const MEDIA_READABLE = ["public/*"];

/** Posture problems known and accepted for now, each with its reason and who can close it. Must still occur. */
export const POSTURE_EXCEPTIONS: { check: string; subject: string; message: string; reason: string }[] = [];
