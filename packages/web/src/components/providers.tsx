"use client";
import { type ReactNode, Suspense } from "react";
import { I18nProvider, useI18n } from "../i18n";
import { AppProvider, useApp } from "../lib/app-context";
import { RealtimeProvider } from "../lib/realtime-context";
import { CallProvider } from "./calls/call-provider";
import { ChatUnreadProvider } from "./chat/chat-unread";
import { ConnectionBanner } from "./connection-banner";
import { NotificationsProvider } from "./notifications/notifications-provider";

function BootGate({ children }: { children: ReactNode }) {
  const { status, bootError, retryBoot } = useApp();
  const { t } = useI18n();
  // The Suspense boundary lets pages read the query string (`useSearchParams`) in a static export.
  if (status === "ready") return <Suspense fallback={null}>{children}</Suspense>;
  if (status === "error") {
    return (
      <main id="main" className="boot">
        <div className="boot-card" role="alert">
          <p className="brand-mark" aria-hidden="true">
            a
          </p>
          <p>{t("config.error")}</p>
          {bootError ? <p className="muted small">{bootError}</p> : null}
          <button type="button" className="btn btn-primary" onClick={retryBoot}>
            {t("common.retry")}
          </button>
        </div>
      </main>
    );
  }
  return (
    <main id="main" className="boot" aria-busy="true">
      <div className="boot-card">
        <span className="spinner" aria-hidden="true" />
        <span className="visually-hidden" role="status">
          {t("common.loading")}
        </span>
      </div>
    </main>
  );
}

export function Providers({ children }: { children: ReactNode }) {
  return (
    <I18nProvider>
      <AppProvider>
        <RealtimeProvider>
          <NotificationsProvider>
            <ChatUnreadProvider>
              <ConnectionBanner />
              <CallProvider>
                <BootGate>{children}</BootGate>
              </CallProvider>
            </ChatUnreadProvider>
          </NotificationsProvider>
        </RealtimeProvider>
      </AppProvider>
    </I18nProvider>
  );
}
