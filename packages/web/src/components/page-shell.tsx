"use client";
import { type ReactNode, useEffect } from "react";
import { useI18n } from "../i18n";
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
export function useDocumentTitle(title: string | null): void {
  useEffect(() => {
    if (title) document.title = `${title} · asyncsns`;
  }, [title]);
}
