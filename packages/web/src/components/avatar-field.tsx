"use client";

// Uploads straight to the bucket and waits for the EXIF-free thumbnail, so Save only points the profile at it.
import { useEffect, useId, useRef, useState } from "react";
import { useI18n } from "../i18n";
import { ApiError } from "../lib/api";
import { apiErrorMessage } from "../lib/errors";
import { checkFile, contentTypeOf, kindOf, LIMITS } from "../lib/media-limits";
import { postsApi } from "../lib/posts-api";
import { UploadAborted, upload } from "../lib/upload";
import { refusalReason } from "./post/composer";

/** What Save should send: undefined keeps the picture, null removes it, an id sets that upload. */
export type AvatarChoice = string | null | undefined;

type State =
  | { step: "idle" }
  | { step: "uploading"; progress: number }
  | { step: "processing" }
  | { step: "ready" }
  | { step: "error"; message: string };

const POLL_MS = 500;
const POLL_LIMIT_MS = 60_000;
const ACCEPT = LIMITS.image.types.join(",");

export function AvatarField({
  currentUrl,
  initial,
  onChange,
}: {
  currentUrl: string | null;
  /** The letter shown when there is no picture. */
  initial: string;
  onChange: (choice: AvatarChoice, busy: boolean) => void;
}) {
  const { t } = useI18n();
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<State>({ step: "idle" });
  const [preview, setPreview] = useState<string | null>(currentUrl);
  const [choice, setChoice] = useState<AvatarChoice>(undefined);
  const run = useRef(0);
  const abortUpload = useRef<(() => void) | null>(null);
  const blobUrl = useRef<string | null>(null);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;

  const busy = state.step === "uploading" || state.step === "processing";
  useEffect(() => onChangeRef.current(choice, busy), [choice, busy]);

  // Leaving the form cancels an upload in flight and frees the local preview.
  useEffect(
    () => () => {
      run.current++;
      abortUpload.current?.();
      if (blobUrl.current) URL.revokeObjectURL(blobUrl.current);
    },
    [],
  );

  const showLocal = (file: File | null) => {
    if (blobUrl.current) URL.revokeObjectURL(blobUrl.current);
    blobUrl.current = file ? URL.createObjectURL(file) : null;
    return blobUrl.current;
  };

  const pick = async (file: File) => {
    const problem = checkFile(file);
    const contentType = contentTypeOf(file);
    if (problem || kindOf(contentType) !== "image") {
      const reason =
        problem && problem.code !== "unsupported" ? refusalReason(t, problem) : t("profile.avatarNotImage");
      setState({ step: "error", message: t("profile.avatarRefused", { name: file.name, reason }) });
      return;
    }
    const mine = ++run.current;
    const previous = preview;
    setPreview(showLocal(file));
    setChoice(undefined);
    try {
      const sending = await upload(
        { contentType, size: file.size, fileName: file.name, purpose: "avatar" },
        file,
        file.name,
        (loaded, total) => {
          if (mine === run.current) setState({ step: "uploading", progress: total ? loaded / total : 0 });
        },
      );
      if (mine !== run.current) {
        // Another file was picked (or the picture removed) while this one was being announced.
        sending.abort();
        return void sending.done.catch(() => undefined);
      }
      abortUpload.current = sending.abort;
      setState({ step: "uploading", progress: 0 });
      await sending.done.finally(() => {
        abortUpload.current = null;
      });
      if (mine !== run.current) return;
      setState({ step: "processing" });
      // The processor strips metadata and writes the thumbnail the profile will show: wait for it.
      const deadline = Date.now() + POLL_LIMIT_MS;
      for (;;) {
        const media = await postsApi.getMedia(sending.mediaId);
        if (mine !== run.current) return;
        if (media.status === "ready") break;
        if (media.status === "failed" || Date.now() > deadline)
          throw new ApiError("media.unreadable", 400, "unreadable");
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
      setState({ step: "ready" });
      setChoice(sending.mediaId);
    } catch (err) {
      if (mine !== run.current) return;
      setPreview(previous);
      showLocal(null);
      setState(
        err instanceof UploadAborted ? { step: "idle" } : { step: "error", message: apiErrorMessage(t, err) },
      );
    }
  };

  const cancel = () => abortUpload.current?.();

  const remove = () => {
    run.current++;
    showLocal(null);
    setPreview(null);
    setState({ step: "idle" });
    setChoice(currentUrl ? null : undefined);
  };

  const statusId = `${id}-status`;
  return (
    <fieldset className="field avatar-field" aria-describedby={statusId}>
      <legend className="field-label">{t("profile.avatar")}</legend>
      <div className="avatar-field-row">
        {preview ? (
          // biome-ignore lint/performance/noImgElement: a static export has no image optimizer; a blob: preview.
          <img className="avatar avatar-large" src={preview} alt={t("profile.avatarPreview")} />
        ) : (
          <span className="avatar avatar-large" aria-hidden="true">
            {initial}
          </span>
        )}
        <div className="avatar-field-actions">
          <div className="avatar-field-buttons">
            <button
              type="button"
              className="btn"
              onClick={() => inputRef.current?.click()}
              disabled={state.step === "uploading"}
            >
              {preview ? t("profile.avatarChange") : t("profile.avatarChoose")}
            </button>
            {preview && !busy ? (
              <button type="button" className="btn btn-ghost" onClick={remove}>
                {t("profile.avatarRemove")}
              </button>
            ) : null}
          </div>
          <input
            ref={inputRef}
            type="file"
            accept={ACCEPT}
            hidden
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = "";
              if (file) void pick(file);
            }}
          />
          <div id={statusId} role="status" className="avatar-field-status small">
            {state.step === "uploading" ? (
              <span className="avatar-field-progress">
                <progress value={state.progress} max={1} aria-label={t("profile.avatarProgress")} />
                <span>{Math.floor(state.progress * 100)}%</span>
                <button type="button" className="btn btn-ghost" onClick={cancel}>
                  {t("profile.avatarCancel")}
                </button>
              </span>
            ) : state.step === "processing" ? (
              t("profile.avatarProcessing")
            ) : state.step === "ready" ? (
              t("profile.avatarReady")
            ) : choice === null ? (
              t("profile.avatarWillRemove")
            ) : (
              <span className="muted">
                {t("profile.avatarHint", { max: LIMITS.image.maxBytes / 1024 / 1024 })}
              </span>
            )}
          </div>
          {state.step === "error" ? (
            <p className="field-error" role="alert">
              {state.message}
            </p>
          ) : null}
        </div>
      </div>
    </fieldset>
  );
}
