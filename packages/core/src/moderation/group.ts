// Dependency-free, so infra and scripts/admin.ts name the very group the API checks.

/** The Cognito group whose members may use /api/admin; its name is in every member's `cognito:groups` claim. */
export const MODERATORS = "moderators";
