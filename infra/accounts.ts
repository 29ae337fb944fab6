import { lateSweepSecondsOf, lateSweepsOf, MAX_RECEIVES } from "../packages/core/src/account/index";
import { authConfig, userPool } from "./auth";
import { table } from "./database";
import { alarmOnDepth } from "./observability";
import { ws } from "./realtime";
import { bucket } from "./storage";

/**
 * What the accounts functions may do to the user pool: scoped to its ARN, not `cognito-idp:*` (linking the pool
 * would grant that). "Actions, resources, and condition keys for Amazon Cognito User Pools",
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncognitouserpools.html
 */
export const ACCOUNT_COGNITO_ACTIONS = {
  request: ["cognito-idp:AdminDisableUser", "cognito-idp:AdminUserGlobalSignOut"],
  sweep: ["cognito-idp:AdminDeleteUser"],
};

// The pool's id comes from the Auth link (ids only); the grants from each function's own permissions.
const onPool = (actions: string[]) => [{ actions, resources: [userPool.arn] }];

export const SWEEPER_TIMEOUT_SECONDS = 60;
/** Six function timeouts, as Lambda's SQS guide recommends. */
const SWEEP_VISIBILITY_SECONDS = 6 * SWEEPER_TIMEOUT_SECONDS;
export const EXPORTER_TIMEOUT_SECONDS = 60;

/** Deletions the sweeper gave up on after five receives: kept 14 days for `npm run redrive`. */
export const deletionDeadLetters = new sst.aws.Queue("AccountDeletionDeadLetters", {
  transform: { queue: { messageRetentionSeconds: 14 * 24 * 3600, sqsManagedSseEnabled: true } },
});
alarmOnDepth("AccountDeletionDeadLetters", deletionDeadLetters);

export const deletionQueue = new sst.aws.Queue("AccountDeletions", {
  visibilityTimeout: `${SWEEP_VISIBILITY_SECONDS} seconds`,
  dlq: { queue: deletionDeadLetters.arn, retry: MAX_RECEIVES },
  transform: { queue: { sqsManagedSseEnabled: true } },
});

export const exportDeadLetters = new sst.aws.Queue("AccountExportDeadLetters", {
  transform: { queue: { messageRetentionSeconds: 14 * 24 * 3600, sqsManagedSseEnabled: true } },
});
alarmOnDepth("AccountExportDeadLetters", exportDeadLetters);

export const exportQueue = new sst.aws.Queue("AccountExports", {
  visibilityTimeout: `${6 * EXPORTER_TIMEOUT_SECONDS} seconds`,
  dlq: { queue: exportDeadLetters.arn, retry: MAX_RECEIVES },
  transform: { queue: { sqsManagedSseEnabled: true } },
});

// DELETE /api/me and POST /api/me/export: disables and signs out the caller, closes their sockets, queues the work.
export const accountsFn = new sst.aws.Function("Accounts", {
  handler: "packages/functions/src/api/accounts.handler",
  link: [table, ws, authConfig, deletionQueue, exportQueue],
  permissions: onPool(ACCOUNT_COGNITO_ACTIONS.request),
});

/**
 * The late sweeps after a deletion (Account.LATE_WRITE_SECONDS): their spacing, an SQS per-message delay of at most
 * 900 s, and their number. The integration suite shortens them to see a late write swept.
 */
export const LATE_SWEEP_SECONDS = lateSweepSecondsOf(process.env.ASYNCSNS_LATE_SWEEP_SECONDS);
export const sweepsConfig = new sst.Linkable("AccountSweeps", {
  properties: {
    lateSweepSeconds: LATE_SWEEP_SECONDS,
    lateSweeps: lateSweepsOf(LATE_SWEEP_SECONDS, process.env.ASYNCSNS_LATE_SWEEPS),
  },
});

// Removes a deleted account's items, files and Cognito user; resumable, it queues what it had no time for.
export const sweeper = deletionQueue.subscribe(
  {
    handler: "packages/functions/src/account/sweeper.handler",
    link: [table, bucket, deletionQueue, authConfig, sweepsConfig],
    permissions: onPool(ACCOUNT_COGNITO_ACTIONS.sweep),
    timeout: `${SWEEPER_TIMEOUT_SECONDS} seconds`,
    environment: { POWERTOOLS_SERVICE_NAME: "AccountSweeper" },
  },
  { batch: { size: 1, partialResponses: true } },
);

// Writes an export's archive into the bucket's private exports/ prefix.
export const exporter = exportQueue.subscribe(
  {
    handler: "packages/functions/src/account/exporter.handler",
    link: [table, bucket],
    timeout: `${EXPORTER_TIMEOUT_SECONDS} seconds`,
    environment: { POWERTOOLS_SERVICE_NAME: "AccountExporter" },
  },
  { batch: { size: 1, partialResponses: true } },
);
