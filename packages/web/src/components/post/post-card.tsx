"use client";
import { Text } from "@asyncsns/core/text";
import Link from "next/link";
import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { useI18n } from "../../i18n";
import { useApp } from "../../lib/app-context";
import { apiErrorMessage } from "../../lib/errors";
import { postEvents } from "../../lib/post-events";
import { postsApi } from "../../lib/posts-api";
import { absoluteTime, relativeTime } from "../../lib/time";
import { ReportButton } from "../moderation/report-dialog";
import { profileHref } from "../site-header";
import { useReturnFocus } from "../use-return-focus";
import { useAutocomplete } from "./autocomplete";
import { ConfirmDialog } from "./dialog";
import { Icon } from "./icons";
import { MediaGrid } from "./media-grid";
import { PostText } from "./post-text";
import { useNow } from "./use-now";
import "./post.css";
import type { Post } from "../../lib/api-types";

export function postHref(id: string): string {
  return `/post/?id=${encodeURIComponent(id)}`;
}

/** A post shown before the server has it: pending, or failed with a retry. */
export interface LocalState {
  state: "pending" | "failed";
  error?: string;
  retry: () => void;
  discard: () => void;
}

function initials(name: string): string {
  return [...name.trim()].slice(0, 1).join("").toUpperCase() || "?";
}

export function Avatar({
  name,
  url,
  size = "medium",
}: {
  name: string;
  url: string | null;
  size?: "medium" | "small";
}) {
  return url ? (
    // biome-ignore lint/performance/noImgElement: a static export has no image optimizer.
    <img className={`avatar avatar-${size}`} src={url} alt="" width={40} height={40} />
  ) : (
    <span className={`avatar avatar-${size}`} aria-hidden="true">
      {initials(name)}
    </span>
  );
}

export function PostCard({
  post,
  local,
  highlight,
  readOnly,
  highlights,
}: {
  post: Post;
  local?: LocalState;
  /** A signed-out visitor's view (public pages): counts, no actions. */
  readOnly?: boolean;
  /** Search matches to mark in the text. */
  highlights?: { start: number; end: number }[];
  /** The post a thread page is about: larger, not a link to itself. */
  highlight?: boolean;
}) {
  const { t, lang, formatNumber } = useI18n();
  const { me } = useApp();
  const now = useNow();
  const [liked, setLiked] = useState({ on: post.likedByMe, count: post.likes });
  const [reposted, setReposted] = useState({ on: post.repostedByMe, count: post.reposts });
  const busy = useRef({ like: false, repost: false });
  const [actionError, setActionError] = useState<{ message: string; retry: () => void } | null>(null);
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const editButton = useReturnFocus<HTMLButtonElement>(editing);

  // A fresher copy from the server (a poll, another view) wins unless our own change is still in flight.
  useEffect(() => {
    if (!busy.current.like) setLiked({ on: post.likedByMe, count: post.likes });
    if (!busy.current.repost) setReposted({ on: post.repostedByMe, count: post.reposts });
  }, [post.likedByMe, post.likes, post.repostedByMe, post.reposts]);

  const isMine = !!me && me.id === post.author.id;
  const pending = !!local;
  const author = post.author;

  const toggle = async (what: "like" | "repost") => {
    if (busy.current[what] || pending) return;
    const [state, set] = what === "like" ? [liked, setLiked] : [reposted, setReposted];
    const next = { on: !state.on, count: Math.max(0, state.count + (state.on ? -1 : 1)) };
    busy.current[what] = true;
    set(next);
    setActionError(null);
    try {
      await (what === "like" ? postsApi.like(post.id, next.on) : postsApi.repost(post.id, next.on));
    } catch (err) {
      // Rolled back and said so; the retry asks for the same change again.
      set(state);
      setActionError({
        message: t("post.actionFailed", { message: apiErrorMessage(t, err) }),
        retry: () => void toggle(what),
      });
    } finally {
      busy.current[what] = false;
    }
  };

  const onDelete = async () => {
    setDeleting(true);
    setDeleteError(null);
    try {
      await postsApi.deletePost(post.id);
      setConfirming(false);
      postEvents.emit({ type: "deleted", id: post.id });
    } catch (err) {
      setDeleteError(apiErrorMessage(t, err));
    } finally {
      setDeleting(false);
    }
  };

  const time = relativeTime(post.createdAt, lang, now);
  const timeEl = (
    <time dateTime={post.createdAt} title={absoluteTime(post.createdAt, lang)}>
      {time}
    </time>
  );

  return (
    <article
      className={`post-card${highlight ? " post-card-highlight" : ""}${pending ? ` post-${local.state}` : ""}`}
      aria-label={t("post.label", { name: author.displayName })}
      aria-busy={local?.state === "pending" ? true : undefined}
      data-post-id={post.id}
      tabIndex={-1}
    >
      {post.repostedBy ? (
        <p className="post-context muted small">
          <Icon name="repost" size={16} />
          <Link href={profileHref(post.repostedBy.handle)}>
            {t("post.repostedBy", { name: post.repostedBy.displayName })}
          </Link>
        </p>
      ) : null}
      <div className="post-layout">
        <Link href={profileHref(author.handle)} className="post-avatar" tabIndex={-1} aria-hidden="true">
          <Avatar name={author.displayName} url={author.avatarUrl} />
        </Link>
        <div className="post-main">
          <header className="post-header">
            <Link href={profileHref(author.handle)} className="post-author">
              <span className="post-author-name">{author.displayName}</span>{" "}
              <span className="post-author-handle muted">@{author.handle}</span>
            </Link>
            <span className="muted" aria-hidden="true">
              ·
            </span>
            {pending || highlight ? (
              <span className="post-time muted">{timeEl}</span>
            ) : (
              <Link href={postHref(post.id)} className="post-time muted">
                {timeEl}
              </Link>
            )}
          </header>
          {post.replyTo && !highlight ? (
            <p className="post-context muted small">
              <Link href={postHref(post.replyTo)}>{t("post.replyTo")}</Link>
            </p>
          ) : null}
          {editing ? (
            <EditForm
              post={post}
              onDone={() => {
                editButton.returnFocus();
                setEditing(false);
              }}
            />
          ) : (
            <PostText
              text={post.text}
              className={highlight ? "post-text-large" : undefined}
              highlights={highlights}
            />
          )}
          {post.editedAt ? (
            <p className="post-edited muted small">
              <time dateTime={post.editedAt} title={absoluteTime(post.editedAt, lang)}>
                {t("post.edited", { time: relativeTime(post.editedAt, lang, now) })}
              </time>
            </p>
          ) : null}
          <MediaGrid media={post.media} />
          {local ? (
            <div
              className={local.state === "failed" ? "post-local alert alert-error" : "post-local"}
              role="status"
            >
              {local.state === "pending" ? (
                <>
                  <span className="spinner spinner-small spinner-accent" aria-hidden="true" />
                  {t("post.pending")}
                </>
              ) : (
                <>
                  <span>{t("post.failed", { message: local.error ?? "" })}</span>
                  <span className="post-local-actions">
                    <button type="button" className="btn btn-secondary btn-small" onClick={local.retry}>
                      {t("common.retry")}
                    </button>
                    <button type="button" className="btn btn-ghost btn-small" onClick={local.discard}>
                      {t("post.discard")}
                    </button>
                  </span>
                </>
              )}
            </div>
          ) : readOnly ? (
            <p className="post-actions muted small">
              {t("public.readOnly", {
                likes: post.likes,
                reposts: post.reposts,
                replies: post.replies,
              })}
            </p>
          ) : (
            <div className="post-actions">
              <Link href={postHref(post.id)} className="post-action">
                <Icon name="reply" />
                <span className="visually-hidden">{t("post.reply")}</span>{" "}
                <span className="post-count">{post.replies ? formatNumber(post.replies) : ""}</span>
              </Link>
              <button
                type="button"
                className="post-action post-action-repost"
                aria-pressed={reposted.on}
                onClick={() => void toggle("repost")}
              >
                <Icon name="repost" />
                <span className="visually-hidden">{t("post.repost")}</span>{" "}
                <span className="post-count">{formatNumber(reposted.count)}</span>
              </button>
              <button
                type="button"
                className="post-action post-action-like"
                aria-pressed={liked.on}
                onClick={() => void toggle("like")}
              >
                <Icon name={liked.on ? "heart-filled" : "heart"} />
                <span className="visually-hidden">{t("post.like")}</span>{" "}
                <span className="post-count">{formatNumber(liked.count)}</span>
              </button>
              {isMine && !editing ? (
                <span className="post-own-actions">
                  <button
                    ref={editButton.ref}
                    type="button"
                    className="post-action"
                    onClick={() => setEditing(true)}
                  >
                    <Icon name="edit" />
                    <span className="post-action-text">{t("post.edit")}</span>
                  </button>
                  <button
                    type="button"
                    className="post-action post-action-danger"
                    onClick={() => setConfirming(true)}
                  >
                    <Icon name="trash" />
                    <span className="post-action-text">{t("post.delete")}</span>
                  </button>
                </span>
              ) : null}
              {!isMine && me ? (
                <ReportButton
                  target={{ type: "post", id: post.id }}
                  className="post-action post-action-report"
                  label={t("report.action")}
                />
              ) : null}
            </div>
          )}
          {actionError ? (
            <p className="field-error small post-action-error" role="alert">
              {actionError.message}{" "}
              <button type="button" className="btn btn-secondary btn-small" onClick={actionError.retry}>
                {t("common.retry")}
              </button>
            </p>
          ) : null}
        </div>
      </div>
      <ConfirmDialog
        open={confirming}
        title={t("post.deleteTitle")}
        lead={t("post.deleteLead")}
        confirmLabel={deleting ? t("post.deleting") : t("post.delete")}
        busy={deleting}
        error={deleteError}
        onConfirm={() => void onDelete()}
        onCancel={() => {
          setConfirming(false);
          setDeleteError(null);
        }}
      />
    </article>
  );
}

function EditForm({ post, onDone }: { post: Post; onDone: () => void }) {
  const { t, formatNumber } = useI18n();
  const [text, setText] = useState(post.text);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const count = Text.count(text);
  const over = count > Text.MAX_POST_LENGTH;
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const autocomplete = useAutocomplete(ref, text, setText);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (over) {
      setError(t("composer.tooLong", { max: Text.MAX_POST_LENGTH }));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const saved = await postsApi.editPost(post.id, text);
      postEvents.emit({ type: "updated", post: saved });
      onDone();
    } catch (err) {
      setError(apiErrorMessage(t, err));
      setBusy(false);
    }
  };

  return (
    <form
      className="post-edit form"
      onSubmit={onSubmit}
      noValidate
      onKeyDown={(e) => {
        if (e.key === "Escape") onDone();
      }}
    >
      <label htmlFor={id} className="field-label">
        {t("post.editLabel")}
      </label>
      <div className="composer-field">
        <textarea
          ref={ref}
          id={id}
          className="input textarea"
          value={text}
          rows={3}
          {...autocomplete.inputProps}
          onChange={(e) => setText(e.target.value)}
          aria-invalid={over || undefined}
          aria-describedby={`${id}-count`}
        />
        {autocomplete.list}
        {autocomplete.status}
      </div>
      <p id={`${id}-count`} className={over ? "field-hint count-over" : "field-hint"}>
        {t("composer.count", { count: formatNumber(count), max: formatNumber(Text.MAX_POST_LENGTH) })}
      </p>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="button" className="btn btn-ghost" onClick={onDone} disabled={busy}>
          {t("common.cancel")}
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy} aria-busy={busy}>
          {busy ? t("common.saving") : t("common.save")}
        </button>
      </div>
    </form>
  );
}
