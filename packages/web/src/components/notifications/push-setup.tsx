"use client";
// "Enable push notifications": offered, never asked on load; the browser's prompt comes only from the click.
import { useEffect, useId, useState } from "react";
import { useI18n } from "../../i18n";
import { useApp } from "../../lib/app-context";
import { apiErrorMessage } from "../../lib/errors";
import { disablePush, enablePush, type PushState, pushState } from "../../lib/push";

const OFFER_DISMISSED_KEY = "asyncsns.pushOffer.dismissed";

function offerDismissed(): boolean {
  try {
    return localStorage.getItem(OFFER_DISMISSED_KEY) === "1";
  } catch {
    return false;
  }
}

export function PushSetup({ compact = false }: { compact?: boolean }) {
  const { t } = useI18n();
  const { config } = useApp();
  const vapidPublicKey = config?.vapidPublicKey;
  const titleId = useId();
  const [state, setState] = useState<PushState | null>(null);
  const [busy, setBusy] = useState<"enabling" | "disabling" | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** The prompt was shown and closed without an answer. */
  const [dismissed, setDismissed] = useState(false);
  const [acted, setActed] = useState(false);
  /** "Not now" on the list's offer; the settings page still offers it. */
  const [hidden, setHidden] = useState(false);

  useEffect(() => {
    let active = true;
    setHidden(compact && offerDismissed());
    pushState(vapidPublicKey).then((s) => active && setState(s));
    return () => {
      active = false;
    };
  }, [vapidPublicKey, compact]);

  const run = async (kind: "enabling" | "disabling") => {
    setBusy(kind);
    setError(null);
    setActed(true);
    try {
      const next =
        kind === "enabling" && vapidPublicKey ? await enablePush(vapidPublicKey) : await disablePush();
      setDismissed(kind === "enabling" && next === "off");
      setState(next);
    } catch (err) {
      setError(t("push.failed", { message: apiErrorMessage(t, err) }));
      setState(await pushState(vapidPublicKey));
    } finally {
      setBusy(null);
    }
  };

  if (state === null) return null;
  // On the list it is an offer: shown while there is something to offer, or to say how it went.
  if (compact && !acted && (state !== "off" || hidden)) return null;

  const notNow = () => {
    try {
      localStorage.setItem(OFFER_DISMISSED_KEY, "1");
    } catch {
      // Not remembered; hidden for this page anyway.
    }
    setHidden(true);
  };

  let message: string | null = null;
  if (state === "unsupported") message = t("push.unsupported");
  else if (state === "unconfigured") message = t("push.notConfigured");
  else if (state === "denied") message = t("push.denied");
  else if (state === "on") message = t("push.enabled");
  else if (dismissed) message = t("push.dismissed");

  return (
    <section
      className={compact ? "card push-setup push-compact" : "card push-setup"}
      aria-labelledby={titleId}
    >
      <h2 id={titleId} className="card-title">
        {t("push.title")}
      </h2>
      {state === "off" ? <p className="muted">{t("push.lead")}</p> : null}
      <p className={state === "denied" ? "push-status push-warning" : "push-status"} role="status">
        {message}
      </p>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="push-buttons">
        {state === "off" ? (
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => void run("enabling")}
            disabled={busy !== null}
            aria-busy={busy === "enabling"}
          >
            {busy === "enabling" ? t("push.enabling") : t("push.enable")}
          </button>
        ) : null}
        {compact && state === "off" && !acted ? (
          <button type="button" className="btn btn-ghost" onClick={notNow}>
            {t("push.notNow")}
          </button>
        ) : null}
        {state === "on" ? (
          <button
            type="button"
            className="btn btn-secondary"
            onClick={() => void run("disabling")}
            disabled={busy !== null}
            aria-busy={busy === "disabling"}
          >
            {busy === "disabling" ? t("push.disabling") : t("push.disable")}
          </button>
        ) : null}
      </div>
    </section>
  );
}
