"use client";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { type FormEvent, useRef, useState } from "react";
import {
  FormAlert,
  FormStatus,
  focusFirstInvalid,
  PasswordField,
  SubmitButton,
  TextField,
} from "../../components/form";
import { PageShell, useDocumentTitle } from "../../components/page-shell";
import { useI18n } from "../../i18n";
import * as Cognito from "../../lib/cognito";
import { authErrorMessage } from "../../lib/errors";
import { session } from "../../lib/session";
import { isEmail, passwordRules } from "../../lib/validation";

// Forgot password: Cognito emails a code (ForgotPassword), the code and a new password finish it (ConfirmForgotPassword).
export default function ResetPasswordPage() {
  const { t } = useI18n();
  useDocumentTitle(t("reset.title"));
  const router = useRouter();
  const params = useSearchParams();
  const formRef = useRef<HTMLFormElement>(null);
  const [email, setEmail] = useState(params.get("email") ?? "");
  const [code, setCode] = useState("");
  const [password, setPassword] = useState("");
  const [step, setStep] = useState<"email" | "code">("email");
  const [errors, setErrors] = useState<{ email?: string; code?: string; password?: string }>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const invalid = (found: typeof errors) => {
    setErrors(found);
    if (Object.keys(found).length === 0) return false;
    focusFirstInvalid(formRef.current);
    return true;
  };

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setFormError(null);
    if (step === "email") {
      if (invalid(isEmail(email) ? {} : { email: t("validation.emailInvalid") })) return;
      setBusy(true);
      try {
        await Cognito.forgotPassword(session.appConfig, email.trim());
        setStep("code");
      } catch (err) {
        setFormError(authErrorMessage(t, err));
      } finally {
        setBusy(false);
      }
      return;
    }
    const rules = passwordRules(password);
    const found: typeof errors = {};
    if (!/^\d{6}$/.test(code.trim())) found.code = t("validation.codeInvalid");
    if (!Object.values(rules).every(Boolean)) found.password = t("validation.passwordWeak");
    if (invalid(found)) return;
    setBusy(true);
    try {
      await Cognito.confirmForgotPassword(session.appConfig, email.trim(), code.trim(), password);
      router.replace(`/signin/?reset=1&email=${encodeURIComponent(email.trim())}`);
    } catch (err) {
      setFormError(authErrorMessage(t, err));
      setBusy(false);
    }
  };

  return (
    <PageShell narrow>
      <section className="card auth-card" aria-labelledby="reset-title">
        <h1 id="reset-title">{t("reset.title")}</h1>
        <p className="muted">{step === "email" ? t("reset.lead") : t("reset.codeLead", { email })}</p>
        <form ref={formRef} onSubmit={onSubmit} noValidate className="form">
          <FormStatus>{null}</FormStatus>
          <FormAlert>{formError}</FormAlert>
          {step === "email" ? (
            <TextField
              label={t("signin.email")}
              type="email"
              name="email"
              autoComplete="username"
              inputMode="email"
              autoCapitalize="none"
              spellCheck={false}
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              error={errors.email}
            />
          ) : (
            <>
              <TextField
                label={t("reset.code")}
                name="code"
                autoComplete="one-time-code"
                inputMode="numeric"
                required
                value={code}
                onChange={(e) => setCode(e.target.value)}
                error={errors.code}
              />
              <PasswordField
                label={t("reset.newPassword")}
                name="new-password"
                autoComplete="new-password"
                required
                showRules
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                error={errors.password}
              />
            </>
          )}
          <SubmitButton
            busy={busy}
            label={step === "email" ? t("reset.send") : t("reset.submit")}
            busyLabel={t("reset.working")}
          />
        </form>
        <p className="auth-switch">
          <Link href="/signin/">{t("reset.back")}</Link>
        </p>
      </section>
    </PageShell>
  );
}
