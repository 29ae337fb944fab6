"use client";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useEffect } from "react";
import { focusComposer } from "../components/app-keys";
import { useRequireProfile } from "../components/guards";
import { PageShell, ProfilePending, useDocumentTitle } from "../components/page-shell";
import { HomeFeed } from "../components/post/home-feed";
import { useI18n } from "../i18n";
import { useApp } from "../lib/app-context";

export default function HomePage() {
  const { auth } = useApp();
  return auth.signedIn ? <Home /> : <Landing />;
}

function Landing() {
  const { t } = useI18n();
  useDocumentTitle(t("landing.title"));
  return (
    <PageShell>
      <section className="hero">
        <h1 className="hero-title">{t("landing.title")}</h1>
        <p className="hero-lead">{t("landing.lead")}</p>
        <div className="hero-actions">
          <Link href="/signup/" className="btn btn-primary btn-large">
            {t("landing.signUp")}
          </Link>
          <Link href="/signin/" className="btn btn-secondary btn-large">
            {t("landing.signIn")}
          </Link>
        </div>
        <ul className="features">
          <li>
            <span aria-hidden="true" className="feature-icon">
              <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20">
                <path
                  fill="currentColor"
                  d="M4 17.2V20h2.8l8.3-8.3-2.8-2.8L4 17.2Zm13.7-7.5a.8.8 0 0 0 0-1.1l-1.8-1.8a.8.8 0 0 0-1.1 0l-1.4 1.4 2.8 2.9 1.5-1.4Z"
                />
              </svg>
            </span>
            {t("landing.feature.posts")}
          </li>
          <li>
            <span aria-hidden="true" className="feature-icon">
              <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20">
                <path
                  fill="currentColor"
                  d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2Zm0 2v11.2L7.2 14H20V6H4Z"
                />
              </svg>
            </span>
            {t("landing.feature.chat")}
          </li>
          <li>
            <span aria-hidden="true" className="feature-icon">
              <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20">
                <path
                  fill="currentColor"
                  d="m12.9 15-2.5-2.5v-.1A17.6 17.6 0 0 0 14.1 6H17V4h-7V2H8v2H1v2h11.2A15.7 15.7 0 0 1 9 11.4 15.6 15.6 0 0 1 6.7 8H4.7a17.6 17.6 0 0 0 3 4.5L2.6 17.6 4 19l5-5 3.1 3.1.8-2.1ZM18.5 10h-2L12 22h2l1.1-3h4.8l1.1 3h2l-4.5-12Zm-2.6 7 1.6-4.3 1.6 4.3h-3.2Z"
                />
              </svg>
            </span>
            {t("landing.feature.lang")}
          </li>
        </ul>
      </section>
    </PageShell>
  );
}

function Home() {
  const { t } = useI18n();
  useDocumentTitle(t("home.title"));
  const { me, error, retry } = useRequireProfile();
  const compose = useSearchParams().get("compose") === "1";
  // Asked for from another page (the compose button, `n`): the composer, once it is on the page.
  useEffect(() => {
    if (me && compose) focusComposer();
  }, [me, compose]);
  if (!me) return <ProfilePending error={error} retry={retry} />;
  return (
    <PageShell>
      <div className="page-heading">
        <h1>{t("home.title")}</h1>
        <p className="muted">{t("home.greeting", { name: me.displayName })}</p>
      </div>
      {/* The timeline starts at the top; finding someone lives on the search page. */}
      <section aria-label={t("timeline.label")} className="home-main">
        <HomeFeed />
      </section>
    </PageShell>
  );
}
