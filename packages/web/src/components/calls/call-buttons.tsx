"use client";
// Voice and video call buttons for a 1:1 room's header and a profile; the server decides who may be called.
import type { CallKind } from "@asyncsns/realtime";
import { useState } from "react";
import { useI18n } from "../../i18n";
import { hasMessage } from "../../i18n/translate";
import { ApiError } from "../../lib/api";
import { apiErrorMessage } from "../../lib/errors";
import { useCalls } from "./call-provider";
import { CameraIcon, PhoneIcon } from "./call-view";

export function CallButtons({ handle, name }: { handle: string; name: string }) {
  const { t } = useI18n();
  const { start, session, dialing } = useCalls();
  const [busy, setBusy] = useState<CallKind | null>(null);
  const [error, setError] = useState<string | null>(null);
  // A call being placed from here or from any other call button counts: one call at a time.
  const inCall = (!!session && session.phase !== "ended") || dialing !== null;
  // From the click until the POST answers (the camera prompt, then the server), this says the call is on its way.
  const placing = busy ?? (dialing?.handle === handle ? dialing.kind : null);

  const call = async (kind: CallKind) => {
    if (busy !== null || inCall) return;
    setBusy(kind);
    setError(null);
    try {
      await start(handle, kind);
    } catch (err) {
      // A refusal (403: you may not call them) says why in the server's words when we have no text of our own.
      const own = err instanceof ApiError && hasMessage(`api.error.${err.code}`);
      setError(
        err instanceof ApiError && err.status === 403 && !own && err.message
          ? t("call.refused", { message: err.message })
          : apiErrorMessage(t, err),
      );
    } finally {
      setBusy(null);
    }
  };

  return (
    <span className="call-buttons">
      <span className="call-buttons-row">
        <button
          type="button"
          className="btn btn-secondary btn-small call-button"
          disabled={inCall || busy !== null}
          aria-busy={placing === "audio"}
          aria-label={t("call.start.audio", { name })}
          title={t("call.start.audio", { name })}
          onClick={() => void call("audio")}
        >
          <PhoneIcon />
          <span className="call-button-text">
            {placing === "audio" ? t("call.status.dialing") : t("call.kind.audio")}
          </span>
        </button>
        <button
          type="button"
          className="btn btn-secondary btn-small call-button"
          disabled={inCall || busy !== null}
          aria-busy={placing === "video"}
          aria-label={t("call.start.video", { name })}
          title={t("call.start.video", { name })}
          onClick={() => void call("video")}
        >
          <CameraIcon />
          <span className="call-button-text">
            {placing === "video" ? t("call.status.dialing") : t("call.kind.video")}
          </span>
        </button>
      </span>
      {placing ? (
        <span className="visually-hidden" role="status">
          {t("call.status.dialing")}
        </span>
      ) : null}
      {error ? (
        <span className="field-error call-error" role="alert">
          {error}
        </span>
      ) : null}
    </span>
  );
}
