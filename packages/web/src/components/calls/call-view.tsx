"use client";
// The incoming-call dialog and the in-call view, shown over every page while a call exists.
import { useEffect, useId, useRef, useState } from "react";
import { useI18n } from "../../i18n";
import type { MessageKey } from "../../i18n/en";
import {
  type CallSession,
  elapsedSeconds,
  endedMessageKey,
  formatDuration,
  isInitiator,
  peerOf,
} from "../../lib/call/call-logic";
import { Avatar } from "../chat/message-item";
import { useCalls } from "./call-provider";
import "./calls.css";

export function CallOverlay() {
  const { session } = useCalls();
  if (!session) return null;
  return session.phase === "incoming" ? (
    <IncomingCallDialog session={session} />
  ) : (
    <InCallView session={session} />
  );
}

function IncomingCallDialog({ session }: { session: CallSession }) {
  const { t } = useI18n();
  const { accept, decline } = useCalls();
  const ref = useRef<HTMLDialogElement>(null);
  const acceptRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const leadId = useId();
  const [busy, setBusy] = useState(false);
  const peer = peerOf(session.call, session.meId);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement;
    if (!dialog.open) dialog.showModal();
    // Accept first: Enter or Space answers, Escape declines.
    acceptRef.current?.focus();
    return () => {
      if (dialog.open) dialog.close();
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className="modal call-incoming"
      role="alertdialog"
      aria-labelledby={titleId}
      aria-describedby={leadId}
      onCancel={(e) => {
        e.preventDefault();
        if (!busy) void decline();
      }}
    >
      <div className="modal-body call-incoming-body">
        <Avatar name={peer.displayName} url={peer.avatarUrl} size={72} />
        <h2 id={titleId}>{peer.displayName}</h2>
        <p id={leadId} className="muted">
          {t(session.call.kind === "video" ? "call.incoming.video" : "call.incoming.audio", {
            handle: peer.handle,
          })}
        </p>
        <div className="call-incoming-actions">
          <button
            type="button"
            className="btn btn-danger call-round"
            disabled={busy}
            onClick={() => {
              setBusy(true);
              void decline();
            }}
          >
            <PhoneDownIcon />
            {t("call.decline")}
          </button>
          <button
            ref={acceptRef}
            type="button"
            className="btn btn-primary call-round call-accept"
            disabled={busy}
            aria-busy={busy}
            onClick={() => {
              setBusy(true);
              void accept();
            }}
          >
            {session.call.kind === "video" ? <CameraIcon /> : <PhoneIcon />}
            {t("call.accept")}
          </button>
        </div>
        <p className="muted small">{t("call.incoming.keys")}</p>
      </div>
    </dialog>
  );
}

function statusKey(session: CallSession): MessageKey {
  switch (session.phase) {
    case "outgoing":
      return "call.status.ringing";
    case "connecting":
      return "call.status.connecting";
    case "reconnecting":
      return "call.status.reconnecting";
    default:
      return "call.status.connected";
  }
}

const QUALITY_KEYS = {
  unknown: "call.quality.unknown",
  good: "call.quality.good",
  fair: "call.quality.fair",
  poor: "call.quality.poor",
} as const satisfies Record<CallSession["quality"], MessageKey>;

function useVideo(stream: MediaStream | null) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (el.srcObject !== stream) el.srcObject = stream;
    if (stream) el.play().catch(() => undefined);
  }, [stream]);
  return ref;
}

function useTicker(on: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!on) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [on]);
  return now;
}

function InCallView({ session }: { session: CallSession }) {
  const { t } = useI18n();
  const { localStream, remoteStream, refused, hangup, toggleMute, toggleCamera, dismiss } = useCalls();
  const titleId = useId();
  const peer = peerOf(session.call, session.meId);
  const video = session.call.kind === "video";
  const ended = session.phase === "ended";
  const now = useTicker(session.phase === "connected" || session.phase === "reconnecting");
  const remoteRef = useVideo(ended ? null : remoteStream);
  const localRef = useVideo(ended ? null : localStream);
  const closeRef = useRef<HTMLButtonElement>(null);
  const hangupRef = useRef<HTMLButtonElement>(null);
  const seconds = elapsedSeconds(session, now);

  // Focus follows the call: the hang-up button while it runs, Close once it has ended.
  useEffect(() => {
    (ended ? closeRef : hangupRef).current?.focus();
  }, [ended]);

  const remoteVideo = video && !ended && !!remoteStream && !session.remote.cameraOff;
  const localVideo = video && !ended && !!localStream && !session.local.cameraOff;
  const status =
    session.phase === "connected" ? formatDuration(seconds) : ended ? null : t(statusKey(session));

  return (
    <section
      className={`call-view${ended ? " call-view-ended" : ""}`}
      aria-labelledby={titleId}
      data-phase={session.phase}
    >
      <header className="call-head">
        <div>
          <h2 id={titleId} className="call-title">
            {t(video ? "call.title.video" : "call.title.audio", { name: peer.displayName })}
          </h2>
          <p className="call-status" role="status" aria-live="polite">
            {status}
          </p>
        </div>
        {!ended && session.phase !== "outgoing" ? (
          <p className={`call-quality call-quality-${session.quality}`}>
            <span className="call-quality-bars" aria-hidden="true">
              <span />
              <span />
              <span />
            </span>
            {t(QUALITY_KEYS[session.quality])}
          </p>
        ) : null}
      </header>

      <div className="call-stage">
        {/* Audio-only calls (and a camera that is off) show the person instead of a picture. */}
        {/* biome-ignore lint/a11y/useMediaCaption: a live call has no captions. */}
        <video
          ref={remoteRef}
          className="call-remote"
          autoPlay
          playsInline
          hidden={!remoteVideo}
          aria-label={t("call.remoteVideo", { name: peer.displayName })}
        />
        {!remoteVideo ? (
          <div className="call-person">
            <Avatar name={peer.displayName} url={peer.avatarUrl} size={96} />
            <p>{peer.displayName}</p>
          </div>
        ) : null}
        {video && !ended ? (
          <video
            ref={localRef}
            className="call-local"
            autoPlay
            playsInline
            muted
            hidden={!localVideo}
            aria-label={t("call.localVideo")}
          />
        ) : null}
        {!ended && (session.remote.muted || (video && session.remote.cameraOff)) ? (
          <p className="call-remote-state" data-testid="call-remote-state">
            {[
              session.remote.muted ? t("call.remote.muted", { name: peer.displayName }) : null,
              video && session.remote.cameraOff
                ? t("call.remote.cameraOff", { name: peer.displayName })
                : null,
            ]
              .filter(Boolean)
              .join(" · ")}
          </p>
        ) : null}
      </div>

      {refused && !ended ? (
        <p className="call-notice" role="alert">
          {t(refused === "camera" ? "call.media.cameraRefused" : "call.media.allRefused")}
        </p>
      ) : null}

      {ended ? (
        <div className="call-ended" role="alert">
          <p className="call-ended-text">{t(endedMessageKey(session))}</p>
          {session.connectedAt !== null ? (
            <p className="muted">{t("call.end.duration", { duration: formatDuration(seconds) })}</p>
          ) : null}
          <button ref={closeRef} type="button" className="btn btn-secondary" onClick={dismiss}>
            {t("call.close")}
          </button>
        </div>
      ) : (
        <div className="call-controls">
          {session.phase !== "outgoing" ? (
            <button
              type="button"
              className="btn btn-secondary call-round"
              aria-pressed={session.local.muted}
              disabled={refused === "all"}
              onClick={toggleMute}
            >
              <MicIcon off={session.local.muted} />
              {t(session.local.muted ? "call.unmute" : "call.mute")}
            </button>
          ) : null}
          {video && session.phase !== "outgoing" ? (
            <button
              type="button"
              className="btn btn-secondary call-round"
              aria-pressed={session.local.cameraOff}
              onClick={() => void toggleCamera()}
            >
              <CameraIcon off={session.local.cameraOff} />
              {t(session.local.cameraOff ? "call.cameraOn" : "call.cameraOff")}
            </button>
          ) : null}
          <button
            ref={hangupRef}
            type="button"
            className="btn btn-danger call-round"
            onClick={() => void hangup()}
          >
            <PhoneDownIcon />
            {t(
              session.phase === "outgoing" && isInitiator(session.call, session.meId)
                ? "call.cancel"
                : "call.hangup",
            )}
          </button>
        </div>
      )}
    </section>
  );
}

export function PhoneIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20">
      <path
        fill="currentColor"
        d="M6.6 10.8a15.1 15.1 0 0 0 6.6 6.6l2.2-2.2c.3-.3.7-.4 1-.2 1.1.4 2.3.6 3.6.6.6 0 1 .4 1 1V20c0 .6-.4 1-1 1A17 17 0 0 1 3 4c0-.6.4-1 1-1h3.5c.6 0 1 .4 1 1 0 1.3.2 2.5.6 3.6.1.3 0 .7-.2 1l-2.3 2.2Z"
      />
    </svg>
  );
}

function PhoneDownIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20">
      <path
        fill="currentColor"
        d="M12 9c-1.6 0-3.2.3-4.6.7v3.1c0 .4-.2.7-.6.9-1 .5-1.9 1.1-2.7 1.8-.2.2-.4.3-.7.3-.3 0-.5-.1-.7-.3L.3 13.1a1 1 0 0 1 0-1.4C3.4 8.8 7.5 7 12 7s8.6 1.8 11.7 4.7a1 1 0 0 1 0 1.4l-2.4 2.4c-.2.2-.4.3-.7.3-.3 0-.5-.1-.7-.3-.8-.7-1.7-1.3-2.7-1.8-.3-.2-.6-.5-.6-.9V9.7C15.2 9.3 13.6 9 12 9Z"
      />
    </svg>
  );
}

export function CameraIcon({ off = false }: { off?: boolean }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20">
      <path
        fill="currentColor"
        d="M17 10.5V7a1 1 0 0 0-1-1H4a1 1 0 0 0-1 1v10a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1v-3.5l4 4v-11l-4 4Z"
      />
      {off ? <path stroke="currentColor" strokeWidth="2" d="M3 3l18 18" /> : null}
    </svg>
  );
}

function MicIcon({ off }: { off: boolean }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20">
      <path
        fill="currentColor"
        d="M12 14a3 3 0 0 0 3-3V5a3 3 0 1 0-6 0v6a3 3 0 0 0 3 3Zm5.3-3a5.3 5.3 0 0 1-10.6 0H5a7 7 0 0 0 6 6.9V21h2v-3.1A7 7 0 0 0 19 11h-1.7Z"
      />
      {off ? <path stroke="currentColor" strokeWidth="2" d="M3 3l18 18" /> : null}
    </svg>
  );
}
