"use client";
import { type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import { useI18n } from "../../i18n";
import type { Member, Message } from "../../lib/api-types";
import { type CallSummary, callSummaryText } from "../../lib/call/call-logic";
import { type Emoji, isSendKey, REACTIONS } from "../../lib/chat-logic";
import { absoluteTime } from "../../lib/time";
import { ReportButton } from "../moderation/report-dialog";

const MEDIA_RETRIES = 6;

/** A chat file 404s until the processor's copy exists: retry with backoff, a fragment making the URL new. */
function MessageMedia({ media, label }: { media: Message["media"][number]; label: string }) {
  const [attempt, setAttempt] = useState(0);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const onError = () => {
    if (attempt >= MEDIA_RETRIES) return;
    timer.current = setTimeout(() => setAttempt((n) => n + 1), 500 * 2 ** attempt);
  };
  const src = attempt ? `${media.url}#retry${attempt}` : media.url;
  if (media.kind === "image")
    return (
      <a href={media.url} target="_blank" rel="noreferrer">
        {/* biome-ignore lint/performance/noImgElement: signed URLs, no optimizer. */}
        <img key={attempt} src={src} alt={label} loading="lazy" onError={onError} />
      </a>
    );
  return media.kind === "video" ? (
    // biome-ignore lint/a11y/useMediaCaption: user uploads carry no captions.
    <video key={attempt} src={src} controls preload="metadata" onError={onError} />
  ) : (
    // biome-ignore lint/a11y/useMediaCaption: user uploads carry no captions.
    <audio key={attempt} src={src} controls preload="metadata" onError={onError} />
  );
}

export function initials(name: string): string {
  return [...name.trim()].slice(0, 1).join("").toUpperCase() || "?";
}

export function Avatar({ name, url, size = 36 }: { name: string; url: string | null; size?: number }) {
  if (url) {
    // biome-ignore lint/performance/noImgElement: a static export has no image optimizer.
    return <img className="avatar" src={url} alt="" width={size} height={size} />;
  }
  return (
    <span className="avatar" aria-hidden="true" style={{ width: size, height: size }}>
      {initials(name)}
    </span>
  );
}

function clock(iso: string, lang: string): string {
  return new Intl.DateTimeFormat(lang, { hour: "numeric", minute: "2-digit" }).format(new Date(iso));
}

export function MessageItem({
  message,
  mine,
  first,
  replied,
  readers,
  direct,
  selected,
  onSelect,
  onReply,
  onEdit,
  onDelete,
  onReact,
}: {
  message: Message;
  mine: boolean;
  /** First of a run by one sender: shows the name and time. */
  first: boolean;
  /** The message this one replies to, when it is loaded. */
  replied: Message | null | undefined;
  readers: Member[];
  direct: boolean;
  /** On a phone, the one message whose actions show (tap, long-press or "…"). */
  selected: boolean;
  onSelect: (seq: number | null) => void;
  onReply: (m: Message) => void;
  onEdit: (m: Message, text: string) => Promise<void>;
  onDelete: (m: Message) => Promise<void>;
  onReact: (m: Message, emoji: Emoji, on: boolean) => Promise<void>;
}) {
  const { t, lang } = useI18n();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [picking, setPicking] = useState(false);
  const [busy, setBusy] = useState(false);
  const textId = useId();
  const actionsId = useId();
  // A sender who deleted their account keeps their messages but not their name.
  const name = mine
    ? t("chat.you")
    : message.sender.handle === ""
      ? t("chat.deletedUser")
      : message.sender.displayName || `@${message.sender.handle}`;
  // A call leaves a line in the 1:1 room's history (calls-server's `Message.call`); it has no text to edit.
  const call = (message as { call?: CallSummary | null }).call ?? null;
  const reactions = message.deleted ? [] : (message.reactions ?? []);
  const mediaOnly = !message.deleted && !message.text && message.media.length > 0;
  const actionable = !message.deleted && !editing && !call;
  const react = (emoji: Emoji) => {
    const had = reactions.find((r) => r.emoji === emoji)?.mine ?? false;
    setPicking(false);
    void onReact(message, emoji, !had).catch(() => undefined);
  };

  return (
    <li
      className={`msg${mine ? " msg-mine" : ""}${first ? " msg-first" : ""}${message.deleted ? " msg-deleted" : ""}${selected ? " msg-selected" : ""}`}
      data-seq={message.seq}
      aria-labelledby={textId}
    >
      {first && !mine ? (
        <span className="msg-avatar">
          <Avatar name={message.sender.displayName} url={message.sender.avatarUrl} />
        </span>
      ) : null}
      <div className="msg-body">
        {first ? (
          <p className={`msg-head${mine ? " visually-hidden" : ""}`}>
            <span className="msg-name">{name}</span>{" "}
            <time
              className="msg-time"
              dateTime={message.createdAt}
              title={absoluteTime(message.createdAt, lang)}
            >
              {clock(message.createdAt, lang)}
            </time>
          </p>
        ) : null}
        {message.replyTo && !message.deleted ? (
          <p className="msg-quote">
            <span className="visually-hidden">
              {t("chat.replyingTo", { name: replied?.sender.displayName ?? "" })}:{" "}
            </span>
            {replied ? (
              <>
                <strong aria-hidden="true">{replied.sender.displayName}</strong>{" "}
                <span>{replied.deleted ? t("chat.deleted") : replied.text || t("chat.preview.media")}</span>
              </>
            ) : (
              <span>{t("chat.replyUnknown")}</span>
            )}
          </p>
        ) : null}
        <div className="msg-row">
          {call ? (
            <div className="msg-bubble">
              <p
                id={textId}
                className={`msg-text msg-call${call.state === "missed" ? " msg-call-missed" : ""}`}
              >
                <svg aria-hidden="true" viewBox="0 0 24 24" width="16" height="16">
                  <path
                    fill="currentColor"
                    d={
                      call.kind === "video"
                        ? "M17 10.5V7a1 1 0 0 0-1-1H4a1 1 0 0 0-1 1v10a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1v-3.5l4 4v-11l-4 4Z"
                        : "M6.6 10.8a15.1 15.1 0 0 0 6.6 6.6l2.2-2.2c.3-.3.7-.4 1-.2 1.1.4 2.3.6 3.6.6.6 0 1 .4 1 1V20c0 .6-.4 1-1 1A17 17 0 0 1 3 4c0-.6.4-1 1-1h3.5c.6 0 1 .4 1 1 0 1.3.2 2.5.6 3.6.1.3 0 .7-.2 1l-2.3 2.2Z"
                    }
                  />
                </svg>
                {callSummaryText(t, call)}
              </p>
            </div>
          ) : editing ? (
            <EditForm
              initial={message.text}
              onCancel={() => setEditing(false)}
              onSave={async (text) => {
                await onEdit(message, text);
                setEditing(false);
              }}
            />
          ) : (
            // biome-ignore lint/a11y/noStaticElementInteractions: a tap shortcut; the "…" button is the accessible way.
            // biome-ignore lint/a11y/useKeyWithClickEvents: keyboards reach the same actions through the "…" button.
            <div
              className={`msg-bubble${mediaOnly ? " msg-bubble-media" : ""}`}
              onClick={(e) => {
                // A tap on the text selects the message on a phone; links and media keep their own click.
                if (actionable && !(e.target as HTMLElement).closest("a, button, video, audio"))
                  onSelect(selected ? null : message.seq);
              }}
              onContextMenu={(e) => {
                // A long press on a touch screen opens the actions instead of the browser's menu.
                if (actionable && window.matchMedia("(hover: none)").matches) {
                  e.preventDefault();
                  onSelect(message.seq);
                }
              }}
            >
              {message.deleted ? (
                <p id={textId} className="msg-text msg-tombstone">
                  {t("chat.deleted")}
                </p>
              ) : (
                <>
                  {message.text ? (
                    <p id={textId} className="msg-text">
                      {message.text}
                    </p>
                  ) : (
                    <p id={textId} className="visually-hidden">
                      {t("chat.preview.media")}
                    </p>
                  )}
                  {message.media.length > 0 ? (
                    <div className={`msg-media msg-media-${Math.min(message.media.length, 2)}`}>
                      {message.media.map((media, i) => (
                        <MessageMedia
                          key={media.id}
                          media={media}
                          label={t("chat.attachment", { n: i + 1 })}
                        />
                      ))}
                    </div>
                  ) : null}
                </>
              )}
              {message.editedAt && !message.deleted ? (
                <span className="msg-edited">{t("chat.edited")}</span>
              ) : null}
            </div>
          )}
          {actionable ? (
            <div className="msg-tools">
              <button
                type="button"
                className="msg-more"
                aria-label={t("chat.more")}
                aria-expanded={selected}
                aria-controls={actionsId}
                onClick={() => onSelect(selected ? null : message.seq)}
              >
                <span aria-hidden="true">…</span>
              </button>
              <div
                id={actionsId}
                className={`msg-actions${confirming || picking ? " msg-actions-open" : ""}`}
              >
                {confirming ? (
                  <>
                    <span className="msg-confirm">{t("chat.deleteConfirm")}</span>
                    <button
                      type="button"
                      className="btn btn-small btn-danger"
                      disabled={busy}
                      onClick={async () => {
                        setBusy(true);
                        try {
                          await onDelete(message);
                        } finally {
                          setBusy(false);
                          setConfirming(false);
                        }
                      }}
                    >
                      {t("chat.deleteYes")}
                    </button>
                    <button
                      type="button"
                      className="btn btn-small btn-ghost"
                      onClick={() => setConfirming(false)}
                    >
                      {t("common.cancel")}
                    </button>
                  </>
                ) : (
                  <>
                    <button type="button" className="msg-action" onClick={() => onReply(message)}>
                      {t("chat.reply")}
                    </button>
                    <button
                      type="button"
                      className="msg-action"
                      aria-expanded={picking}
                      onClick={() => setPicking((v) => !v)}
                    >
                      {t("chat.react")}
                    </button>
                    {mine ? (
                      <>
                        <button type="button" className="msg-action" onClick={() => setEditing(true)}>
                          {t("chat.edit")}
                        </button>
                        <button type="button" className="msg-action" onClick={() => setConfirming(true)}>
                          {t("chat.delete")}
                        </button>
                      </>
                    ) : (
                      <ReportButton target={{ type: "message", id: message.id }} className="msg-action" />
                    )}
                  </>
                )}
              </div>
            </div>
          ) : null}
        </div>
        {picking && actionable ? (
          // biome-ignore lint/a11y/useSemanticElements: a row of toggle buttons, not a form's fieldset.
          <div className="msg-picker" role="group" aria-label={t("chat.reactLabel")}>
            {REACTIONS.map((emoji) => (
              <button
                key={emoji}
                type="button"
                className="msg-picker-emoji"
                aria-label={t("chat.reactWith", { emoji })}
                aria-pressed={reactions.find((r) => r.emoji === emoji)?.mine ?? false}
                onClick={() => react(emoji)}
              >
                {emoji}
              </button>
            ))}
          </div>
        ) : null}
        {reactions.length > 0 ? (
          <ul className="msg-reactions">
            {reactions.map((r) => (
              <li key={r.emoji}>
                <button
                  type="button"
                  className={`reaction${r.mine ? " reaction-mine" : ""}`}
                  aria-pressed={r.mine}
                  aria-label={t(r.mine ? "chat.reactionMine" : "chat.reactionLabel", {
                    emoji: r.emoji,
                    count: r.count,
                  })}
                  onClick={() => react(r.emoji)}
                >
                  <span aria-hidden="true">{r.emoji}</span>
                  <span className="reaction-count">{r.count}</span>
                </button>
              </li>
            ))}
          </ul>
        ) : null}
        {(mine && !message.deleted) || readers.length > 0 ? (
          <p className="msg-meta">
            {mine && !message.deleted ? (
              <time
                className="msg-sent"
                dateTime={message.createdAt}
                title={absoluteTime(message.createdAt, lang)}
              >
                <span className="visually-hidden">{t("chat.sent")} </span>
                {clock(message.createdAt, lang)}
              </time>
            ) : null}
            {readers.length > 0 ? (
              <span className="msg-read" title={readers.map((r) => r.displayName).join(", ")}>
                {direct
                  ? t("chat.readOne")
                  : readers.length === 1
                    ? t("chat.readByNames", { names: readers[0]!.displayName })
                    : t("chat.readBy", { count: readers.length })}
              </span>
            ) : null}
          </p>
        ) : null}
      </div>
    </li>
  );
}

function EditForm({
  initial,
  onCancel,
  onSave,
}: {
  initial: string;
  onCancel: () => void;
  onSave: (text: string) => Promise<void>;
}) {
  const { t } = useI18n();
  const [text, setText] = useState(initial);
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLTextAreaElement>(null);
  const composing = useRef(false);

  useEffect(() => {
    const el = ref.current;
    el?.focus();
    el?.setSelectionRange(el.value.length, el.value.length);
  }, []);

  const save = async () => {
    if (!text.trim() || busy) return;
    if (text === initial) return onCancel();
    setBusy(true);
    try {
      await onSave(text);
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Escape") {
      e.preventDefault();
      onCancel();
      return;
    }
    if (
      isSendKey({
        key: e.key,
        shiftKey: e.shiftKey,
        altKey: e.altKey,
        keyCode: e.keyCode,
        isComposing: e.nativeEvent.isComposing || composing.current,
      })
    ) {
      e.preventDefault();
      void save();
    }
  };

  return (
    <form
      className="msg-edit"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <textarea
        ref={ref}
        className="input textarea"
        aria-label={t("chat.editLabel")}
        value={text}
        rows={2}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
        onCompositionStart={() => {
          composing.current = true;
        }}
        onCompositionEnd={() => {
          composing.current = false;
        }}
      />
      <div className="form-actions">
        <button type="button" className="btn btn-small btn-ghost" onClick={onCancel}>
          {t("common.cancel")}
        </button>
        <button type="submit" className="btn btn-small btn-primary" disabled={busy || !text.trim()}>
          {busy ? t("common.saving") : t("common.save")}
        </button>
      </div>
    </form>
  );
}
