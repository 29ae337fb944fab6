"use client";
import { type ReactNode, useEffect } from "react";
import { useI18n } from "../i18n";
import { apiErrorMessage } from "../lib/errors";
import { ComposeButton, KeyboardShortcuts } from "./app-keys";
import { SiteHeader } from "./site-header";

export function PageShell({ children, narrow }: { children: ReactNode; narrow?: boolean }) {
  const { t } = useI18n();
  return (
    <>
      <a href="#main" className="skip-link">
        {t("nav.skip")}
      </a>
      <SiteHeader />
      <main id="main" className={narrow ? "page page-narrow" : "page"} tabIndex={-1}>
        {children}
      </main>
      <ComposeButton />
      <KeyboardShortcuts />
    </>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <div className="loading" aria-busy="true">
      <span className="spinner" aria-hidden="true" />
      <span role="status">{t("common.loading")}</span>
    </div>
  );
}

/** Sets the tab title (announced by screen readers on navigation). */
/** A page that needs the caller's profile, until it has it: loading, or why it could not be read, with a retry. */
export function ProfilePending({ error, retry }: { error: unknown; retry: () => void }) {
  const { t } = useI18n();
  return (
    <PageShell>
      {error ? (
        <div className="card" role="alert">
          <p>{apiErrorMessage(t, error)}</p>
          <button type="button" className="btn btn-primary" onClick={retry}>
            {t("common.retry")}
          </button>
        </div>
      ) : (
        <Loading />
      )}
    </PageShell>
  );
}

export function useDocumentTitle(title: string | null): void {
  useEffect(() => {
    if (title) document.title = `${title} · asyncsns`;
  }, [title]);
}
