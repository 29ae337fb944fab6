"use client";
import { type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import { useI18n } from "../../i18n";
import { apiErrorMessage } from "../../lib/errors";
import { safetyApi } from "../../lib/safety-api";
import { ConfirmDialog } from "../post/dialog";
import "./safety.css";

export interface Relation {
  blocking: boolean;
  muting: boolean;
}

/** The profile's "…" menu: a disclosure of plain buttons (Tab moves through them, Esc closes it). */
export function ProfileSafetyMenu({
  handle,
  relation,
  onChange,
}: {
  handle: string;
  relation: Relation;
  onChange: (next: Relation) => void;
}) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const menuId = useId();

  useEffect(() => {
    if (open) menu.current?.querySelector<HTMLButtonElement>("button")?.focus();
  }, [open]);

  const close = () => {
    setOpen(false);
    button.current?.focus();
  };

  const closeOnEscape = (e: KeyboardEvent) => {
    if (e.key === "Escape") close();
  };

  const run = async (action: () => Promise<unknown>, next: Relation) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      onChange(next);
      setConfirming(false);
      close();
    } catch (err) {
      setError(apiErrorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <span className="safety-menu">
      <button
        ref={button}
        type="button"
        className="btn btn-ghost"
        onKeyDown={closeOnEscape}
        aria-expanded={open}
        aria-controls={menuId}
        aria-label={t("safety.menu", { handle })}
        onClick={() => setOpen((v) => !v)}
      >
        …
      </button>
      {open ? (
        <div ref={menu} id={menuId} className="card safety-menu-list">
          {relation.blocking ? (
            <button
              type="button"
              className="btn btn-ghost"
              onKeyDown={closeOnEscape}
              disabled={busy}
              onClick={() => void run(() => safetyApi.unblock(handle), { ...relation, blocking: false })}
            >
              {t("safety.unblock")}
            </button>
          ) : (
            <button
              type="button"
              className="btn btn-ghost"
              onKeyDown={closeOnEscape}
              onClick={() => setConfirming(true)}
            >
              {t("safety.block")}
            </button>
          )}
          <button
            type="button"
            className="btn btn-ghost"
            onKeyDown={closeOnEscape}
            disabled={busy}
            onClick={() =>
              void run(() => (relation.muting ? safetyApi.unmute(handle) : safetyApi.mute(handle)), {
                ...relation,
                muting: !relation.muting,
              })
            }
          >
            {relation.muting ? t("safety.unmute") : t("safety.mute")}
          </button>
          {error && !confirming ? (
            <p className="field-error small" role="alert">
              {error}
            </p>
          ) : null}
        </div>
      ) : null}
      <ConfirmDialog
        open={confirming}
        title={t("safety.blockTitle", { handle })}
        lead={t("safety.blockLead")}
        confirmLabel={t("safety.block")}
        busy={busy}
        error={confirming ? error : null}
        onConfirm={() => void run(() => safetyApi.block(handle), { ...relation, blocking: true })}
        onCancel={() => {
          setConfirming(false);
          setError(null);
        }}
      />
    </span>
  );
}
