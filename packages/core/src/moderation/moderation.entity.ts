import { Entity } from "electrodb";
import { configuration, keys, service } from "../dynamo";

// A target's case and its reports share one partition (the target), so a case and who reported it read together.
// Key values keep their case: ids are compared as given.
const pk = { ...keys.primary.pk, casing: "none" } as const;
const sk = { ...keys.primary.sk, casing: "none" } as const;

const target = {
  targetType: { type: ["post", "message", "user"] as const, required: true, readOnly: true },
  targetId: { type: "string", required: true, readOnly: true },
} as const;

/** One report: unique per reporter and target (a conditional create), which is what makes reporting idempotent. */
export const ReportEntity = new Entity(
  {
    model: { entity: "report", version: "1", service },
    attributes: {
      ...target,
      reporterId: { type: "string", required: true, readOnly: true },
      reportId: { type: "string", required: true, readOnly: true },
      reason: { type: ["spam", "harassment", "illegal", "other"] as const, required: true, readOnly: true },
      text: { type: "string" },
      createdAt: { type: "number", required: true, readOnly: true, default: () => Date.now() },
    },
    indexes: {
      byTarget: {
        pk: { ...pk, composite: ["targetType", "targetId"] },
        sk: { ...sk, composite: ["reporterId"] },
      },
      // A deleted account's reports: the sweeper finds them by their reporter.
      byReporter: {
        index: keys.gsi1.index,
        pk: { ...keys.gsi1.pk, casing: "none", composite: ["reporterId"] },
        sk: { ...keys.gsi1.sk, casing: "none", composite: ["targetType", "targetId"] },
      },
    },
  },
  configuration(),
);

/**
 * The moderators' view of a target: open while reports wait, then closed by one action. A report on a closed case
 * opens it again (a new round: count and reasons start over, the queue orders it by `openedAt`).
 */
export const CaseEntity = new Entity(
  {
    model: { entity: "modcase", version: "1", service },
    attributes: {
      ...target,
      caseId: { type: "string", required: true, readOnly: true },
      /** Who wrote the post or message, or the reported user: whom a removal or suspension acts on. */
      ownerId: { type: "string", required: true, readOnly: true },
      /** A message's room (a message is addressed by room and id). */
      roomId: { type: "string", readOnly: true },
      status: { type: ["open", "dismissed", "removed", "suspended"] as const, required: true },
      reasons: { type: "set", items: "string", required: true },
      count: { type: "number", required: true },
      openedAt: { type: "number", required: true },
      createdAt: { type: "number", required: true, readOnly: true, default: () => Date.now() },
      resolvedAt: { type: "number" },
      resolvedBy: { type: "string" },
    },
    indexes: {
      byTarget: {
        pk: { ...pk, composite: ["targetType", "targetId"] },
        sk: { ...sk, composite: [] },
      },
      byId: {
        index: keys.gsi1.index,
        pk: { ...keys.gsi1.pk, casing: "none", composite: ["caseId"] },
        sk: { ...keys.gsi1.sk, casing: "none", composite: [] },
      },
      // The queue: cases by status, oldest round first (epoch milliseconds keep 13 digits until the year 2286).
      byStatus: {
        index: keys.gsi2.index,
        pk: { ...keys.gsi2.pk, casing: "none", composite: ["status"] },
        sk: { ...keys.gsi2.sk, casing: "none", composite: ["openedAt", "caseId"] },
      },
    },
  },
  configuration(),
);

/** The audit log: one partition, created only (never updated or deleted), ordered by its ULID. */
export const AuditEntity = new Entity(
  {
    model: { entity: "modaudit", version: "1", service },
    attributes: {
      log: { type: "string", required: true, readOnly: true, default: "moderation" },
      auditId: { type: "string", required: true, readOnly: true },
      moderatorId: { type: "string", required: true, readOnly: true },
      action: {
        type: ["dismiss", "remove", "suspend", "unsuspend"] as const,
        required: true,
        readOnly: true,
      },
      caseId: { type: "string", readOnly: true },
      targetType: { type: ["post", "message", "user"] as const, readOnly: true },
      targetId: { type: "string", readOnly: true },
      roomId: { type: "string", readOnly: true },
      /** The user the action was about (the author whose content went, the user suspended). */
      subjectId: { type: "string", required: true, readOnly: true },
      note: { type: "string", readOnly: true },
      createdAt: { type: "number", required: true, readOnly: true, default: () => Date.now() },
    },
    indexes: {
      byLog: {
        pk: { ...pk, composite: ["log"] },
        sk: { ...sk, composite: ["auditId"] },
      },
    },
  },
  configuration(),
);
