"use client";
import { useI18n } from "../../i18n";
import { useRequireProfile } from "../guards";
import { PageShell, ProfilePending, useDocumentTitle } from "../page-shell";
import { useChat } from "./chat-provider";
import { RoomList } from "./room-list";
import { RoomView } from "./room-view";
import "./chat.css";

/** The list and, beside it on wide screens (instead of it on phones), the open room. */
export function ChatScreen({ roomId }: { roomId: string | null }) {
  const { t } = useI18n();
  const { me, error, retry } = useRequireProfile();
  useDocumentTitle(roomId ? null : t("chat.title"));

  if (!me) return <ProfilePending error={error} retry={retry} />;
  return (
    <PageShell>
      <h1 className="visually-hidden">{t("chat.title")}</h1>
      <ConnectionNotice />
      <div className={`chat-screen${roomId ? " chat-screen-room" : ""}`}>
        <div className="chat-side">
          <RoomList selectedId={roomId} meId={me.id} />
        </div>
        <div className="chat-main">
          {roomId ? (
            <RoomView key={roomId} roomId={roomId} meId={me.id} />
          ) : (
            <div className="chat-empty muted">
              <svg aria-hidden="true" viewBox="0 0 24 24" width="40" height="40" className="empty-icon">
                <path
                  fill="currentColor"
                  d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2Zm0 2v11.2L7.2 14H20V6H4Z"
                />
              </svg>
              <p>{t("chat.select")}</p>
            </div>
          )}
        </div>
      </div>
    </PageShell>
  );
}

/** "Reconnecting…" while the realtime client is between sockets; messages are caught up after. */
function ConnectionNotice() {
  const { t } = useI18n();
  const { connection } = useChat();
  const down = connection === "reconnecting";
  return (
    <div className={down ? "connection-notice" : "connection-slot"} role="status">
      {down ? (
        <>
          <span className="spinner spinner-small" aria-hidden="true" />
          {t("chat.reconnecting")}
        </>
      ) : null}
    </div>
  );
}
