"use client";
import { useRouter } from "next/navigation";
import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { useI18n } from "../../i18n";
import { chatApi } from "../../lib/chat-api";
import { apiErrorMessage } from "../../lib/errors";
import { FormAlert, HandleField, TextField } from "../form";
import { useChat } from "./chat-provider";
import { findPerson } from "./find-person";
import { roomHref } from "./room-list";

interface Person {
  handle: string;
  displayName: string;
}

/** Start a chat: one handle makes (or reopens) a 1:1 room; two or more make a group with an optional name. */
export function NewChat({ meId, onClose }: { meId: string; onClose: () => void }) {
  const { t } = useI18n();
  const router = useRouter();
  const { upsertRoom } = useChat();
  const [entry, setEntry] = useState("");
  const [entryError, setEntryError] = useState<string | null>(null);
  const [people, setPeople] = useState<Person[]>([]);
  const [name, setName] = useState("");
  /** With one person: a group of two instead of the 1:1 room. */
  const [asGroup, setAsGroup] = useState(false);
  const [looking, setLooking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const headingId = useId();
  const peopleId = useId();
  const groupId = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const focusEntry = () => formRef.current?.querySelector<HTMLInputElement>("input[name=handle]")?.focus();

  // biome-ignore lint/correctness/useExhaustiveDependencies: focus once, when the form opens.
  useEffect(() => {
    focusEntry();
  }, []);

  const addPerson = async (): Promise<Person[] | null> => {
    setLooking(true);
    const found = await findPerson(t, entry, (handle) =>
      people.some((p) => p.handle.toLowerCase() === handle.toLowerCase())
        ? t("chat.new.already", { handle })
        : null,
    );
    setLooking(false);
    if (found.kind === "empty") return people;
    if (found.kind === "error" || found.person.id === meId) {
      setEntryError(found.kind === "error" ? found.message : t("chat.new.self"));
      return null;
    }
    const next = [...people, { handle: found.person.handle, displayName: found.person.displayName }];
    setPeople(next);
    setEntry("");
    setEntryError(null);
    return next;
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setFormError(null);
    // A handle still in the box counts: typing one and pressing "Start chat" is the common 1:1 path.
    const list = await addPerson();
    if (!list) return;
    if (list.length === 0) {
      setEntryError(t("chat.new.needPeople"));
      focusEntry();
      return;
    }
    setBusy(true);
    try {
      const trimmed = name.trim();
      const room = await chatApi.createRoom({
        memberHandles: list.map((p) => p.handle),
        ...((list.length > 1 || asGroup) && trimmed ? { name: trimmed } : {}),
        ...(list.length === 1 && asGroup ? { kind: "group" as const } : {}),
      });
      upsertRoom(room);
      onClose();
      router.push(roomHref(room.id));
    } catch (err) {
      setFormError(apiErrorMessage(t, err));
      setBusy(false);
    }
  };

  return (
    <form
      ref={formRef}
      className="new-chat form"
      aria-labelledby={headingId}
      onSubmit={onSubmit}
      noValidate
      onKeyDown={(e) => {
        if (e.key === "Escape") onClose();
      }}
    >
      <h3 id={headingId} className="card-title">
        {t("chat.new.title")}
      </h3>
      <FormAlert>{formError}</FormAlert>
      {people.length > 0 ? (
        <div>
          <p id={peopleId} className="field-label">
            {t("chat.new.selected")}
          </p>
          <ul className="chips" aria-labelledby={peopleId}>
            {people.map((p) => (
              <li key={p.handle} className="chip">
                <span>
                  {p.displayName} <span className="muted">@{p.handle}</span>
                </span>
                <button
                  type="button"
                  className="chip-remove"
                  aria-label={t("chat.new.remove", { name: p.displayName })}
                  onClick={() => setPeople((current) => current.filter((x) => x.handle !== p.handle))}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div className="handle-entry">
        <HandleField
          label={t("chat.new.people")}
          value={entry}
          onChange={(e) => setEntry(e.target.value)}
          onKeyDown={(e) => {
            // Enter adds the person (unless an input method is composing); the form submits with the button.
            if (e.key === "Enter" && !e.nativeEvent.isComposing && e.keyCode !== 229) {
              e.preventDefault();
              void addPerson();
            }
          }}
          error={entryError}
          hint={t("chat.new.hint")}
        />
        <button
          type="button"
          className="btn btn-secondary"
          onClick={() => void addPerson()}
          disabled={looking}
          aria-busy={looking}
        >
          {t("chat.new.add")}
        </button>
      </div>
      {people.length === 1 ? (
        <div className="checkbox">
          <input
            id={groupId}
            type="checkbox"
            checked={asGroup}
            aria-describedby={`${groupId}-hint`}
            onChange={(e) => setAsGroup(e.target.checked)}
          />
          <label htmlFor={groupId}>{t("chat.new.asGroup")}</label>
          <span id={`${groupId}-hint`} className="visually-hidden">
            {t("chat.new.asGroupHint")}
          </span>
        </div>
      ) : null}
      {people.length > 1 || (people.length === 1 && asGroup) ? (
        <TextField
          label={t("chat.new.groupName")}
          name="groupName"
          value={name}
          maxLength={80}
          onChange={(e) => setName(e.target.value)}
          hint={t("chat.new.groupNameHint")}
        />
      ) : null}
      <div className="form-actions">
        <button type="button" className="btn btn-ghost" onClick={onClose}>
          {t("common.cancel")}
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy || looking} aria-busy={busy}>
          {busy ? t("chat.new.submitting") : t("chat.new.submit")}
        </button>
      </div>
    </form>
  );
}
