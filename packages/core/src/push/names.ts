// Dependency-free on purpose: infra declares these secrets and the local cloud supplies their local values.

/** The stage's `sst.Secret`s behind `Resource.Push` (infra/push.ts). */
export const PUSH_SECRETS = {
  publicKey: "VapidPublicKey",
  privateKey: "VapidPrivateKey",
  /** Comma-separated push-service origins exempt from the https/public-host rule: empty in AWS. */
  insecureOrigins: "PushInsecureOrigins",
} as const;
