// Finding someone by handle, as every chat picker does (new chat, adding to a group).
import type { Translate } from "../../i18n";
import { ApiError, api } from "../../lib/api";
import type { PublicProfile } from "../../lib/api-types";
import { apiErrorMessage } from "../../lib/errors";
import { checkHandle, normalizeHandle } from "../../lib/validation";

export type Lookup =
  | { kind: "empty" }
  | { kind: "found"; person: PublicProfile }
  | { kind: "error"; message: string };

/** Checks the handle's shape, then `taken` (already picked, already a member), and only then asks the API. */
export async function findPerson(
  t: Translate,
  entry: string,
  taken: (handle: string) => string | null,
): Promise<Lookup> {
  const handle = normalizeHandle(entry);
  if (handle === "") return { kind: "empty" };
  if (checkHandle(handle)) return { kind: "error", message: t("validation.handleInvalid") };
  const problem = taken(handle);
  if (problem) return { kind: "error", message: problem };
  try {
    return { kind: "found", person: await api.getUser(handle) };
  } catch (err) {
    const message =
      err instanceof ApiError && err.status === 404
        ? t("chat.new.notFound", { handle })
        : apiErrorMessage(t, err);
    return { kind: "error", message };
  }
}
