"use client";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { FormAlert, FormStatus, focusFirstInvalid, SubmitButton, TextField } from "../../components/form";
import { PageShell, useDocumentTitle } from "../../components/page-shell";
import { useI18n } from "../../i18n";
import { useApp } from "../../lib/app-context";
import { CognitoError, confirmSignUp, resendConfirmationCode } from "../../lib/cognito";
import { authErrorMessage } from "../../lib/errors";
import { isEmail } from "../../lib/validation";

function isLocalHost(): boolean {
  return ["localhost", "127.0.0.1", "[::1]"].includes(window.location.hostname);
}

export default function ConfirmPage() {
  const { t } = useI18n();
  useDocumentTitle(t("confirm.title"));
  const { config } = useApp();
  const router = useRouter();
  const params = useSearchParams();
  const givenEmail = params.get("email") ?? "";
  const formRef = useRef<HTMLFormElement>(null);
  const [email, setEmail] = useState(givenEmail);
  const [code, setCode] = useState("");
  const [errors, setErrors] = useState<{ email?: string; code?: string }>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [resending, setResending] = useState(false);
  const [local, setLocal] = useState(false);

  useEffect(() => setLocal(isLocalHost()), []);

  const signInUrl = (address: string) => `/signin/?email=${encodeURIComponent(address)}&confirmed=1`;

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setFormError(null);
    setStatus(null);
    const found: { email?: string; code?: string } = {};
    if (!isEmail(email)) found.email = t("validation.emailInvalid");
    if (!/^\d{6}$/.test(code.trim())) found.code = t("validation.codeInvalid");
    setErrors(found);
    if (Object.keys(found).length > 0 || !config) {
      focusFirstInvalid(formRef.current);
      return;
    }
    setBusy(true);
    try {
      await confirmSignUp(config, email.trim(), code.trim());
      router.push(signInUrl(email.trim()));
    } catch (err) {
      // Cognito refuses to confirm an already confirmed user: nothing left to do but sign in.
      if (err instanceof CognitoError && err.code === "NotAuthorizedException") {
        router.push(signInUrl(email.trim()));
        return;
      }
      setBusy(false);
      if (
        err instanceof CognitoError &&
        ["CodeMismatchException", "ExpiredCodeException"].includes(err.code)
      ) {
        setErrors({ code: authErrorMessage(t, err) });
        focusFirstInvalid(formRef.current);
      } else {
        setFormError(authErrorMessage(t, err));
      }
    }
  };

  const onResend = async () => {
    setFormError(null);
    setStatus(null);
    if (!isEmail(email)) {
      setErrors({ email: t("validation.emailInvalid") });
      focusFirstInvalid(formRef.current);
      return;
    }
    if (!config) return;
    setResending(true);
    try {
      await resendConfirmationCode(config, email.trim());
      setStatus(t("confirm.resent", { email: email.trim() }));
    } catch (err) {
      setFormError(authErrorMessage(t, err));
    } finally {
      setResending(false);
    }
  };

  return (
    <PageShell narrow>
      <section className="card auth-card" aria-labelledby="confirm-title">
        <h1 id="confirm-title">{t("confirm.title")}</h1>
        <p className="muted">
          {givenEmail ? t("confirm.lead", { email: givenEmail }) : t("confirm.leadNoEmail")}
        </p>
        {local ? (
          <p className="note">
            <svg aria-hidden="true" viewBox="0 0 24 24" width="18" height="18" className="icon">
              <path
                fill="currentColor"
                d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm1 15h-2v-6h2v6Zm0-8h-2V7h2v2Z"
              />
            </svg>
            {t("confirm.localHint")}
          </p>
        ) : null}
        <form ref={formRef} onSubmit={onSubmit} noValidate className="form">
          <FormAlert>{formError}</FormAlert>
          <FormStatus>{status}</FormStatus>
          {givenEmail ? null : (
            <TextField
              label={t("confirm.email")}
              type="email"
              name="email"
              autoComplete="email"
              autoCapitalize="none"
              spellCheck={false}
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              error={errors.email}
            />
          )}
          <TextField
            label={t("confirm.code")}
            name="code"
            className="field-code"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]*"
            maxLength={6}
            required
            autoFocus
            value={code}
            onChange={(e) => setCode(e.target.value.replace(/\D/g, ""))}
            error={errors.code}
          />
          <SubmitButton busy={busy} label={t("confirm.submit")} busyLabel={t("confirm.submitting")} />
          <button
            type="button"
            className="btn btn-ghost btn-block"
            onClick={onResend}
            disabled={resending}
            aria-busy={resending}
          >
            {resending ? t("confirm.resending") : t("confirm.resend")}
          </button>
        </form>
        <p className="auth-switch">
          {t("confirm.wrongEmail")} <Link href="/signup/">{t("confirm.startOver")}</Link>
        </p>
      </section>
    </PageShell>
  );
}
