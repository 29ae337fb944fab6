"use client";
import Link from "next/link";
import { useId, useState } from "react";
import { useI18n } from "../../i18n";
import type { Room } from "../../lib/api-types";
import { type CallSummary, callSummaryText } from "../../lib/call/call-logic";
import { roomTitle } from "../../lib/chat-logic";
import { apiErrorMessage } from "../../lib/errors";
import { relativeTime } from "../../lib/time";
import { useChat } from "./chat-provider";
import { Avatar } from "./message-item";
import { NewChat } from "./new-chat";
import { FolderTabs, useFolder, useRequests } from "./requests";

export function roomHref(id: string): string {
  return `/chat/room/?id=${encodeURIComponent(id)}`;
}

export function RoomList({ selectedId, meId }: { selectedId: string | null; meId: string }) {
  const { t } = useI18n();
  const [creating, setCreating] = useState(false);
  const [folder, setFolder] = useFolder();
  const requests = useRequests(folder === "requests");
  const headingId = useId();
  const panelId = useId();

  return (
    <nav className="room-list" aria-labelledby={headingId}>
      <div className="room-list-head">
        <h2 id={headingId} className="room-list-title">
          {t("chat.list.title")}
        </h2>
        <button
          type="button"
          className="btn btn-primary btn-small"
          aria-expanded={creating}
          onClick={() => setCreating((v) => !v)}
        >
          {t("chat.new")}
        </button>
      </div>
      {creating ? <NewChat meId={meId} onClose={() => setCreating(false)} /> : null}
      <FolderTabs folder={folder} onChange={setFolder} panelId={panelId} />
      <div id={panelId} role="tabpanel">
        {folder === "requests" ? (
          <RequestRooms {...requests} meId={meId} selectedId={selectedId} />
        ) : (
          <Inbox selectedId={selectedId} meId={meId} />
        )}
      </div>
    </nav>
  );
}

function Inbox({ selectedId, meId }: { selectedId: string | null; meId: string }) {
  const { t } = useI18n();
  const { rooms, roomsError, reloadRooms } = useChat();
  return (
    <>
      {roomsError && !rooms ? (
        <div className="room-list-note" role="alert">
          <p>{apiErrorMessage(t, roomsError)}</p>
          <button type="button" className="btn btn-secondary btn-small" onClick={reloadRooms}>
            {t("common.retry")}
          </button>
        </div>
      ) : !rooms ? (
        <p className="room-list-note muted" aria-busy="true">
          {t("common.loading")}
        </p>
      ) : rooms.length === 0 ? (
        <p className="room-list-note muted">{t("chat.list.empty")}</p>
      ) : (
        <ul className="rooms">
          {rooms.map((room) => (
            <RoomRow key={room.id} room={room} meId={meId} selected={room.id === selectedId} />
          ))}
        </ul>
      )}
    </>
  );
}

/** Message requests and group invitations waiting for an answer; opening one shows its answer bar. */
function RequestRooms({
  rooms,
  error,
  retry,
  meId,
  selectedId,
}: ReturnType<typeof useRequests> & { meId: string; selectedId: string | null }) {
  const { t } = useI18n();
  if (error && !rooms)
    return (
      <div className="room-list-note" role="alert">
        <p>{apiErrorMessage(t, error)}</p>
        <button type="button" className="btn btn-secondary btn-small" onClick={retry}>
          {t("common.retry")}
        </button>
      </div>
    );
  if (!rooms)
    return (
      <p className="room-list-note muted" aria-busy="true">
        {t("common.loading")}
      </p>
    );
  if (rooms.length === 0) return <p className="room-list-note muted">{t("chat.requests.empty")}</p>;
  return (
    <ul className="rooms">
      {rooms.map((room) => (
        <RoomRow key={room.id} room={room} meId={meId} selected={room.id === selectedId} />
      ))}
    </ul>
  );
}

function RoomRow({ room, meId, selected }: { room: Room; meId: string; selected: boolean }) {
  const { t, lang } = useI18n();
  const title = roomTitle(room, meId);
  const last = room.lastMessage;
  const others = room.members.filter((m) => m.id !== meId);
  let preview = t("chat.preview.none");
  if (last) {
    const call = (last as { call?: CallSummary | null }).call;
    const body = last.deleted
      ? t("chat.preview.deleted")
      : call
        ? callSummaryText(t, call)
        : last.text || t("chat.preview.media");
    preview =
      last.sender.id === meId
        ? t("chat.preview.you", { text: body })
        : room.kind === "group"
          ? `${last.sender.handle === "" ? t("chat.deletedUser") : last.sender.displayName}: ${body}`
          : body;
  }
  return (
    <li>
      <Link
        href={roomHref(room.id)}
        className={`room-row${selected ? " room-row-selected" : ""}${room.unread > 0 ? " room-row-unread" : ""}`}
        aria-current={selected ? "page" : undefined}
      >
        <Avatar name={title} url={room.kind === "direct" ? (others[0]?.avatarUrl ?? null) : null} size={40} />
        <span className="room-row-main">
          <span className="room-row-top">
            <span className="room-row-title">{title}</span>
            {last ? (
              <time className="room-row-time" dateTime={last.createdAt}>
                {relativeTime(last.createdAt, lang)}
              </time>
            ) : null}
          </span>
          <span className="room-row-bottom">
            <span className="room-row-preview">{preview}</span>
            {room.unread > 0 ? (
              <span className="unread-badge">
                <span aria-hidden="true">{room.unread > 99 ? "99+" : room.unread}</span>
                <span className="visually-hidden">{t("chat.unread", { count: room.unread })}</span>
              </span>
            ) : null}
          </span>
        </span>
      </Link>
    </li>
  );
}
