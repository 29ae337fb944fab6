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

/**
 * A write can still reach a deleted user's own partitions after their sweep: a fan-out that read its followers before
 * the follows went (a stream reader invocation lasts at most 15 minutes), a home read on an access token issued
 * before the deletion (valid an hour). The sweeper sweeps those partitions again, LATE_SWEEPS times, one SQS delay
 * (at most 15 minutes) apart, instead of every fan-out write checking its recipient.
 */
export const LATE_WRITE_SECONDS = 15 * 60 + 3600;
/** SQS holds a message back at most 15 minutes (DelaySeconds ≤ 900). */
export const MAX_LATE_SWEEP_DELAY_SECONDS = 900;

/** The late sweeps' spacing infra configures from ASYNCSNS_LATE_SWEEP_SECONDS: whole seconds in 1..900. */
export function lateSweepSecondsOf(value: string | undefined): number {
  const seconds = Math.ceil(Number(value ?? MAX_LATE_SWEEP_DELAY_SECONDS));
  if (!Number.isFinite(seconds)) return MAX_LATE_SWEEP_DELAY_SECONDS;
  return Math.min(MAX_LATE_SWEEP_DELAY_SECONDS, Math.max(1, seconds));
}

/** How many late sweeps cover LATE_WRITE_SECONDS at that spacing (a suite's shorter spacing covers its own runs). */
export function lateSweepsOf(seconds: number, value?: string): number {
  const asked = Math.floor(Number(value));
  if (Number.isFinite(asked) && asked >= 1) return Math.min(asked, 100);
  return Math.min(Math.ceil(LATE_WRITE_SECONDS / seconds), 100);
}

/** A sweep; `late` marks a late sweep and counts those still to come after it. */
export const SweepMessage = z.object({
  userId: z.string().min(1).max(128),
  late: z.number().int().min(0).max(100).optional(),
});

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
