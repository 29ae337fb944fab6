"use client";
import {
  NOTIFICATION_TYPES,
  type NotificationPreference,
  type NotificationPreferences,
  type NotificationType,
} from "@asyncsns/realtime";
import Link from "next/link";
import { useEffect, useId, useRef, useState } from "react";
import { useRequireProfile } from "../../../components/guards";
import { PushSetup } from "../../../components/notifications/push-setup";
import "../../../components/notifications/notifications.css";
import { Loading, PageShell, ProfilePending, useDocumentTitle } from "../../../components/page-shell";
import { type Translate, useI18n } from "../../../i18n";
import { apiErrorMessage } from "../../../lib/errors";
import { notificationsApi } from "../../../lib/notifications-api";

const FROM = ["everyone", "following", "followers", "mutuals"] as const;
/** For a type the server did not answer (a type newer than it): the API's own default. */
const DEFAULT: NotificationPreference = { inApp: true, push: true, from: "everyone" };

const typeLabel = (t: Translate, type: NotificationType) => t(`notifications.type.${type}`);

function PreferenceRow({
  type,
  value,
  onChange,
}: {
  type: NotificationType;
  value: NotificationPreference;
  onChange: (next: NotificationPreference) => void;
}) {
  const { t } = useI18n();
  const id = useId();
  return (
    <fieldset className="pref-row">
      <legend className="pref-type">{typeLabel(t, type)}</legend>
      <div className="pref-controls">
        <label className="checkbox">
          <input
            type="checkbox"
            checked={value.inApp}
            onChange={(e) => onChange({ ...value, inApp: e.target.checked })}
          />
          {t("notifications.settings.inApp")}
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={value.push}
            onChange={(e) => onChange({ ...value, push: e.target.checked })}
          />
          {t("notifications.settings.push")}
        </label>
        <span className="pref-from">
          <label htmlFor={id}>{t("notifications.settings.from")}</label>
          <select
            id={id}
            className="input"
            value={value.from}
            onChange={(e) => onChange({ ...value, from: e.target.value as NotificationPreference["from"] })}
          >
            {FROM.map((f) => (
              <option key={f} value={f}>
                {t(`notifications.from.${f}`)}
              </option>
            ))}
          </select>
        </span>
      </div>
    </fieldset>
  );
}

export default function NotificationSettingsPage() {
  const { t } = useI18n();
  const { me, error: profileError, retry } = useRequireProfile();
  const [prefs, setPrefs] = useState<NotificationPreferences | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const [status, setStatus] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  // What the server last said, to roll a refused change back to; and the latest change per type.
  const confirmed = useRef<NotificationPreferences | null>(null);
  const latest = useRef<Partial<Record<NotificationType, number>>>({});
  useDocumentTitle(t("notifications.settings.title"));

  const meId = me?.id;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` re-runs the load on retry.
  useEffect(() => {
    if (!meId) return;
    let active = true;
    setLoadError(null);
    notificationsApi.preferences().then(
      (answer) => {
        if (!active) return;
        confirmed.current = answer;
        setPrefs(answer);
      },
      (err: unknown) => active && setLoadError(err),
    );
    return () => {
      active = false;
    };
  }, [meId, attempt]);

  if (!me) return <ProfilePending error={profileError} retry={retry} />;

  const change = async (type: NotificationType, next: NotificationPreference) => {
    const n = (latest.current[type] ?? 0) + 1;
    latest.current[type] = n;
    setPrefs((current) => (current ? { ...current, [type]: next } : current));
    setFailure(null);
    setStatus(t("common.saving"));
    try {
      const answer = await notificationsApi.savePreferences({ [type]: next });
      confirmed.current = answer;
      if (latest.current[type] === n)
        setPrefs((current) => (current ? { ...current, [type]: answer[type] } : current));
      setStatus(t("notifications.settings.saved"));
    } catch (err) {
      // Refused: this type goes back to what the server has, unless a newer change is already on its way.
      const saved = confirmed.current?.[type];
      if (latest.current[type] === n && saved)
        setPrefs((current) => (current ? { ...current, [type]: saved } : current));
      setStatus(null);
      setFailure(
        t("notifications.settings.failed", { type: typeLabel(t, type), message: apiErrorMessage(t, err) }),
      );
    }
  };

  return (
    <PageShell narrow>
      <p className="back-link">
        <Link href="/notifications/">← {t("notifications.settings.back")}</Link>
      </p>
      <h1>{t("notifications.settings.title")}</h1>
      <p className="muted">{t("notifications.settings.lead")}</p>
      <PushSetup />
      {loadError ? (
        <div className="card" role="alert">
          <p>{t("notifications.settings.loadError")}</p>
          <p className="muted small">{apiErrorMessage(t, loadError)}</p>
          <button type="button" className="btn btn-primary" onClick={() => setAttempt((n) => n + 1)}>
            {t("common.retry")}
          </button>
        </div>
      ) : prefs ? (
        <div className="card prefs">
          {NOTIFICATION_TYPES.map((type) => (
            <PreferenceRow
              key={type}
              type={type}
              value={prefs[type] ?? DEFAULT}
              onChange={(next) => void change(type, next)}
            />
          ))}
          <p className="small muted pref-status" role="status">
            {status}
          </p>
          {failure ? (
            <p className="alert alert-error" role="alert">
              {failure}
            </p>
          ) : null}
        </div>
      ) : (
        <Loading />
      )}
    </PageShell>
  );
}
