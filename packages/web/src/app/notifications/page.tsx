"use client";
import type { NotificationItem } from "@asyncsns/realtime";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { useRequireProfile } from "../../components/guards";
import { ActorsDialog } from "../../components/notifications/actors-dialog";
import { NotificationRow } from "../../components/notifications/notification-row";
import { useNotifications } from "../../components/notifications/notifications-provider";
import { PushSetup } from "../../components/notifications/push-setup";
import "../../components/notifications/notifications.css";
import { Loading, PageShell, ProfilePending, useDocumentTitle } from "../../components/page-shell";
import { useNow } from "../../components/post/use-now";
import { useI18n } from "../../i18n";
import { apiErrorMessage } from "../../lib/errors";

const BELL =
  "M12 22a2 2 0 0 0 2-2h-4a2 2 0 0 0 2 2Zm6-6v-5c0-3.1-1.6-5.6-4.5-6.3V4a1.5 1.5 0 0 0-3 0v.7C7.6 5.4 6 7.9 6 11v5l-2 2v1h16v-1l-2-2Z";

export default function NotificationsPage() {
  const { t } = useI18n();
  const { me, error: profileError, retry: retryProfile } = useRequireProfile();
  const { items, cursor, unread, status, error, arrived, loadFirst, loadMore, retry, markRead } =
    useNotifications();
  const now = useNow();
  const [actorsOf, setActorsOf] = useState<NotificationItem | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [markError, setMarkError] = useState<string | null>(null);
  const sentinel = useRef<HTMLDivElement>(null);
  useDocumentTitle(unread > 0 ? `(${unread}) ${t("notifications.title")}` : t("notifications.title"));

  const meId = me?.id;
  useEffect(() => {
    if (meId) void loadFirst();
  }, [meId, loadFirst]);

  // Rows that arrive live are announced once, politely, as a count.
  const arrivedAtOpen = useRef(arrived);
  const fresh = arrived - arrivedAtOpen.current;
  useEffect(() => {
    if (fresh > 0) setNotice(t("notifications.live", { count: fresh }));
  }, [fresh, t]);

  // Infinite scroll; the "Load more" button does the same for keyboards and screen readers.
  useEffect(() => {
    const target = sentinel.current;
    if (!target || !cursor || status !== "idle") return;
    const observer = new IntersectionObserver(
      (records) => {
        if (records.some((r) => r.isIntersecting)) void loadMore();
      },
      { rootMargin: "600px 0px" },
    );
    observer.observe(target);
    return () => observer.disconnect();
  }, [cursor, status, loadMore]);

  if (!me) return <ProfilePending error={profileError} retry={retryProfile} />;

  const markAll = async () => {
    setMarkError(null);
    try {
      await markRead(null);
      setNotice(t("notifications.markAllDone"));
    } catch (err) {
      setMarkError(apiErrorMessage(t, err));
    }
  };

  const open = (item: NotificationItem) => {
    // Fire and forget: the page it leads to should not wait for this.
    if (!item.read) markRead(item.id).catch(() => undefined);
  };

  return (
    <PageShell narrow>
      <div className="ntf-head">
        <h1>{t("notifications.title")}</h1>
        <div className="ntf-actions">
          <button
            type="button"
            className="btn btn-secondary"
            onClick={() => void markAll()}
            disabled={unread === 0 && !(items ?? []).some((i) => !i.read)}
          >
            {t("notifications.markAll")}
          </button>
          <Link href="/notifications/settings/" className="btn btn-ghost">
            {t("notifications.settingsLink")}
          </Link>
        </div>
      </div>
      <p className="visually-hidden" role="status">
        {notice}
      </p>
      {markError ? (
        <p className="alert alert-error" role="alert">
          {markError}
        </p>
      ) : null}
      <PushSetup compact />

      {items?.length ? (
        <ul className="ntf-list" aria-label={t("notifications.title")}>
          {items.map((item) => (
            <NotificationRow
              key={item.id}
              item={item}
              myHandle={me.handle}
              now={now}
              onOpen={open}
              onShowActors={setActorsOf}
            />
          ))}
        </ul>
      ) : null}

      {items && items.length === 0 && status === "idle" ? (
        <div className="card empty-state">
          <svg aria-hidden="true" viewBox="0 0 24 24" width="40" height="40" className="empty-icon">
            <path fill="currentColor" d={BELL} />
          </svg>
          <h2>{t("notifications.empty.title")}</h2>
          <p className="muted">{t("notifications.empty.lead")}</p>
        </div>
      ) : null}
      {status === "loading" ? <Loading /> : null}
      {status === "error" ? (
        <div className="card" role="alert">
          <p>{t("notifications.error")}</p>
          <p className="muted small">{apiErrorMessage(t, error)}</p>
          <button type="button" className="btn btn-primary" onClick={() => void retry()}>
            {t("common.retry")}
          </button>
        </div>
      ) : null}
      {cursor && status === "idle" ? (
        <>
          <div ref={sentinel} className="timeline-sentinel" />
          <div className="timeline-more">
            <button type="button" className="btn btn-secondary" onClick={() => void loadMore()}>
              {t("timeline.loadMore")}
            </button>
          </div>
        </>
      ) : null}
      <ActorsDialog item={actorsOf} onClose={() => setActorsOf(null)} />
    </PageShell>
  );
}
