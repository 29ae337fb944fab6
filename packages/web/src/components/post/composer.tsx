"use client";
import { Text } from "@asyncsns/core/text";
import {
  type ClipboardEvent,
  type DragEvent,
  type FormEvent,
  useCallback,
  useEffect,
  useId,
  useRef,
  useState,
} from "react";
import { type Translate, useI18n } from "../../i18n";
import { ApiError } from "../../lib/api";
import { useApp } from "../../lib/app-context";
import { apiErrorMessage } from "../../lib/errors";
import {
  ACCEPT,
  checkFile,
  contentTypeOf,
  type FileProblem,
  kindOf,
  MAX_ATTACHMENTS,
} from "../../lib/media-limits";
import { postEvents } from "../../lib/post-events";
import { postsApi } from "../../lib/posts-api";
import { drafts, sending } from "../../lib/sending";
import { formatDuration } from "../../lib/time";
import { posterFrame, probeDuration, sendToBucket, UploadAborted, upload } from "../../lib/upload";
import { useAutocomplete } from "./autocomplete";
import { Icon } from "./icons";
import { VoiceRecorder } from "./voice-recorder";
import "./post.css";
import type { Media, MediaKind, Post } from "../../lib/api-types";

type UploadStatus = "measuring" | "uploading" | "done" | "error" | "cancelled";

interface Attachment {
  key: string;
  file: File;
  kind: MediaKind;
  contentType: string;
  previewUrl: string;
  alt: string;
  durationMs: number | null;
  status: UploadStatus;
  /** 0..1 */
  progress: number;
  mediaId: string | null;
  /** The alt text the server has for mediaId (sent when the upload was created). */
  altSent: string;
  error: string | null;
}

interface Running {
  abort: () => void;
  done: Promise<string>;
}

/** Uploads a frame of the video as an image and links it as the video's poster (posterUrl). */
async function attachPoster(video: File, videoId: string): Promise<void> {
  const frame = await posterFrame(video);
  if (!frame) return;
  const poster = await upload(
    {
      contentType: frame.type,
      size: frame.size,
      fileName: `${video.name.replace(/\.[^.]+$/, "")}-poster.${frame.type.split("/")[1]}`,
    },
    frame,
    "poster",
  );
  await poster.done;
  await postsApi.updateMedia(videoId, { posterMediaId: poster.mediaId });
}

let sequence = 0;
const nextKey = () => `a${Date.now().toString(36)}${(sequence++).toString(36)}`;

export function refusalReason(t: Translate, problem: FileProblem): string {
  switch (problem.code) {
    case "unsupported":
      return t("composer.refused.unsupported", { type: problem.type });
    case "empty":
      return t("composer.refused.empty");
    case "tooLarge":
      return t(`composer.refused.tooLarge.${problem.kind}`, { max: problem.maxMb, size: problem.sizeMb });
  }
}

/** The server's own words when it refuses a file (it names the file and the limit); ours when it gave none. */
function uploadErrorMessage(t: Translate, err: unknown): string {
  if (err instanceof ApiError && err.code.startsWith("media.") && err.message) return err.message;
  return apiErrorMessage(t, err);
}

export function Composer({
  replyTo,
  autoFocus,
  onPosted,
}: {
  /** Makes this a reply composer for that post. */
  replyTo?: string;
  autoFocus?: boolean;
  onPosted?: () => void;
}) {
  const { t, formatNumber } = useI18n();
  const { me } = useApp();
  const [text, setText] = useState("");
  const [attachments, setAttachments] = useState<Attachment[]>([]);
  const [refusals, setRefusals] = useState<string[]>([]);
  const [formError, setFormError] = useState<string | null>(null);
  const [recording, setRecording] = useState(false);
  const [dragging, setDragging] = useState(false);
  const running = useRef(new Map<string, Running>());
  const fileInput = useRef<HTMLInputElement>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const attachButton = useRef<HTMLButtonElement>(null);
  const id = useId();
  const attachmentsRef = useRef(attachments);
  attachmentsRef.current = attachments;
  const textRef = useRef(text);
  textRef.current = text;

  const count = Text.count(text);
  // Bytes count too (as the API decides), so a text within the count can still be over.
  const over = Math.max(count - Text.MAX_POST_LENGTH, Text.problem(text)?.code === "post.too_long" ? 1 : 0);

  useEffect(() => {
    if (autoFocus) textarea.current?.focus();
  }, [autoFocus]);

  // The text being written survives a reload: kept per user and thread until the server has the post.
  const draftKey = me ? drafts.key(me.id, replyTo) : null;
  useEffect(() => {
    if (!draftKey) return;
    const saved = drafts.read(draftKey);
    if (saved) setText((current) => current || saved);
  }, [draftKey]);

  // Leaving the page cancels uploads still in flight.
  useEffect(() => {
    const uploads = running.current;
    return () => {
      for (const upload of uploads.values()) upload.abort();
    };
  }, []);

  const patch = useCallback((key: string, change: Partial<Attachment>) => {
    setAttachments((prev) => prev.map((a) => (a.key === key ? { ...a, ...change } : a)));
  }, []);

  /** Creates the upload (with the alt text as it is now) and sends the file; resolves to the media id. */
  const startUpload = useCallback(
    (att: Attachment): Running => {
      let abortXhr: (() => void) | null = null;
      let aborted = false;
      const alt = att.alt.trim();
      const done = (async () => {
        let durationMs = att.durationMs;
        if (durationMs === null && att.kind !== "image") {
          patch(att.key, { status: "measuring" });
          durationMs = await probeDuration(att.file, att.kind);
          patch(att.key, { durationMs });
        }
        if (aborted) throw new UploadAborted();
        patch(att.key, { status: "uploading", progress: 0, error: null, mediaId: null });
        const ticket = await postsApi.createUpload({
          contentType: att.contentType,
          size: att.file.size,
          fileName: att.file.name,
          ...(alt ? { alt } : {}),
          ...(durationMs !== null ? { durationMs } : {}),
        });
        if (aborted) throw new UploadAborted();
        const upload = sendToBucket(ticket, att.file, att.file.name, (loaded, total) =>
          patch(att.key, { progress: total ? loaded / total : 0 }),
        );
        abortXhr = upload.abort;
        await upload.done;
        // A poster frame drawn here: Lambda has no video decoder. Without one the player still works.
        if (att.kind === "video") await attachPoster(att.file, ticket.mediaId).catch(() => undefined);
        patch(att.key, { status: "done", progress: 1, mediaId: ticket.mediaId, altSent: alt });
        return ticket.mediaId;
      })();
      done.catch((err: unknown) => {
        if (err instanceof UploadAborted) patch(att.key, { status: "cancelled", error: null });
        else patch(att.key, { status: "error", error: uploadErrorMessage(t, err) });
      });
      const handle: Running = {
        done,
        abort: () => {
          aborted = true;
          abortXhr?.();
        },
      };
      running.current.set(att.key, handle);
      return handle;
    },
    [patch, t],
  );

  const addFiles = (files: File[], durations?: Map<File, number>) => {
    if (files.length === 0) return;
    const refused: string[] = [];
    const added: Attachment[] = [];
    let room = MAX_ATTACHMENTS - attachmentsRef.current.length;
    for (const file of files) {
      const problem = checkFile(file);
      if (problem) {
        refused.push(t("composer.refused", { name: file.name, reason: refusalReason(t, problem) }));
        continue;
      }
      if (room <= 0) {
        refused.push(
          t("composer.refused", {
            name: file.name,
            reason: t("composer.refused.tooMany", { max: MAX_ATTACHMENTS }),
          }),
        );
        continue;
      }
      room--;
      const contentType = contentTypeOf(file);
      added.push({
        key: nextKey(),
        file,
        kind: kindOf(contentType)!,
        contentType,
        previewUrl: URL.createObjectURL(file),
        alt: "",
        durationMs: durations?.get(file) ?? null,
        status: "measuring",
        progress: 0,
        mediaId: null,
        altSent: "",
        error: null,
      });
    }
    setRefusals(refused);
    setFormError(null);
    if (added.length) {
      setAttachments((prev) => [...prev, ...added]);
      for (const att of added) startUpload(att);
    }
  };

  const remove = (att: Attachment) => {
    running.current.get(att.key)?.abort();
    running.current.delete(att.key);
    URL.revokeObjectURL(att.previewUrl);
    setAttachments((prev) => prev.filter((a) => a.key !== att.key));
    requestAnimationFrame(() => attachButton.current?.focus());
  };

  const uploading = attachments.some((a) => a.status === "uploading" || a.status === "measuring");
  const totalBytes = attachments.reduce((sum, a) => sum + a.file.size, 0);
  const percent = totalBytes
    ? Math.floor((attachments.reduce((sum, a) => sum + a.file.size * a.progress, 0) / totalBytes) * 100)
    : 0;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!me) return;
    if (over > 0) {
      setFormError(t("composer.tooLong", { max: Text.MAX_POST_LENGTH }));
      textarea.current?.focus();
      return;
    }
    if (!text.trim() && attachments.length === 0) {
      setFormError(t("composer.empty"));
      textarea.current?.focus();
      return;
    }
    if (attachments.some((a) => a.status === "error" || a.status === "cancelled")) {
      setFormError(t("composer.fixUploads"));
      return;
    }
    if (uploading) return;
    // Alt text typed after the upload started is sent as an edit of that upload, not a second upload.
    const media = attachments.map((a) => ({
      att: a,
      mediaId: !a.mediaId
        ? startUpload({ ...a, durationMs: a.durationMs }).done
        : a.alt.trim() === a.altSent
          ? Promise.resolve(a.mediaId)
          : postsApi.updateMedia(a.mediaId, { alt: a.alt.trim() }).then(() => {
              patch(a.key, { altSent: a.alt.trim() });
              return a.mediaId as string;
            }),
    }));
    const tempId = `tmp_${nextKey()}`;
    const body = text;
    const optimistic: Post = {
      id: tempId,
      author: { id: me.id, handle: me.handle, displayName: me.displayName, avatarUrl: me.avatarUrl },
      text: body,
      media: media.map(
        ({ att }): Media => ({
          id: att.key,
          kind: att.kind,
          contentType: att.contentType,
          url: att.previewUrl,
          thumbnailUrl: att.kind === "image" ? att.previewUrl : null,
          posterUrl: null,
          width: null,
          height: null,
          blurhash: null,
          durationMs: att.durationMs,
          alt: att.alt.trim(),
          status: "ready",
        }),
      ),
      hashtags: Text.parse(body).hashtags,
      mentions: [],
      createdAt: new Date().toISOString(),
      ...(replyTo ? { replyTo } : {}),
      likes: 0,
      reposts: 0,
      replies: 0,
      likedByMe: false,
      repostedByMe: false,
    };
    let discarded = false;
    const send = async () => {
      postEvents.emit({
        type: "optimistic",
        post: optimistic,
        local: { tempId, state: "pending", retry, discard },
      });
      try {
        const mediaIds = await Promise.all(media.map((m) => m.mediaId));
        const post = await postsApi.createPost({
          text: body,
          ...(mediaIds.length ? { mediaIds } : {}),
          ...(replyTo ? { replyTo } : {}),
        });
        if (draftKey) drafts.clear(draftKey, body);
        if (discarded) return;
        postEvents.emit({ type: "confirmed", tempId, post });
      } catch (err) {
        if (discarded) return;
        // Over the posting limit, a text-only post goes back into an empty box with the wait, not into a failed card.
        if (
          err instanceof ApiError &&
          err.code === "rate.limited" &&
          media.length === 0 &&
          !textRef.current
        ) {
          discard();
          setText(body);
          setFormError(apiErrorMessage(t, err));
          return;
        }
        postEvents.emit({
          type: "optimistic",
          post: optimistic,
          local: { tempId, state: "failed", error: uploadErrorMessage(t, err), retry, discard },
        });
      }
    };
    const retry = () => void sending(send());
    const discard = () => {
      discarded = true;
      if (draftKey) drafts.clear(draftKey, body);
      postEvents.emit({ type: "deleted", id: tempId });
    };
    // The composer empties at once; the previews now belong to the pending post.
    for (const a of attachments) running.current.delete(a.key);
    setText("");
    setAttachments([]);
    setRefusals([]);
    setFormError(null);
    setRecording(false);
    void sending(send());
    onPosted?.();
    textarea.current?.focus();
  };

  const onPaste = (e: ClipboardEvent<HTMLTextAreaElement>) => {
    const files = [...e.clipboardData.files];
    if (files.length === 0) return;
    e.preventDefault();
    addFiles(files);
  };

  const hasFiles = (e: DragEvent) => [...e.dataTransfer.types].includes("Files");

  const change = (value: string) => {
    setText(value);
    if (draftKey) drafts.write(draftKey, value);
    if (formError) setFormError(null);
  };
  const autocomplete = useAutocomplete(textarea, text, change);

  const countId = `${id}-count`;
  const label = replyTo ? t("composer.replyLabel") : t("composer.label");

  return (
    <form
      className={`composer card${dragging ? " composer-dragging" : ""}`}
      onSubmit={onSubmit}
      noValidate
      aria-label={replyTo ? t("composer.submitReply") : t("composer.title")}
      onDragEnter={(e) => {
        if (hasFiles(e)) setDragging(true);
      }}
      onDragOver={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = "copy";
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        setDragging(false);
        addFiles([...e.dataTransfer.files]);
      }}
    >
      <label htmlFor={`${id}-text`} className="visually-hidden">
        {label}
      </label>
      <div className="composer-field">
        <textarea
          ref={textarea}
          id={`${id}-text`}
          className="input textarea composer-text"
          placeholder={label}
          rows={replyTo ? 2 : 3}
          value={text}
          {...autocomplete.inputProps}
          onChange={(e) => change(e.target.value)}
          onPaste={onPaste}
          onKeyDown={(e) => {
            if (autocomplete.inputProps.onKeyDown(e)) return;
            if (e.key === "Enter" && (e.metaKey || e.ctrlKey)) e.currentTarget.form?.requestSubmit();
          }}
          aria-invalid={over > 0 || undefined}
          aria-describedby={`${countId} ${id}-hint`}
        />
        {autocomplete.list}
        {autocomplete.status}
      </div>
      {dragging ? (
        <div className="composer-drop" aria-hidden="true">
          {t("composer.dropActive")}
        </div>
      ) : null}
      <p id={`${id}-hint`} className="visually-hidden">
        {t("composer.dropHint", { max: MAX_ATTACHMENTS })}
      </p>

      {refusals.length ? (
        <div className="alert alert-error composer-refusals" role="alert">
          <ul>
            {refusals.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
          <button type="button" className="btn btn-ghost btn-small" onClick={() => setRefusals([])}>
            {t("composer.dismiss")}
          </button>
        </div>
      ) : null}

      {attachments.length ? (
        <ul className="composer-attachments" aria-label={t("composer.attachments")}>
          {attachments.map((att) => (
            <AttachmentItem
              key={att.key}
              att={att}
              onAlt={(alt) => patch(att.key, { alt })}
              onCancel={() => running.current.get(att.key)?.abort()}
              onRetry={() => startUpload(att)}
              onRemove={() => remove(att)}
            />
          ))}
        </ul>
      ) : null}

      {recording ? (
        <VoiceRecorder
          onAttach={(file, durationMs) => {
            setRecording(false);
            addFiles([file], new Map([[file, durationMs]]));
            requestAnimationFrame(() => textarea.current?.focus());
          }}
          onClose={() => setRecording(false)}
        />
      ) : null}

      {formError ? (
        <p className="field-error" role="alert">
          {formError}
        </p>
      ) : null}

      <div className="composer-bar">
        <div className="composer-tools">
          <input
            ref={fileInput}
            type="file"
            multiple
            accept={ACCEPT}
            hidden
            onChange={(e) => {
              addFiles([...(e.target.files ?? [])]);
              e.target.value = "";
            }}
          />
          <button
            ref={attachButton}
            type="button"
            className="btn btn-ghost btn-icon"
            onClick={() => fileInput.current?.click()}
            disabled={attachments.length >= MAX_ATTACHMENTS}
            title={t("composer.attach")}
          >
            <Icon name="attach" />
            <span className="visually-hidden">{t("composer.attach")}</span>
          </button>
          <button
            type="button"
            className="btn btn-ghost btn-icon"
            onClick={() => setRecording((r) => !r)}
            aria-expanded={recording}
            disabled={attachments.length >= MAX_ATTACHMENTS}
            title={t("recorder.open")}
          >
            <Icon name="mic" />
            <span className="visually-hidden">{t("recorder.open")}</span>
          </button>
        </div>
        <span id={countId} className={over > 0 ? "composer-count count-over" : "composer-count muted"}>
          {t("composer.count", { count: formatNumber(count), max: formatNumber(Text.MAX_POST_LENGTH) })}
          {over > 0 ? <span className="visually-hidden"> — {t("composer.countOver", { over })}</span> : null}
        </span>
        <button type="submit" className="btn btn-primary" disabled={uploading} aria-busy={uploading}>
          {uploading
            ? t("composer.uploading", { percent })
            : replyTo
              ? t("composer.submitReply")
              : t("composer.submit")}
        </button>
      </div>
    </form>
  );
}

function AttachmentItem({
  att,
  onAlt,
  onCancel,
  onRetry,
  onRemove,
}: {
  att: Attachment;
  onAlt: (alt: string) => void;
  onCancel: () => void;
  onRetry: () => void;
  onRemove: () => void;
}) {
  const { t } = useI18n();
  const id = useId();
  const name = att.file.name;
  const active = att.status === "uploading" || att.status === "measuring";
  return (
    <li className={`attachment attachment-${att.status}`}>
      <div className="attachment-preview">
        {att.kind === "image" ? (
          // biome-ignore lint/performance/noImgElement: a local preview (blob: URL).
          <img src={att.previewUrl} alt="" />
        ) : att.kind === "video" ? (
          // biome-ignore lint/a11y/useMediaCaption: a local preview of the user's own file.
          <video src={att.previewUrl} controls preload="metadata" aria-label={name} />
        ) : (
          // biome-ignore lint/a11y/useMediaCaption: a local preview of the user's own file.
          <audio src={att.previewUrl} controls preload="metadata" aria-label={name} />
        )}
      </div>
      <div className="attachment-body">
        <p className="attachment-name">
          <span className="attachment-file">{name}</span>
          {att.durationMs !== null ? (
            <span className="muted small"> · {formatDuration(att.durationMs)}</span>
          ) : null}
        </p>
        {active ? (
          <div className="attachment-progress">
            <progress
              max={1}
              value={att.status === "measuring" ? undefined : att.progress}
              aria-label={t("composer.progress", { name })}
            />
            <span className="muted small" aria-hidden="true">
              {att.status === "measuring" ? t("composer.measuring") : `${Math.floor(att.progress * 100)}%`}
            </span>
          </div>
        ) : null}
        {att.status === "done" ? <p className="attachment-state small">{t("composer.uploaded")}</p> : null}
        {att.status === "cancelled" ? <p className="muted small">{t("composer.cancelled")}</p> : null}
        {att.status === "error" ? (
          <p className="field-error small" role="alert">
            {t("composer.uploadFailed", { message: att.error ?? "" })}
          </p>
        ) : null}
        <div className="field attachment-alt">
          <label htmlFor={`${id}-alt`} className="field-label small">
            {t("composer.alt")}
          </label>
          <input
            id={`${id}-alt`}
            className="input input-small"
            value={att.alt}
            maxLength={1500}
            onChange={(e) => onAlt(e.target.value)}
            aria-describedby={`${id}-alt-hint`}
          />
          <span id={`${id}-alt-hint`} className="visually-hidden">
            {t("composer.altHint")} ({name})
          </span>
        </div>
      </div>
      <div className="attachment-actions">
        {active ? (
          <button
            type="button"
            className="btn btn-ghost btn-small"
            onClick={onCancel}
            aria-label={t("composer.cancelUpload", { name })}
          >
            {t("common.cancel")}
          </button>
        ) : null}
        {att.status === "error" || att.status === "cancelled" ? (
          <button
            type="button"
            className="btn btn-secondary btn-small"
            onClick={onRetry}
            aria-label={t("composer.retryUpload", { name })}
          >
            {t("common.retry")}
          </button>
        ) : null}
        <button type="button" className="btn btn-ghost btn-small btn-icon" onClick={onRemove}>
          <Icon name="close" size={18} />
          <span className="visually-hidden">{t("composer.remove", { name })}</span>
        </button>
      </div>
    </li>
  );
}
