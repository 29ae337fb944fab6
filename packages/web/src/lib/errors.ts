// Turns Cognito and API errors into localized, user-facing messages.
import { hasMessage, type Translate } from "../i18n/translate";
import { ApiError } from "./api";
import { CognitoError } from "./cognito";

export function authErrorMessage(t: Translate, err: unknown): string {
  if (err instanceof CognitoError) {
    const key = `auth.error.${err.code}`;
    if (hasMessage(key)) return t(key);
    return t("auth.error.unknown", { message: err.message });
  }
  if (err instanceof ApiError) return apiErrorMessage(t, err);
  return t("auth.error.unknown", { message: err instanceof Error ? err.message : String(err) });
}

export function apiErrorMessage(t: Translate, err: unknown): string {
  if (!(err instanceof ApiError)) {
    return t("api.error.unknown", { message: err instanceof Error ? err.message : String(err) });
  }
  const key = `api.error.${err.code}`;
  if (hasMessage(key)) return t(key);
  if (err.code === "network") return t("api.error.network");
  if (err.status === 401) return t("api.error.unauthorized");
  if (err.status === 403) return t("api.error.forbidden");
  if (err.status === 413) return t("api.error.tooLarge");
  if (err.status === 429) return t("api.error.rateLimited");
  return t("api.error.unknown", { message: err.message || err.code });
}
