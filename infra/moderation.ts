import { MODERATORS } from "../packages/core/src/moderation/group";
import { authConfig, userPool } from "./auth";
import { table } from "./database";
import { limitsConfig } from "./limits";
import { ws } from "./realtime";
import { bucket } from "./storage";

/**
 * The group whose members may use /api/admin: Cognito puts a user's groups in the `cognito:groups` claim of their
 * access and ID tokens, which the API reads. "Adding groups to a user pool",
 * https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-user-groups.html
 */
export const moderators = new aws.cognito.UserGroup("Moderators", {
  userPoolId: userPool.id,
  name: MODERATORS,
  description: "asyncsns moderators: the report queue, removals, suspensions and the audit log",
});

/**
 * What the moderation function may do to the user pool, scoped to its ARN: suspend (disable, sign out everywhere)
 * and lift a suspension. "Actions, resources, and condition keys for Amazon Cognito User Pools",
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncognitouserpools.html
 */
export const MODERATION_COGNITO_ACTIONS = [
  "cognito-idp:AdminDisableUser",
  "cognito-idp:AdminEnableUser",
  "cognito-idp:AdminUserGlobalSignOut",
];

// POST /api/reports and /api/admin/*: removes content through its author's delete paths (files in the bucket,
// room members told over the WebSocket) and closes a suspended user's sockets.
export const moderationFn = new sst.aws.Function("Moderation", {
  handler: "packages/functions/src/api/moderation.handler",
  link: [table, bucket, ws, authConfig, limitsConfig],
  permissions: [{ actions: MODERATION_COGNITO_ACTIONS, resources: [userPool.arn] }],
});
