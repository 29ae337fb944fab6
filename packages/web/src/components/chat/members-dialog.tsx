"use client";
import { useRouter } from "next/navigation";
import { type FormEvent, useCallback, useEffect, useId, useRef, useState } from "react";
import { useI18n } from "../../i18n";
import type { Member, Room } from "../../lib/api-types";
import { chatApi, MAX_MEMBERS } from "../../lib/chat-api";
import {
  canAddMembers,
  isFull,
  memberActions,
  sortMembers,
  withMember,
  withoutMember,
  withRole,
} from "../../lib/chat-members";
import { apiErrorMessage } from "../../lib/errors";
import { FormAlert, HandleField } from "../form";
import { ConfirmDialog, Modal } from "../post/dialog";
import { useChat } from "./chat-provider";
import { findPerson } from "./find-person";
import { Avatar } from "./message-item";

type Confirm = { kind: "remove"; member: Member } | { kind: "leave" };

const nameOf = (m: Member) => m.displayName || `@${m.handle}`;

/** Changes show at once and roll back if the server refuses them, so the dialog never waits on the network. */
export function MembersDialog({
  room,
  meId,
  open,
  onClose,
  update,
}: {
  room: Room;
  meId: string;
  open: boolean;
  onClose: () => void;
  /** Changes the room as the room view holds it. */
  update: (change: (room: Room) => Room) => void;
}) {
  const { t } = useI18n();
  const router = useRouter();
  const { upsertRoom, removeRoom } = useChat();
  const [entry, setEntry] = useState("");
  const [entryError, setEntryError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState("");
  const [confirm, setConfirm] = useState<Confirm | null>(null);
  const [leaving, setLeaving] = useState(false);
  const [leaveError, setLeaveError] = useState<string | null>(null);
  const titleId = useId();
  const titleRef = useRef<HTMLHeadingElement>(null);
  const refocus = useRef(false);
  const roomId = room.id;
  const me = room.members.find((m) => m.id === meId);

  // Events keep the room current while this is open; a fresh read covers any event a reconnect missed.
  const refresh = useCallback(
    () =>
      chatApi.getRoom(roomId).then(
        (fresh) => update(() => fresh),
        () => undefined,
      ),
    [roomId, update],
  );
  useEffect(() => {
    if (!open) return;
    setError(null);
    setStatus("");
    void refresh();
  }, [open, refresh]);

  /** Undoes an optimistic change, says why, and re-reads the room: a refusal often means it changed meanwhile. */
  const refused = (undo: (room: Room) => Room, err: unknown) => {
    update(undo);
    setError(apiErrorMessage(t, err));
    void refresh();
  };

  // A removed member's row takes its button with it: focus goes to the title rather than out of the dialog.
  useEffect(() => {
    if (confirm || !refocus.current) return;
    refocus.current = false;
    titleRef.current?.focus();
  }, [confirm]);

  const saved = (fresh: Room, message: string) => {
    update(() => fresh);
    upsertRoom(fresh);
    setStatus(message);
  };

  const onAdd = async (e: FormEvent) => {
    e.preventDefault();
    if (adding) return;
    setError(null);
    setStatus("");
    setAdding(true);
    const found = await findPerson(t, entry, (handle) =>
      room.members.some((m) => m.handle.toLowerCase() === handle.toLowerCase())
        ? t("chat.members.already", { handle })
        : null,
    );
    if (found.kind !== "found") {
      setEntryError(found.kind === "error" ? found.message : t("chat.new.needPeople"));
      setAdding(false);
      return;
    }
    const { person } = found;
    const member: Member = {
      id: person.id,
      handle: person.handle,
      displayName: person.displayName,
      avatarUrl: person.avatarUrl,
      role: "member",
      // The server's answer says whether they joined or were invited (they may not follow the adder).
      status: "member",
      lastReadSeq: 0,
    };
    update((r) => withMember(r, member));
    setEntry("");
    setEntryError(null);
    try {
      saved(
        await chatApi.addMembers(roomId, [person.handle]),
        t("chat.members.added", { name: nameOf(member) }),
      );
    } catch (err) {
      update((r) => withoutMember(r, member.id));
      setEntry(person.handle);
      setEntryError(apiErrorMessage(t, err));
      void refresh();
    } finally {
      setAdding(false);
    }
  };

  const remove = async (member: Member) => {
    refocus.current = true;
    setConfirm(null);
    setError(null);
    update((r) => withoutMember(r, member.id));
    try {
      await chatApi.removeMember(roomId, member.handle);
      setStatus(t("chat.members.removed", { name: nameOf(member) }));
    } catch (err) {
      refused((r) => withMember(r, member), err);
    }
  };

  const changeRole = async (member: Member, role: "admin" | "member") => {
    setError(null);
    update((r) => withRole(r, member.id, role));
    try {
      saved(
        await chatApi.setRole(roomId, member.handle, role),
        t(role === "admin" ? "chat.members.promoted" : "chat.members.demoted", { name: nameOf(member) }),
      );
    } catch (err) {
      refused((r) => withRole(r, member.id, member.role), err);
    }
  };

  const leave = async () => {
    if (!me) return;
    setLeaving(true);
    setLeaveError(null);
    try {
      await chatApi.removeMember(roomId, me.handle);
      removeRoom(roomId);
      router.push("/chat/");
    } catch (err) {
      setLeaveError(apiErrorMessage(t, err));
      setLeaving(false);
    }
  };

  return (
    <>
      <Modal open={open} onClose={onClose} labelledBy={titleId} className="members-dialog">
        <div className="modal-body members-body">
          <div className="members-head">
            <h2 id={titleId} ref={titleRef} tabIndex={-1} className="members-title">
              {t("chat.members.title")} <span className="muted">({room.members.length})</span>
            </h2>
            <button type="button" className="btn-icon" onClick={onClose} aria-label={t("chat.members.close")}>
              <span aria-hidden="true">×</span>
            </button>
          </div>
          <FormAlert>{error}</FormAlert>
          <p className="members-status" role="status">
            {status}
          </p>
          <ul className="members" aria-labelledby={titleId}>
            {sortMembers(room.members).map((m) => {
              const can = memberActions(room.myRole, m, meId);
              return (
                <li key={m.id} className="member">
                  <Avatar name={nameOf(m)} url={m.avatarUrl} />
                  <span className="member-main">
                    <span className="member-name">
                      {nameOf(m)}
                      {m.id === meId ? <span className="muted"> ({t("chat.members.you")})</span> : null}
                    </span>
                    <span className="member-handle">@{m.handle}</span>
                  </span>
                  {m.role !== "member" ? (
                    <span className="badge">
                      {t(m.role === "owner" ? "chat.members.owner" : "chat.members.admin")}
                    </span>
                  ) : null}
                  {can.remove || can.setRole ? (
                    <span className="member-actions">
                      {can.setRole ? (
                        <button
                          type="button"
                          className="btn btn-secondary btn-small"
                          aria-label={t(
                            can.setRole === "admin"
                              ? "chat.members.promoteLabel"
                              : "chat.members.demoteLabel",
                            { name: nameOf(m) },
                          )}
                          onClick={() => void changeRole(m, can.setRole!)}
                        >
                          {t(can.setRole === "admin" ? "chat.members.promote" : "chat.members.demote")}
                        </button>
                      ) : null}
                      {can.remove ? (
                        <button
                          type="button"
                          className="btn btn-secondary btn-small"
                          aria-label={t("chat.members.removeLabel", { name: nameOf(m) })}
                          onClick={() => setConfirm({ kind: "remove", member: m })}
                        >
                          {t("chat.members.remove")}
                        </button>
                      ) : null}
                    </span>
                  ) : null}
                </li>
              );
            })}
          </ul>
          {!canAddMembers(room) ? null : isFull(room) ? (
            <p className="muted">{t("chat.members.full", { max: MAX_MEMBERS })}</p>
          ) : (
            <form className="handle-entry" onSubmit={onAdd} noValidate>
              <HandleField
                label={t("chat.new.people")}
                value={entry}
                onChange={(e) => setEntry(e.target.value)}
                error={entryError}
              />
              <button type="submit" className="btn btn-secondary" disabled={adding} aria-busy={adding}>
                {adding ? t("chat.members.adding") : t("chat.members.add")}
              </button>
            </form>
          )}
          <div className="form-actions">
            <button
              type="button"
              className="btn btn-danger"
              onClick={() => {
                setLeaveError(null);
                setConfirm({ kind: "leave" });
              }}
            >
              {t("chat.members.leave")}
            </button>
          </div>
        </div>
      </Modal>
      {/* A sibling, not a child: Esc in the confirmation must not reach the members dialog's handler too. */}
      <ConfirmDialog
        open={confirm !== null}
        title={
          confirm?.kind === "remove"
            ? t("chat.members.removeTitle", { name: nameOf(confirm.member) })
            : t("chat.members.leaveTitle")
        }
        lead={
          confirm?.kind === "remove"
            ? t("chat.members.removeLead")
            : t(me?.role === "owner" ? "chat.members.leaveLeadOwner" : "chat.members.leaveLead")
        }
        confirmLabel={
          confirm?.kind === "remove"
            ? t("chat.members.remove")
            : leaving
              ? t("chat.members.leaving")
              : t("chat.members.leave")
        }
        busy={leaving}
        error={leaveError}
        onConfirm={() => (confirm?.kind === "remove" ? void remove(confirm.member) : void leave())}
        onCancel={() => setConfirm(null)}
      />
    </>
  );
}
