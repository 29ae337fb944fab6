"use client";
import { type FormEvent, type KeyboardEvent, useCallback, useId, useRef, useState } from "react";
import { useI18n } from "../../i18n";
import type { Message } from "../../lib/api-types";
import type { KnownPerson } from "../../lib/autocomplete";
import { messageTooLong } from "../../lib/chat-api";
import { isSendKey } from "../../lib/chat-logic";
import { ACCEPT } from "../../lib/media-limits";
import { useAutocomplete } from "../post/autocomplete";
import { type AttachProblem, useAttachments } from "./attachments";

export function Composer({
  replyTo,
  onCancelReply,
  onSend,
  onTyping,
  members = [],
}: {
  replyTo: Message | null;
  onCancelReply: () => void;
  /** Resolves when stored; rejects with the error to show. */
  onSend: (input: { text: string; mediaIds: string[]; replyTo?: string }) => Promise<void>;
  onTyping: () => void;
  /** The room's other members, offered first when an @mention is typed. */
  members?: readonly KnownPerson[];
}) {
  const { t } = useI18n();
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  // Safari ends composition before its keydown for the confirming Enter; remember composition ourselves too.
  const composing = useRef(false);
  const hintId = useId();
  const errorId = useId();

  const onProblem = useCallback(
    (problem: AttachProblem) => {
      if (problem.code === "tooMany") setError(t("chat.attach.tooMany"));
      else if (problem.problem.code === "unsupported")
        setError(t("chat.attach.unsupported", { name: problem.name }));
      else if (problem.problem.code === "tooLarge")
        setError(t("chat.attach.tooLarge", { name: problem.name, max: problem.problem.maxMb }));
      else setError(t("chat.attach.empty", { name: problem.name }));
    },
    [t],
  );
  const attachments = useAttachments(onProblem);
  const autocomplete = useAutocomplete(textRef, text, setText, members);
  const tooLong = messageTooLong(text);
  const canSend =
    !sending && !attachments.uploading && !tooLong && (text.trim() !== "" || attachments.mediaIds.length > 0);

  const send = async () => {
    if (!canSend) return;
    setSending(true);
    setError(null);
    try {
      await onSend({ text, mediaIds: attachments.mediaIds, replyTo: replyTo?.id });
      setText("");
      attachments.clear();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setSending(false);
      textRef.current?.focus();
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    // An open suggestion list takes Enter, Tab, the arrows and Escape first.
    if (autocomplete.inputProps.onKeyDown(e)) return;
    if (e.key === "Escape" && replyTo) {
      onCancelReply();
      return;
    }
    const composingNow = e.nativeEvent.isComposing || composing.current;
    if (
      isSendKey({
        key: e.key,
        shiftKey: e.shiftKey,
        altKey: e.altKey,
        keyCode: e.keyCode,
        isComposing: composingNow,
      })
    ) {
      e.preventDefault();
      void send();
    }
  };

  return (
    <form
      className="composer"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        void send();
      }}
    >
      {replyTo ? (
        <div className="composer-reply">
          <p>
            <strong>{t("chat.replyingTo", { name: replyTo.sender.displayName })}</strong>
            <span className="composer-reply-text">{replyTo.text || t("chat.preview.media")}</span>
          </p>
          <button
            type="button"
            className="btn-icon"
            aria-label={t("chat.cancelReply")}
            onClick={onCancelReply}
          >
            <svg aria-hidden="true" viewBox="0 0 24 24" width="18" height="18">
              <path
                fill="currentColor"
                d="m6.4 5 5.6 5.6L17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6l5.6-5.6L5 6.4 6.4 5Z"
              />
            </svg>
          </button>
        </div>
      ) : null}
      {attachments.items.length > 0 ? (
        <ul className="composer-files">
          {attachments.items.map((a) => (
            <li key={a.key} className={`composer-file composer-file-${a.status}`}>
              {a.previewUrl ? (
                // biome-ignore lint/performance/noImgElement: a local preview (blob: URL).
                <img src={a.previewUrl} alt="" width={48} height={48} />
              ) : (
                <span className="composer-file-kind" aria-hidden="true">
                  {a.kind === "audio" ? "♪" : "▶"}
                </span>
              )}
              <span className="composer-file-name">{a.name}</span>
              {a.status === "uploading" ? (
                <progress
                  max={1}
                  value={a.progress}
                  aria-label={t("chat.attach.uploading", { name: a.name })}
                />
              ) : null}
              {a.status === "failed" ? (
                <span className="field-error" role="alert">
                  {t("chat.attach.failed", { name: a.name })}
                </span>
              ) : null}
              <button
                type="button"
                className="btn-icon"
                aria-label={t("chat.attach.remove", { name: a.name })}
                onClick={() => attachments.remove(a.key)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {error ? (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      {tooLong ? (
        <p className="field-error" role="alert">
          {t("chat.tooLong")}
        </p>
      ) : null}
      <div className="composer-row">
        <button
          type="button"
          className="btn-icon"
          aria-label={t("chat.attach")}
          onClick={() => fileRef.current?.click()}
        >
          <svg aria-hidden="true" viewBox="0 0 24 24" width="22" height="22">
            <path
              fill="currentColor"
              d="M16.5 6v11.5a4 4 0 1 1-8 0V5a2.5 2.5 0 0 1 5 0v10.5a1 1 0 1 1-2 0V6H10v9.5a2.5 2.5 0 0 0 5 0V5a4 4 0 0 0-8 0v12.5a5.5 5.5 0 0 0 11 0V6h-1.5Z"
            />
          </svg>
        </button>
        <input
          ref={fileRef}
          type="file"
          multiple
          accept={ACCEPT}
          className="visually-hidden"
          tabIndex={-1}
          aria-hidden="true"
          onChange={(e) => {
            attachments.add([...(e.target.files ?? [])]);
            e.target.value = "";
          }}
        />
        <div className="composer-input-field">
          <textarea
            ref={textRef}
            className="input composer-input"
            aria-label={t("chat.composer.label")}
            aria-describedby={error ? `${hintId} ${errorId}` : hintId}
            placeholder={t("chat.composer.placeholder")}
            rows={1}
            value={text}
            enterKeyHint="send"
            {...autocomplete.inputProps}
            onChange={(e) => {
              setText(e.target.value);
              if (e.target.value) onTyping();
            }}
            onKeyDown={onKeyDown}
            onCompositionStart={() => {
              composing.current = true;
              autocomplete.inputProps.onCompositionStart();
            }}
            onCompositionEnd={(e) => {
              // Cleared after this turn, so the keydown that ends composition still counts as composing.
              setTimeout(() => {
                composing.current = false;
              }, 0);
              autocomplete.inputProps.onCompositionEnd(e);
            }}
            onPaste={(e) => {
              const files = [...e.clipboardData.files];
              if (files.length > 0) {
                e.preventDefault();
                attachments.add(files);
              }
            }}
          />
          {autocomplete.list}
          {autocomplete.status}
        </div>
        <button
          type="submit"
          className="btn btn-primary composer-send"
          disabled={!canSend}
          aria-busy={sending}
        >
          {sending ? t("chat.sending") : t("chat.send")}
        </button>
      </div>
      <p id={hintId} className="composer-hint">
        {t("chat.composer.hint")}
      </p>
    </form>
  );
}
