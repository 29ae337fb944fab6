// The account routes: deletion (answered 202, finished in the background) and data exports.
import { apiClient, ok } from "./api";

export const accountsApi = {
  /** Needs a token from a fresh sign-in (session.reauthenticate) or the API answers 403 account.reauthenticate. */
  deleteAccount: () => ok(apiClient().DELETE("/api/me")),
  requestExport: () => ok(apiClient().POST("/api/me/export")),
  exportStatus: (id: string) => ok(apiClient().GET("/api/me/export/{id}", { params: { path: { id } } })),
};
