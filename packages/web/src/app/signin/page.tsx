"use client";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { type FormEvent, useEffect, useRef, useState } from "react";
import {
  FormAlert,
  FormStatus,
  focusFirstInvalid,
  PasswordField,
  SubmitButton,
  TextField,
} from "../../components/form";
import { PageShell, useDocumentTitle } from "../../components/page-shell";
import { profileHref } from "../../components/site-header";
import { useI18n } from "../../i18n";
import { useApp } from "../../lib/app-context";
import { CognitoError } from "../../lib/cognito";
import { authErrorMessage } from "../../lib/errors";
import { isEmail, safeNext } from "../../lib/validation";

export default function SignInPage() {
  const { t } = useI18n();
  useDocumentTitle(t("signin.title"));
  const { auth, signIn, ensureProfile } = useApp();
  const router = useRouter();
  const params = useSearchParams();
  const next = safeNext(params.get("next"));
  const formRef = useRef<HTMLFormElement>(null);
  const [email, setEmail] = useState(params.get("email") ?? "");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<{ email?: string; password?: string }>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [unconfirmed, setUnconfirmed] = useState(false);
  const [phase, setPhase] = useState<"idle" | "signingIn" | "settingUp">("idle");

  // Already signed in (e.g. the back button): nothing to do here.
  useEffect(() => {
    if (auth.signedIn && phase === "idle") router.replace(next ?? "/");
  }, [auth.signedIn, phase, next, router]);

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setFormError(null);
    setUnconfirmed(false);
    const found: { email?: string; password?: string } = {};
    if (!isEmail(email)) found.email = t("validation.emailInvalid");
    if (!password) found.password = t("validation.passwordRequired");
    setErrors(found);
    if (Object.keys(found).length > 0) {
      focusFirstInvalid(formRef.current);
      return;
    }
    setPhase("signingIn");
    try {
      await signIn(email.trim(), password);
    } catch (err) {
      setPhase("idle");
      setUnconfirmed(err instanceof CognitoError && err.code === "UserNotConfirmedException");
      setFormError(authErrorMessage(t, err));
      return;
    }
    setPhase("settingUp");
    try {
      const result = await ensureProfile();
      if (!result.profile) router.replace("/welcome/");
      else if (result.created) router.replace(profileHref(result.profile.handle));
      else router.replace(next ?? "/");
    } catch {
      // Signed in but the profile could not be loaded: home shows the error with a retry.
      router.replace("/");
    }
  };

  const busy = phase !== "idle";
  const notice =
    params.get("confirmed") === "1"
      ? t("signin.confirmed")
      : params.get("reset") === "1"
        ? t("signin.reset")
        : params.get("expired") === "1"
          ? t("signin.expired")
          : null;
  return (
    <PageShell narrow>
      <section className="card auth-card" aria-labelledby="signin-title">
        <h1 id="signin-title">{t("signin.title")}</h1>
        <p className="muted">{t("signin.lead")}</p>
        <form ref={formRef} onSubmit={onSubmit} noValidate className="form">
          <FormStatus>{formError ? null : notice}</FormStatus>
          <FormAlert>
            {formError ? (
              <>
                {formError}
                {unconfirmed ? (
                  <>
                    {" "}
                    <Link href={`/confirm/?email=${encodeURIComponent(email.trim())}`}>
                      {t("signin.confirmLink")}
                    </Link>
                  </>
                ) : null}
              </>
            ) : null}
          </FormAlert>
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
          <PasswordField
            label={t("signin.password")}
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={errors.password}
          />
          <p className="small">
            <Link href={`/reset/${email.trim() ? `?email=${encodeURIComponent(email.trim())}` : ""}`}>
              {t("signin.forgot")}
            </Link>
          </p>
          <SubmitButton
            busy={busy}
            label={t("signin.submit")}
            busyLabel={phase === "settingUp" ? t("signin.settingUp") : t("signin.submitting")}
          />
        </form>
        <p className="auth-switch">
          {t("signin.noAccount")} <Link href="/signup/">{t("signin.createAccount")}</Link>
        </p>
      </section>
    </PageShell>
  );
}
