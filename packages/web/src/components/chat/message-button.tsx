"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useI18n } from "../../i18n";
import { chatApi } from "../../lib/chat-api";
import { apiErrorMessage } from "../../lib/errors";

/** Opens (or creates) the 1:1 chat with this person. */
export function MessageButton({ handle }: { handle: string }) {
  const { t } = useI18n();
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <button
        type="button"
        className="btn btn-secondary"
        disabled={busy}
        aria-busy={busy}
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            const room = await chatApi.createRoom({ memberHandles: [handle] });
            router.push(`/chat/room/?id=${encodeURIComponent(room.id)}`);
          } catch (err) {
            setError(apiErrorMessage(t, err));
            setBusy(false);
          }
        }}
      >
        {busy ? t("chat.messageOpening") : t("chat.message")}
      </button>
      {error ? (
        <span className="field-error" role="alert">
          {error}
        </span>
      ) : null}
    </>
  );
}
