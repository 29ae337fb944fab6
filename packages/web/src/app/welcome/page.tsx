"use client";
import { useRouter } from "next/navigation";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { FormAlert, focusFirstInvalid, HandleField, SubmitButton, TextField } from "../../components/form";
import { Loading, PageShell, useDocumentTitle } from "../../components/page-shell";
import { profileHref } from "../../components/site-header";
import { useI18n } from "../../i18n";
import { ApiError, api } from "../../lib/api";
import { useApp } from "../../lib/app-context";
import { apiErrorMessage } from "../../lib/errors";
import { getPendingProfile } from "../../lib/pending-profile";
import { checkDisplayName, checkHandle, DISPLAY_NAME_MAX, normalizeHandle } from "../../lib/validation";

export default function WelcomePage() {
  const { t } = useI18n();
  useDocumentTitle(t("welcome.title"));
  const { auth, me, setMe, setupError, signedOutByUser, profileError, ensureProfile } = useApp();
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const [handle, setHandle] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [errors, setErrors] = useState<{ handle?: string; displayName?: string }>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!auth.signedIn) router.replace(signedOutByUser ? "/" : "/signin/?next=%2Fwelcome%2F");
    else if (me) router.replace(profileHref(me.handle));
  }, [auth.signedIn, me, router, signedOutByUser]);

  useEffect(() => {
    if (auth.signedIn && me === undefined && !profileError) void ensureProfile().catch(() => undefined);
  }, [auth.signedIn, me, profileError, ensureProfile]);

  // Start from what was chosen at sign-up, with the reason it could not be used.
  useEffect(() => {
    const pending = getPendingProfile(auth.email);
    if (pending) {
      setHandle(pending.handle);
      setDisplayName(pending.displayName);
    }
  }, [auth.email]);

  useEffect(() => {
    if (setupError) {
      setErrors({ handle: apiErrorMessage(t, setupError) });
      focusFirstInvalid(formRef.current);
    }
  }, [setupError, t]);

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setFormError(null);
    const cleanHandle = normalizeHandle(handle);
    const found: { handle?: string; displayName?: string } = {};
    const handleProblem = checkHandle(cleanHandle);
    if (handleProblem === "required") found.handle = t("validation.handleRequired");
    if (handleProblem === "invalid") found.handle = t("validation.handleInvalid");
    const nameProblem = checkDisplayName(displayName);
    if (nameProblem === "required") found.displayName = t("validation.displayNameRequired");
    if (nameProblem === "tooLong") found.displayName = t("validation.displayNameTooLong");
    setErrors(found);
    if (Object.keys(found).length > 0) {
      focusFirstInvalid(formRef.current);
      return;
    }
    setBusy(true);
    try {
      const profile = await api.createMe({ handle: cleanHandle, displayName: displayName.trim() });
      setMe(profile);
      router.replace(profileHref(profile.handle));
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && err.code === "profile.exists") {
        const profile = await api.getMe().catch(() => null);
        if (profile) {
          setMe(profile);
          return;
        }
      }
      if (err instanceof ApiError && (err.code.startsWith("profile.") || err.status === 409)) {
        setErrors({ handle: apiErrorMessage(t, err) });
        focusFirstInvalid(formRef.current);
      } else {
        setFormError(apiErrorMessage(t, err));
      }
    }
  };

  if (!auth.signedIn || me !== null) {
    return (
      <PageShell narrow>
        {profileError ? (
          <div className="card" role="alert">
            <p>{apiErrorMessage(t, profileError)}</p>
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => void ensureProfile().catch(() => undefined)}
            >
              {t("common.retry")}
            </button>
          </div>
        ) : (
          <Loading />
        )}
      </PageShell>
    );
  }

  return (
    <PageShell narrow>
      <section className="card auth-card" aria-labelledby="welcome-title">
        <h1 id="welcome-title">{t("welcome.title")}</h1>
        <p className="muted">{t("welcome.lead")}</p>
        <form ref={formRef} onSubmit={onSubmit} noValidate className="form">
          <FormAlert>{formError}</FormAlert>
          <HandleField
            label={t("signup.handle")}
            autoComplete="username"
            required
            maxLength={21}
            value={handle}
            onChange={(e) => setHandle(e.target.value)}
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
            onChange={(e) => setDisplayName(e.target.value)}
            error={errors.displayName}
            hint={t("signup.displayNameHint")}
          />
          <SubmitButton busy={busy} label={t("welcome.submit")} busyLabel={t("welcome.submitting")} />
        </form>
      </section>
    </PageShell>
  );
}
