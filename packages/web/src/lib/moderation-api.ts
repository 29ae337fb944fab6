// Reports (anyone) and the moderators' routes under /api/admin (403 for everyone else).
import { apiClient, ok } from "./api";
import type { components } from "./api-schema";
import type { BodyOf } from "./api-types";

type Schemas = components["schemas"];

export type ReportInput = BodyOf<"/api/reports", "post">;
export type ReportReason = ReportInput["reason"];
export type ModerationCase = Schemas["ModerationCase"];
export type AuditEntry = Schemas["AuditEntry"];
export type ResolveAction = BodyOf<"/api/admin/reports/{id}/resolve", "post">["action"];

export const REPORT_REASONS: readonly ReportReason[] = ["spam", "harassment", "illegal", "other"];

export const moderationApi = {
  report: (body: ReportInput) => ok(apiClient().POST("/api/reports", { body })),
  queue: (cursor?: string) =>
    ok(apiClient().GET("/api/admin/reports", { params: { query: { ...(cursor ? { cursor } : {}) } } })),
  resolve: (id: string, action: ResolveAction, note?: string) =>
    ok(
      apiClient().POST("/api/admin/reports/{id}/resolve", {
        params: { path: { id } },
        body: { action, ...(note ? { note } : {}) },
      }),
    ),
  unsuspend: (handle: string, note?: string) =>
    ok(
      apiClient().POST("/api/admin/users/{handle}/unsuspend", {
        params: { path: { handle } },
        body: note ? { note } : {},
      }),
    ),
  audit: (cursor?: string) =>
    ok(apiClient().GET("/api/admin/audit", { params: { query: { ...(cursor ? { cursor } : {}) } } })),
};
