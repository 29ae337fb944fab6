"use client";
// Message requests in the chat UI: the list's Inbox / Requests tabs, the answer bar of a request or group
// invitation (accept, delete or decline, block), and the 1:1 room's menu with "Leave conversation".
import { useRouter } from "next/navigation";
import { type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import { useI18n } from "../../i18n";
import type { Room } from "../../lib/api-types";
import { chatApi } from "../../lib/chat-api";
import { apiErrorMessage } from "../../lib/errors";
import { safetyApi } from "../../lib/safety-api";
import { ConfirmDialog } from "../post/dialog";
import { useChat } from "./chat-provider";
import "./requests.css";

export type Folder = "inbox" | "requests";

// Kept across the list's remounts (opening a room is another page): a request opened from Requests keeps that tab.
let lastFolder: Folder = "inbox";

/** The tab the list shows, remembered while the app runs. */
export function useFolder(): [Folder, (folder: Folder) => void] {
  const [folder, setFolder] = useState<Folder>(lastFolder);
  return [
    folder,
    (next) => {
      lastFolder = next;
      setFolder(next);
    },
  ];
}

/** The two tabs above the room list; arrow keys move between them as in any tab list. */
export function FolderTabs({
  folder,
  onChange,
  panelId,
}: {
  folder: Folder;
  onChange: (folder: Folder) => void;
  panelId: string;
}) {
  const { t } = useI18n();
  const { requestCount } = useChat();
  const refs = useRef<Record<Folder, HTMLButtonElement | null>>({ inbox: null, requests: null });
  const order: Folder[] = ["inbox", "requests"];
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== "ArrowLeft" && e.key !== "ArrowRight" && e.key !== "Home" && e.key !== "End") return;
    e.preventDefault();
    const next =
      e.key === "Home" ? "inbox" : e.key === "End" ? "requests" : folder === "inbox" ? "requests" : "inbox";
    onChange(next);
    refs.current[next]?.focus();
  };
  return (
    <div className="chat-folders" role="tablist" aria-label={t("chat.folders")} onKeyDown={onKeyDown}>
      {order.map((f) => (
        <button
          key={f}
          ref={(el) => {
            refs.current[f] = el;
          }}
          type="button"
          role="tab"
          className="chat-folder"
          aria-selected={folder === f}
          aria-controls={panelId}
          tabIndex={folder === f ? 0 : -1}
          onClick={() => onChange(f)}
        >
          {t(f === "inbox" ? "chat.folder.inbox" : "chat.folder.requests")}
          {f === "requests" && requestCount > 0 ? " " : null}
          {f === "requests" && requestCount > 0 ? (
            <span className="chat-folder-count">{requestCount > 99 ? "99+" : requestCount}</span>
          ) : null}
        </button>
      ))}
    </div>
  );
}

/** The requests and invitations waiting, read again whenever the count moves. */
export function useRequests(active: boolean): {
  rooms: Room[] | undefined;
  error: unknown;
  retry: () => void;
} {
  const { requestCount } = useChat();
  const [rooms, setRooms] = useState<Room[] | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the count and `attempt` re-run the read.
  useEffect(() => {
    if (!active) return;
    let cancelled = false;
    chatApi.listRooms("requests").then(
      ({ items }) => {
        if (cancelled) return;
        setError(null);
        setRooms(items);
      },
      (err: unknown) => !cancelled && setError(err),
    );
    return () => {
      cancelled = true;
    };
  }, [active, requestCount, attempt]);
  return { rooms, error, retry: () => setAttempt((n) => n + 1) };
}

/** Instead of the composer while a request or invitation waits: accept, delete / decline, or block its sender. */
export function RequestBar({
  room,
  meId,
  onAccepted,
}: {
  room: Room;
  meId: string;
  onAccepted: (room: Room) => void;
}) {
  const { t } = useI18n();
  const router = useRouter();
  const { upsertRoom, removeRoom, reloadRooms } = useChat();
  const [busy, setBusy] = useState<"accept" | "decline" | "block" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirmingBlock, setConfirmingBlock] = useState(false);
  const invited = room.status === "invited";
  const other = room.members.find((m) => m.id !== meId);
  const inviter = room.members.find((m) => m.id === room.invitedBy);
  // Whom "Block" blocks: the request's sender, or whoever sent the invitation.
  const sender = invited ? inviter : other;
  const nameOf = (m: { displayName: string; handle: string } | undefined) =>
    m ? m.displayName || `@${m.handle}` : t("chat.requests.someone");

  const answer = async (verb: "accept" | "decline" | "block") => {
    setBusy(verb);
    setError(null);
    try {
      if (verb === "accept") {
        const accepted = await chatApi.accept(room.id);
        upsertRoom(accepted);
        onAccepted(accepted);
      } else {
        // Block first (the room goes read-only for both), then the request leaves Requests as a deletion does.
        if (verb === "block" && sender) await safetyApi.block(sender.handle);
        await chatApi.decline(room.id);
        setConfirmingBlock(false);
        removeRoom(room.id);
        router.push("/chat/");
      }
      reloadRooms();
    } catch (err) {
      setError(apiErrorMessage(t, err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section
      className="request-bar"
      aria-label={t(invited ? "chat.requests.invitation" : "chat.requests.request")}
    >
      <p className="request-lead">
        {invited
          ? t("chat.requests.invitedLead", { name: nameOf(inviter) })
          : t("chat.requests.lead", { name: nameOf(other) })}
      </p>
      {error && !confirmingBlock ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="request-actions">
        <button
          type="button"
          className="btn btn-primary btn-small"
          disabled={busy !== null}
          aria-busy={busy === "accept"}
          onClick={() => void answer("accept")}
        >
          {t("chat.requests.accept")}
        </button>
        <button
          type="button"
          className="btn btn-secondary btn-small"
          disabled={busy !== null}
          aria-busy={busy === "decline"}
          onClick={() => void answer("decline")}
        >
          {t(invited ? "chat.requests.decline" : "chat.requests.delete")}
        </button>
        {sender ? (
          <button
            type="button"
            className="btn btn-danger btn-small"
            disabled={busy !== null}
            aria-haspopup="dialog"
            onClick={() => {
              setError(null);
              setConfirmingBlock(true);
            }}
          >
            {t("chat.requests.block")}
          </button>
        ) : null}
      </div>
      {sender ? (
        <ConfirmDialog
          open={confirmingBlock}
          title={t("safety.blockTitle", { handle: sender.handle })}
          lead={t("chat.requests.blockLead", { handle: sender.handle })}
          confirmLabel={t("chat.requests.block")}
          busy={busy === "block"}
          error={confirmingBlock ? error : null}
          onConfirm={() => void answer("block")}
          onCancel={() => setConfirmingBlock(false)}
        />
      ) : null}
    </section>
  );
}

/** A 1:1 room's menu: "Leave conversation" archives the room for the caller alone. */
export function RoomMenu({ roomId }: { roomId: string }) {
  const { t } = useI18n();
  const router = useRouter();
  const { removeRoom } = useChat();
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [leaving, setLeaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const menuId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const itemRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (open) itemRef.current?.focus();
  }, [open]);

  const close = () => {
    setOpen(false);
    buttonRef.current?.focus();
  };

  const leave = async () => {
    setLeaving(true);
    setError(null);
    try {
      await chatApi.leave(roomId);
      removeRoom(roomId);
      setConfirming(false);
      router.push("/chat/");
    } catch (err) {
      setError(apiErrorMessage(t, err));
    } finally {
      setLeaving(false);
    }
  };

  return (
    <div className="room-menu">
      <button
        ref={buttonRef}
        type="button"
        className="btn-icon"
        aria-label={t("chat.menu")}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen((v) => !v)}
      >
        <svg aria-hidden="true" viewBox="0 0 24 24" width="22" height="22">
          <path
            fill="currentColor"
            d="M12 8a2 2 0 1 0 0-4 2 2 0 0 0 0 4Zm0 6a2 2 0 1 0 0-4 2 2 0 0 0 0 4Zm0 6a2 2 0 1 0 0-4 2 2 0 0 0 0 4Z"
          />
        </svg>
      </button>
      {open ? (
        <div
          id={menuId}
          className="room-menu-list"
          role="menu"
          tabIndex={-1}
          onKeyDown={(e) => {
            if (e.key === "Escape") close();
          }}
          onBlur={(e) => {
            if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOpen(false);
          }}
        >
          <button
            ref={itemRef}
            type="button"
            role="menuitem"
            className="room-menu-item"
            onClick={() => {
              setOpen(false);
              setError(null);
              setConfirming(true);
            }}
          >
            {t("chat.leave")}
          </button>
        </div>
      ) : null}
      <ConfirmDialog
        open={confirming}
        title={t("chat.leaveTitle")}
        lead={t("chat.leaveLead")}
        confirmLabel={leaving ? t("chat.members.leaving") : t("chat.leave")}
        busy={leaving}
        error={error}
        onConfirm={() => void leave()}
        onCancel={() => setConfirming(false)}
      />
    </div>
  );
}
