"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type FormEvent, useEffect, useRef, useState } from "react";
import {
  FormAlert,
  focusFirstInvalid,
  HandleField,
  PasswordField,
  SubmitButton,
  TextField,
} from "../../components/form";
import { PageShell, useDocumentTitle } from "../../components/page-shell";
import { useI18n } from "../../i18n";
import { useApp } from "../../lib/app-context";
import { CognitoError, signUp } from "../../lib/cognito";
import { authErrorMessage } from "../../lib/errors";
import { savePendingProfile } from "../../lib/pending-profile";
import {
  checkDisplayName,
  checkHandle,
  DISPLAY_NAME_MAX,
  isEmail,
  normalizeHandle,
  passwordRules,
} from "../../lib/validation";

interface Errors {
  email?: string;
  password?: string;
  handle?: string;
  displayName?: string;
}

export default function SignUpPage() {
  const { t } = useI18n();
  useDocumentTitle(t("signup.title"));
  const { config, auth } = useApp();
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [handle, setHandle] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [existing, setExisting] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (auth.signedIn) router.replace("/");
  }, [auth.signedIn, router]);

  const validate = (): Errors => {
    const next: Errors = {};
    if (!isEmail(email)) next.email = t("validation.emailInvalid");
    const rules = passwordRules(password);
    if (!password) next.password = t("validation.passwordRequired");
    else if (!rules.length || !rules.lowercase || !rules.number) next.password = t("validation.passwordWeak");
    const handleProblem = checkHandle(normalizeHandle(handle));
    if (handleProblem === "required") next.handle = t("validation.handleRequired");
    if (handleProblem === "invalid") next.handle = t("validation.handleInvalid");
    const nameProblem = checkDisplayName(displayName);
    if (nameProblem === "required") next.displayName = t("validation.displayNameRequired");
    if (nameProblem === "tooLong") next.displayName = t("validation.displayNameTooLong");
    return next;
  };

  // An error shown goes as soon as its field is right, not at the next submit.
  const clearIf = (field: keyof Errors, valid: boolean) => {
    if (valid && errors[field]) setErrors(({ [field]: _, ...rest }) => rest);
  };

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setFormError(null);
    setExisting(false);
    const found = validate();
    setErrors(found);
    if (Object.keys(found).length > 0 || !config) {
      focusFirstInvalid(formRef.current);
      return;
    }
    setBusy(true);
    const cleanEmail = email.trim();
    try {
      await signUp(config, cleanEmail, password);
      savePendingProfile({
        email: cleanEmail,
        handle: normalizeHandle(handle),
        displayName: displayName.trim(),
      });
      router.push(`/confirm/?email=${encodeURIComponent(cleanEmail)}`);
    } catch (err) {
      setBusy(false);
      if (err instanceof CognitoError && err.code === "InvalidPasswordException") {
        setErrors({ password: authErrorMessage(t, err) });
        focusFirstInvalid(formRef.current);
        return;
      }
      const exists = err instanceof CognitoError && err.code === "UsernameExistsException";
      // The account may be unconfirmed from an earlier try: the handle typed now is the one to use.
      if (exists) {
        savePendingProfile({
          email: cleanEmail,
          handle: normalizeHandle(handle),
          displayName: displayName.trim(),
        });
      }
      setExisting(exists);
      setFormError(authErrorMessage(t, err));
    }
  };

  return (
    <PageShell narrow>
      <section className="card auth-card" aria-labelledby="signup-title">
        <h1 id="signup-title">{t("signup.title")}</h1>
        <p className="muted">{t("signup.lead")}</p>
        <form ref={formRef} onSubmit={onSubmit} noValidate className="form">
          <FormAlert>
            {formError ? (
              <>
                {formError}
                {existing ? (
                  <>
                    {" "}
                    <Link href={`/signin/?email=${encodeURIComponent(email.trim())}`}>
                      {t("signup.signInLink")}
                    </Link>
                  </>
                ) : null}
              </>
            ) : null}
          </FormAlert>
          <TextField
            label={t("signup.email")}
            type="email"
            name="email"
            autoComplete="email"
            inputMode="email"
            autoCapitalize="none"
            spellCheck={false}
            required
            value={email}
            onChange={(e) => {
              setEmail(e.target.value);
              clearIf("email", isEmail(e.target.value));
            }}
            error={errors.email}
          />
          <PasswordField
            label={t("signup.password")}
            name="password"
            autoComplete="new-password"
            required
            showRules
            value={password}
            onChange={(e) => {
              setPassword(e.target.value);
              const rules = passwordRules(e.target.value);
              clearIf("password", rules.length && rules.lowercase && rules.number);
            }}
            error={errors.password}
          />
          <HandleField
            label={t("signup.handle")}
            autoComplete="username"
            required
            maxLength={21}
            value={handle}
            onChange={(e) => {
              setHandle(e.target.value);
              clearIf("handle", !checkHandle(normalizeHandle(e.target.value)));
            }}
            error={errors.handle}
            hint={t("signup.handleHint")}
          />
          <TextField
            label={t("signup.displayName")}
            name="displayName"
            autoComplete="nickname"
            required
            maxLength={DISPLAY_NAME_MAX * 2}
            value={displayName}
            onChange={(e) => {
              setDisplayName(e.target.value);
              clearIf("displayName", !checkDisplayName(e.target.value));
            }}
            error={errors.displayName}
            hint={t("signup.displayNameHint")}
          />
          <SubmitButton busy={busy} label={t("signup.submit")} busyLabel={t("signup.submitting")} />
        </form>
        <p className="auth-switch">
          {t("signup.haveAccount")} <Link href="/signin/">{t("signup.signInLink")}</Link>
        </p>
      </section>
    </PageShell>
  );
}
