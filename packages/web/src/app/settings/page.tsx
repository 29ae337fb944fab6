"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type FormEvent, type ReactNode, useEffect, useState } from "react";
import { FormAlert, FormStatus, PasswordField, SubmitButton, TextField } from "../../components/form";
import { useRequireProfile } from "../../components/guards";
import { LanguageSwitch } from "../../components/language-switch";
import { PageShell, ProfilePending, useDocumentTitle } from "../../components/page-shell";
import { BlockedAccounts, MutedAccounts, MutedWords } from "../../components/safety/settings-sections";
import { useI18n } from "../../i18n";
import { accountsApi } from "../../lib/accounts-api";
import { api } from "../../lib/api";
import { useApp } from "../../lib/app-context";
import { apiErrorMessage, authErrorMessage } from "../../lib/errors";
import { session } from "../../lib/session";
import { isEmail, passwordRules } from "../../lib/validation";
import "./settings.css";

function Section({
  id,
  title,
  lead,
  children,
}: {
  id: string;
  title: string;
  lead?: string;
  children: ReactNode;
}) {
  return (
    <section className="card settings-section" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {lead ? <p className="muted">{lead}</p> : null}
      {children}
    </section>
  );
}

function ChangePassword() {
  const { t } = useI18n();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setDone(null);
    if (!current) return setError(t("validation.passwordRequired"));
    if (!Object.values(passwordRules(next)).every(Boolean)) return setError(t("validation.passwordWeak"));
    setBusy(true);
    try {
      await session.changePassword(current, next);
      setCurrent("");
      setNext("");
      setDone(t("settings.password.done"));
    } catch (err) {
      setError(authErrorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={onSubmit} noValidate className="form">
      <FormStatus>{done}</FormStatus>
      <FormAlert>{error}</FormAlert>
      <PasswordField
        label={t("settings.password.current")}
        name="current-password"
        autoComplete="current-password"
        value={current}
        onChange={(e) => setCurrent(e.target.value)}
      />
      <PasswordField
        label={t("settings.password.new")}
        name="new-password"
        autoComplete="new-password"
        showRules
        value={next}
        onChange={(e) => setNext(e.target.value)}
      />
      <SubmitButton busy={busy} label={t("settings.password.submit")} busyLabel={t("common.saving")} />
    </form>
  );
}

function ChangeEmail() {
  const { t } = useI18n();
  const { auth } = useApp();
  const [email, setEmail] = useState("");
  const [code, setCode] = useState("");
  const [step, setStep] = useState<"email" | "code">("email");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setDone(null);
    if (step === "email" && !isEmail(email)) return setError(t("validation.emailInvalid"));
    if (step === "code" && !/^\d{6}$/.test(code.trim())) return setError(t("validation.codeInvalid"));
    setBusy(true);
    try {
      if (step === "email") {
        await session.updateEmail(email.trim());
        setStep("code");
      } else {
        await session.verifyEmail(email.trim(), code.trim());
        setStep("email");
        setEmail("");
        setCode("");
        setDone(t("settings.email.done"));
      }
    } catch (err) {
      setError(authErrorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={onSubmit} noValidate className="form">
      <p>
        {t("settings.email.current")} <strong data-testid="current-email">{auth.email}</strong>
      </p>
      <FormStatus>{done}</FormStatus>
      <FormAlert>{error}</FormAlert>
      {step === "email" ? (
        <TextField
          label={t("settings.email.new")}
          type="email"
          name="email"
          autoComplete="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      ) : (
        <TextField
          label={t("settings.email.code", { email })}
          name="code"
          autoComplete="one-time-code"
          inputMode="numeric"
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
      )}
      <SubmitButton
        busy={busy}
        label={step === "email" ? t("settings.email.send") : t("settings.email.verify")}
        busyLabel={t("common.saving")}
      />
    </form>
  );
}

function ExportData() {
  const { t } = useI18n();
  const [id, setId] = useState<string | null>(null);
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Poll until the archive is built; the link expires, so it is fetched fresh when ready.
  useEffect(() => {
    if (!id || url) return;
    let active = true;
    const tick = async () => {
      try {
        const status = await accountsApi.exportStatus(id);
        if (!active) return;
        if (status.status === "ready" && status.url) setUrl(status.url);
        else if (status.status === "failed") setError(t("settings.export.failed"));
        else setTimeout(() => void tick(), 1500);
      } catch (err) {
        if (active) setError(authErrorMessage(t, err));
      }
    };
    void tick();
    return () => {
      active = false;
    };
  }, [id, url, t]);
  const start = async () => {
    setError(null);
    setUrl(null);
    setBusy(true);
    try {
      setId((await accountsApi.requestExport()).id);
    } catch (err) {
      setError(authErrorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };
  const preparing = !!id && !url && !error;
  return (
    <div className="form">
      <FormAlert>{error}</FormAlert>
      <p role="status" className="muted">
        {preparing ? t("settings.export.preparing") : null}
      </p>
      {url ? (
        <a className="btn btn-primary" href={url} download data-testid="export-download">
          {t("settings.export.download")}
        </a>
      ) : (
        <button
          type="button"
          className="btn btn-secondary"
          onClick={() => void start()}
          disabled={busy || preparing}
        >
          {t("settings.export.start")}
        </button>
      )}
    </div>
  );
}

function DeleteAccount() {
  const { t } = useI18n();
  const { forgetAccount } = useApp();
  const router = useRouter();
  const [password, setPassword] = useState("");
  const [confirmed, setConfirmed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (!password) return setError(t("validation.passwordRequired"));
    if (!confirmed) return setError(t("settings.delete.confirmRequired"));
    setBusy(true);
    try {
      // A fresh sign-in first: the API deletes only with a token from the last few minutes' sign-in.
      await session.reauthenticate(password);
      await accountsApi.deleteAccount();
      forgetAccount();
      router.replace("/?deleted=1");
    } catch (err) {
      setError(authErrorMessage(t, err));
      setBusy(false);
    }
  };
  return (
    <form onSubmit={onSubmit} noValidate className="form">
      <FormAlert>{error}</FormAlert>
      <PasswordField
        label={t("settings.delete.password")}
        name="delete-password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      <div className="checkbox">
        <input
          id="delete-confirm"
          type="checkbox"
          checked={confirmed}
          onChange={(e) => setConfirmed(e.target.checked)}
        />
        <label htmlFor="delete-confirm">{t("settings.delete.confirm")}</label>
      </div>
      <button type="submit" className="btn btn-danger btn-block" disabled={busy} aria-busy={busy}>
        {busy ? t("settings.delete.working") : t("settings.delete.submit")}
      </button>
    </form>
  );
}

function SignOutEverywhere() {
  const { t } = useI18n();
  const { signOut } = useApp();
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      className="btn btn-secondary"
      disabled={busy}
      aria-busy={busy}
      onClick={async () => {
        setBusy(true);
        // Cognito's global sign-out revokes every device's refresh token; the API closes every socket.
        await signOut();
        router.replace("/");
      }}
    >
      {t("settings.sessions.signOutEverywhere")}
    </button>
  );
}

// The account's settings, with the safety sections (blocks, mutes, muted words).
/** Public pages: a shared link to the profile or its posts shows them signed out unless this is on. */
function Visibility({ initial }: { initial: boolean }) {
  const { t } = useI18n();
  const { setMe } = useApp();
  const [on, setOn] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const change = async (next: boolean) => {
    setOn(next);
    setBusy(true);
    setError(null);
    try {
      setMe(await api.updateMe({ signedInOnly: next }));
    } catch (err) {
      setOn(!next);
      setError(apiErrorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="form">
      <div className="checkbox">
        <input
          id="signed-in-only"
          type="checkbox"
          checked={on}
          disabled={busy}
          aria-describedby="signed-in-only-hint"
          onChange={(e) => void change(e.target.checked)}
        />
        <label htmlFor="signed-in-only">{t("settings.signedInOnly")}</label>
      </div>
      <p id="signed-in-only-hint" className="muted small">
        {t("settings.signedInOnlyHint")}
      </p>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export default function SettingsPage() {
  const { t } = useI18n();
  useDocumentTitle(t("settings.title"));
  const { me, error, retry } = useRequireProfile();
  if (!me) return <ProfilePending error={error} retry={retry} />;
  return (
    <PageShell narrow>
      <h1>{t("settings.title")}</h1>
      <Section id="settings-language" title={t("settings.language.title")}>
        <LanguageSwitch />
      </Section>
      <Section id="settings-notifications" title={t("settings.notifications.title")}>
        <Link href="/notifications/settings/">{t("settings.notifications.link")}</Link>
      </Section>
      <Section id="settings-blocks" title={t("settings.blocks.title")} lead={t("settings.blocks.lead")}>
        <BlockedAccounts />
      </Section>
      <Section id="settings-mutes" title={t("settings.mutes.title")} lead={t("settings.mutes.lead")}>
        <MutedAccounts />
      </Section>
      <Section id="settings-words" title={t("settings.words.title")} lead={t("settings.words.lead")}>
        <MutedWords />
      </Section>
      <Section id="settings-visibility" title={t("settings.visibility.title")}>
        <Visibility initial={me.signedInOnly} />
      </Section>
      <Section id="settings-email" title={t("settings.email.title")}>
        <ChangeEmail />
      </Section>
      <Section id="settings-password" title={t("settings.password.title")}>
        <ChangePassword />
      </Section>
      <Section id="settings-sessions" title={t("settings.sessions.title")} lead={t("settings.sessions.lead")}>
        <SignOutEverywhere />
      </Section>
      <Section id="settings-export" title={t("settings.export.title")} lead={t("settings.export.lead")}>
        <ExportData />
      </Section>
      <Section id="settings-delete" title={t("settings.delete.title")} lead={t("settings.delete.lead")}>
        <DeleteAccount />
      </Section>
    </PageShell>
  );
}
