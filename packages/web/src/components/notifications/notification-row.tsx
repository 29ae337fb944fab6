"use client";
import type { NotificationItem, NotificationType } from "@asyncsns/realtime";
import Link from "next/link";
import { useI18n } from "../../i18n";
import { notificationHref, type Segment, segmentsText, sentenceSegments } from "../../lib/notification-logic";
import { absoluteTime, relativeTime } from "../../lib/time";
import { Avatar } from "../post/post-card";

const TYPE_ICONS: Record<NotificationType, { path: string; tone: string }> = {
  follow: {
    path: "M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8Zm0 2c-3.3 0-7 1.7-7 4.5V20h14v-2.5C16 14.7 12.3 13 9 13Zm10-5V5h-2v3h-3v2h3v3h2v-3h3V8h-3Z",
    tone: "follow",
  },
  "post.like": {
    path: "M12 21 10.6 19.7C5.4 15 2 11.9 2 8.1 2 5 4.4 2.6 7.5 2.6c1.7 0 3.4.8 4.5 2.1a6 6 0 0 1 4.5-2.1C19.6 2.6 22 5 22 8.1c0 3.8-3.4 6.9-8.6 11.6L12 21Z",
    tone: "like",
  },
  "post.repost": {
    path: "M7 7h10v3l4-4-4-4v3H5v6h2V7Zm10 10H7v-3l-4 4 4 4v-3h12v-6h-2v4Z",
    tone: "repost",
  },
  "post.reply": {
    path: "M10 9V5l-7 7 7 7v-4.1c5 0 8.5 1.6 11 5.1-1-5-4-10-11-11Z",
    tone: "reply",
  },
  "post.mention": {
    path: "M12 2a10 10 0 1 0 4.9 18.7l-1-1.7A8 8 0 1 1 20 12v1.2c0 1-.8 1.8-1.7 1.8s-1.8-.8-1.8-1.8V12a4.5 4.5 0 1 0-1.3 3.2 3.8 3.8 0 0 0 3.1 1.6c2 0 3.7-1.6 3.7-3.6V12A10 10 0 0 0 12 2Zm0 12.5a2.5 2.5 0 1 1 0-5 2.5 2.5 0 0 1 0 5Z",
    tone: "reply",
  },
  "chat.message": {
    path: "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2Z",
    tone: "reply",
  },
  "call.missed": {
    path: "M6.6 10.8a15 15 0 0 0 6.6 6.6l2.2-2.2c.3-.3.7-.4 1-.2 1.1.4 2.3.6 3.6.6.6 0 1 .4 1 1V20c0 .6-.4 1-1 1A17 17 0 0 1 3 4c0-.6.4-1 1-1h3.5c.6 0 1 .4 1 1 0 1.3.2 2.5.6 3.6.1.3 0 .7-.2 1l-2.3 2.2ZM21 3.7 19.6 2.3 15 6.9V4h-2v6h6V8h-2.9L21 3.7Z",
    tone: "like",
  },
  "moderation.removed": {
    path: "M12 2 4 5v6c0 5 3.4 9.7 8 11 4.6-1.3 8-6 8-11V5l-8-3Zm-1 6h2v6h-2V8Zm0 8h2v2h-2v-2Z",
    tone: "like",
  },
};

function Sentence({ segments }: { segments: Segment[] }) {
  return (
    <>
      {segments.map((s, i) =>
        s.kind === "text" ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the pieces of one fixed sentence never reorder.
          <span key={i}>{s.text}</span>
        ) : (
          <strong key={s.actor.id}>{s.actor.displayName}</strong>
        ),
      )}
    </>
  );
}

export function NotificationRow({
  item,
  myHandle,
  now,
  onOpen,
  onShowActors,
}: {
  item: NotificationItem;
  myHandle: string | undefined;
  now: number;
  onOpen: (item: NotificationItem) => void;
  onShowActors: (item: NotificationItem) => void;
}) {
  const { t, lang } = useI18n();
  const segments = sentenceSegments(t, item);
  const sentence = segmentsText(segments);
  const icon = TYPE_ICONS[item.type];
  const more = item.actorCount > 1;
  return (
    <li className={item.read ? "ntf-row" : "ntf-row ntf-unread"} data-notification-id={item.id}>
      <span className={`ntf-type ntf-type-${icon.tone}`} aria-hidden="true">
        <svg aria-hidden="true" viewBox="0 0 24 24" width="22" height="22" className="icon">
          <path fill="currentColor" d={icon.path} />
        </svg>
      </span>
      <div className="ntf-main">
        <div className="ntf-avatars" aria-hidden="true">
          {item.actors.slice(0, 3).map((actor) => (
            <Avatar key={actor.id} name={actor.displayName} url={actor.avatarUrl} size="small" />
          ))}
        </div>
        <p className="ntf-sentence">
          <Link href={notificationHref(item, myHandle)} className="ntf-link" onClick={() => onOpen(item)}>
            {item.read ? null : <span className="visually-hidden">{t("notifications.unread")}: </span>}
            <Sentence segments={segments} />
          </Link>
        </p>
        {item.subject?.text ? <p className="ntf-preview">{item.subject.text}</p> : null}
        <p className="ntf-meta">
          <time dateTime={item.updatedAt} title={absoluteTime(item.updatedAt, lang)}>
            {relativeTime(item.updatedAt, lang, now)}
          </time>
          {more ? (
            <button
              type="button"
              className="btn-link ntf-all"
              onClick={() => onShowActors(item)}
              aria-label={t("notifications.seeAllLabel", { count: item.actorCount, sentence })}
            >
              {t("notifications.seeAll", { count: item.actorCount })}
            </button>
          ) : null}
        </p>
      </div>
      {item.read ? null : <span className="ntf-dot" aria-hidden="true" />}
    </li>
  );
}
