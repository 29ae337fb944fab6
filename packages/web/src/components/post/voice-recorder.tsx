"use client";
import { useEffect, useId, useRef, useState } from "react";
import { useI18n } from "../../i18n";
import { formatDuration } from "../../lib/time";
import { Icon } from "./icons";

/** Recordings stop by themselves at this length. */
const MAX_MS = 5 * 60_000;
const TYPES = ["audio/webm;codecs=opus", "audio/webm", "audio/ogg;codecs=opus", "audio/mp4"];

type State =
  | { kind: "idle" }
  | { kind: "starting" }
  | { kind: "recording"; startedAt: number }
  | { kind: "recorded"; blob: Blob; url: string; durationMs: number }
  | { kind: "error"; message: string };

function extensionFor(type: string): string {
  if (type.includes("ogg")) return "ogg";
  if (type.includes("mp4")) return "m4a";
  return "webm";
}

/** Record with MediaRecorder, listen back, then attach; the duration is measured here (WebM headers lack it). */
export function VoiceRecorder({
  onAttach,
  onClose,
}: {
  onAttach: (file: File, durationMs: number) => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const [state, setState] = useState<State>({ kind: "idle" });
  const [elapsed, setElapsed] = useState(0);
  const recorder = useRef<MediaRecorder | null>(null);
  const stream = useRef<MediaStream | null>(null);
  const headingId = useId();
  const startButton = useRef<HTMLButtonElement>(null);
  const stopButton = useRef<HTMLButtonElement>(null);
  const attachButton = useRef<HTMLButtonElement>(null);
  const stateRef = useRef(state);
  stateRef.current = state;

  useEffect(() => {
    startButton.current?.focus();
    return () => {
      recorder.current?.state === "recording" && recorder.current.stop();
      for (const track of stream.current?.getTracks() ?? []) track.stop();
      const current = stateRef.current;
      if (current.kind === "recorded") URL.revokeObjectURL(current.url);
    };
  }, []);

  // Keep focus on the one next step: stop while recording, attach once recorded.
  useEffect(() => {
    if (state.kind === "recording") stopButton.current?.focus();
    if (state.kind === "recorded") attachButton.current?.focus();
  }, [state.kind]);

  useEffect(() => {
    if (state.kind !== "recording") return;
    const timer = setInterval(() => {
      const ms = performance.now() - state.startedAt;
      setElapsed(ms);
      if (ms >= MAX_MS) recorder.current?.stop();
    }, 250);
    return () => clearInterval(timer);
  }, [state]);

  const start = async () => {
    if (typeof MediaRecorder === "undefined" || !navigator.mediaDevices?.getUserMedia) {
      setState({ kind: "error", message: t("recorder.unsupported") });
      return;
    }
    setState({ kind: "starting" });
    try {
      const media = await navigator.mediaDevices.getUserMedia({ audio: true });
      stream.current = media;
      const mimeType = TYPES.find((type) => MediaRecorder.isTypeSupported(type));
      const rec = new MediaRecorder(media, mimeType ? { mimeType } : undefined);
      recorder.current = rec;
      const chunks: Blob[] = [];
      let startedAt = 0;
      rec.ondataavailable = (e) => {
        if (e.data.size) chunks.push(e.data);
      };
      rec.onstop = () => {
        const durationMs = Math.round(performance.now() - startedAt);
        for (const track of media.getTracks()) track.stop();
        const blob = new Blob(chunks, { type: rec.mimeType || mimeType || "audio/webm" });
        setState({ kind: "recorded", blob, url: URL.createObjectURL(blob), durationMs });
      };
      rec.start(250);
      startedAt = performance.now();
      setElapsed(0);
      setState({ kind: "recording", startedAt });
    } catch (err) {
      const denied =
        err instanceof DOMException && (err.name === "NotAllowedError" || err.name === "SecurityError");
      setState({
        kind: "error",
        message: denied
          ? t("recorder.denied")
          : t("recorder.error", { message: err instanceof Error ? err.message : String(err) }),
      });
    }
  };

  const discard = () => {
    if (state.kind === "recorded") URL.revokeObjectURL(state.url);
    setState({ kind: "idle" });
    requestAnimationFrame(() => startButton.current?.focus());
  };

  const attach = () => {
    if (state.kind !== "recorded") return;
    const type = state.blob.type || "audio/webm";
    const name = `voice-${new Date().toISOString().replace(/[:.]/g, "-")}.${extensionFor(type)}`;
    onAttach(new File([state.blob], name, { type }), state.durationMs);
  };

  return (
    <section className="recorder" aria-labelledby={headingId}>
      <div className="recorder-head">
        <h3 id={headingId} className="recorder-title">
          <Icon name="mic" size={18} />
          {t("recorder.title")}
        </h3>
        <button type="button" className="btn btn-ghost btn-small" onClick={onClose}>
          <Icon name="close" size={18} />
          <span className="visually-hidden">{t("recorder.close")}</span>
        </button>
      </div>
      {state.kind === "idle" || state.kind === "error" || state.kind === "starting" ? (
        <div className="recorder-row">
          <button
            ref={startButton}
            type="button"
            className="btn btn-secondary"
            onClick={() => void start()}
            disabled={state.kind === "starting"}
          >
            <span className="record-dot" aria-hidden="true" />
            {t("recorder.start")}
          </button>
          {state.kind === "starting" ? <span className="muted small">{t("recorder.starting")}</span> : null}
        </div>
      ) : null}
      {state.kind === "recording" ? (
        <div className="recorder-row">
          <button
            type="button"
            className="btn btn-danger"
            onClick={() => recorder.current?.stop()}
            ref={stopButton}
          >
            <Icon name="stop" size={18} />
            {t("recorder.stop")}
          </button>
          <span className="recorder-time" role="timer" aria-live="off">
            <span className="record-dot record-dot-live" aria-hidden="true" />
            {t("recorder.recording", { time: formatDuration(elapsed) })}
          </span>
        </div>
      ) : null}
      {state.kind === "recorded" ? (
        <div className="recorder-review">
          {/* biome-ignore lint/a11y/useMediaCaption: the user's own recording, heard before attaching. */}
          <audio controls src={state.url} aria-label={t("recorder.preview")} />
          <span className="muted small">
            {t("composer.duration", { time: formatDuration(state.durationMs) })}
          </span>
          <div className="recorder-row">
            <button type="button" className="btn btn-primary" onClick={attach} ref={attachButton}>
              {t("recorder.attach")}
            </button>
            <button type="button" className="btn btn-ghost" onClick={discard}>
              {t("recorder.discard")}
            </button>
          </div>
        </div>
      ) : null}
      {state.kind === "error" ? (
        <p className="field-error" role="alert">
          {state.message}
        </p>
      ) : null}
    </section>
  );
}
