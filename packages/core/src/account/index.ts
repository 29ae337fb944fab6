export * as Account from "./index";

import * as z from "zod";

// What every accounts module shares; each function imports only the module it needs, so it links only that.

/** Deleting an account needs a sign-in this recent: a stolen refresh token cannot mint one (auth_time stays). */
export const FRESH_AUTH_SECONDS = 5 * 60;
/** A deleted account's handle stays reserved this long, so nobody can pose as its owner at once. */
export const HANDLE_QUARANTINE_SECONDS = 30 * 24 * 3600;
/** An export's download link lives this long. */
export const EXPORT_URL_SECONDS = 3600;
/** Exports (and their archives, by the bucket's `exports/` lifecycle) are kept this long. */
export const EXPORT_TTL_SECONDS = 24 * 3600;
/** Receives before a deletion or export message is dead-lettered (SQS maxReceiveCount). */
export const MAX_RECEIVES = 5;
/** Placeholder owner of a quarantined handle. */
export const RESERVED = "deleted";

/** Where a user's export archives live: a prefix the CDN never serves. */
export const exportPrefix = (userId: string) => `exports/${userId}/`;

export const SweepMessage = z.object({ userId: z.string().min(1).max(128) });

export const ExportId = z.string().regex(/^exp_[0-9A-HJKMNP-TV-Z]{26}$/, "Not an export id.");

export const ExportInfo = z
  .object({
    id: z.string(),
    status: z.enum(["pending", "ready", "failed"]),
    url: z.string().optional(),
    expiresAt: z.string().optional(),
  })
  .meta({ id: "Export" });
export type ExportInfo = z.infer<typeof ExportInfo>;

export const ExportMessage = z.object({ userId: z.string().min(1).max(128), exportId: ExportId });
