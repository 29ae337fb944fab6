"use client";
import type { NotificationItem, Sender } from "@asyncsns/realtime";
import Link from "next/link";
import { useEffect, useId, useState } from "react";
import { useI18n } from "../../i18n";
import { apiErrorMessage } from "../../lib/errors";
import { notificationsApi } from "../../lib/notifications-api";
import { Modal } from "../post/dialog";
import { Avatar } from "../post/post-card";
import { profileHref } from "../site-header";

/** Everyone behind a grouped row ("Aki and 3 others"), page by page. */
export function ActorsDialog({ item, onClose }: { item: NotificationItem | null; onClose: () => void }) {
  const { t } = useI18n();
  const titleId = useId();
  const [actors, setActors] = useState<Sender[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [status, setStatus] = useState<"loading" | "idle" | "error">("loading");
  const [error, setError] = useState<unknown>(null);
  const id = item?.id;

  const load = async (notificationId: string, from: string | null, active: () => boolean) => {
    setStatus("loading");
    try {
      const page = await notificationsApi.actors(notificationId, from);
      if (!active()) return;
      setActors((current) => {
        const known = new Set(current.map((a) => a.id));
        return from ? [...current, ...page.items.filter((a) => !known.has(a.id))] : page.items;
      });
      setCursor(page.cursor);
      setStatus("idle");
    } catch (err) {
      if (!active()) return;
      setError(err);
      setStatus("error");
    }
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: the first page, once per opened row.
  useEffect(() => {
    if (!id) return;
    let active = true;
    setActors([]);
    setCursor(null);
    void load(id, null, () => active);
    return () => {
      active = false;
    };
  }, [id]);

  return (
    <Modal open={!!item} onClose={onClose} labelledBy={titleId} className="ntf-actors-dialog">
      <div className="modal-body">
        <div className="ntf-dialog-head">
          <h2 id={titleId}>{t("notifications.actors.title", { count: item?.actorCount ?? 0 })}</h2>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            {t("notifications.actors.close")}
          </button>
        </div>
        <ul className="ntf-actors">
          {actors.map((a) => (
            <li key={a.id}>
              <Avatar name={a.displayName} url={a.avatarUrl} size="small" />
              <Link href={profileHref(a.handle)} onClick={onClose}>
                <span className="person-name">{a.displayName}</span>{" "}
                <span className="muted">@{a.handle}</span>
              </Link>
            </li>
          ))}
        </ul>
        {status === "loading" ? (
          <div className="loading" aria-busy="true">
            <span className="spinner" aria-hidden="true" />
            <span role="status">{t("common.loading")}</span>
          </div>
        ) : null}
        {status === "error" && id ? (
          <div role="alert">
            <p>{apiErrorMessage(t, error)}</p>
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => void load(id, cursor, () => true)}
            >
              {t("common.retry")}
            </button>
          </div>
        ) : null}
        {status === "idle" && cursor && id ? (
          <div className="timeline-more">
            <button
              type="button"
              className="btn btn-secondary"
              onClick={() => void load(id, cursor, () => true)}
            >
              {t("timeline.loadMore")}
            </button>
          </div>
        ) : null}
      </div>
    </Modal>
  );
}
