"use client";
import Link from "next/link";
import { PageShell, useDocumentTitle } from "../components/page-shell";
import { useI18n } from "../i18n";

export default function NotFound() {
  const { t } = useI18n();
  useDocumentTitle(t("notFound.title"));
  return (
    <PageShell narrow>
      <section className="card empty-state">
        <p className="empty-code" aria-hidden="true">
          404
        </p>
        <h1>{t("notFound.title")}</h1>
        <p className="muted">{t("notFound.lead")}</p>
        <Link href="/" className="btn btn-primary">
          {t("notFound.home")}
        </Link>
      </section>
    </PageShell>
  );
}
