"use client";
import { type FormEvent, useId, useState } from "react";
import { useI18n } from "../../i18n";
import { apiErrorMessage } from "../../lib/errors";
import { moderationApi, REPORT_REASONS, type ReportInput, type ReportReason } from "../../lib/moderation-api";
import { Modal } from "../post/dialog";
import "./moderation.css";

/** Report a post, a message or a user: a reason (required) and an optional note for the moderators. */
export function ReportDialog({
  open,
  target,
  onClose,
}: {
  open: boolean;
  target: Pick<ReportInput, "type" | "id">;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const titleId = useId();
  const [reason, setReason] = useState<ReportReason | null>(null);
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);

  const close = () => {
    setReason(null);
    setText("");
    setError(null);
    setSent(false);
    onClose();
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!reason) {
      setError(t("report.chooseReason"));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await moderationApi.report({ ...target, reason, ...(text.trim() ? { text: text.trim() } : {}) });
      setSent(true);
    } catch (err) {
      setError(apiErrorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open={open} onClose={close} labelledBy={titleId} className="report-dialog">
      <div className="modal-body" role="document">
        <h2 id={titleId}>{t(`report.title.${target.type}`)}</h2>
        {sent ? (
          <>
            <p role="status">{t("report.sent")}</p>
            <div className="form-actions">
              <button type="button" className="btn btn-primary" onClick={close}>
                {t("report.done")}
              </button>
            </div>
          </>
        ) : (
          <form onSubmit={(e) => void submit(e)} noValidate>
            <fieldset className="report-reasons">
              <legend>{t("report.reason")}</legend>
              {REPORT_REASONS.map((r) => (
                <label key={r} className="report-reason">
                  <input
                    type="radio"
                    name="reason"
                    value={r}
                    checked={reason === r}
                    onChange={() => setReason(r)}
                  />
                  <span>{t(`report.reason.${r}`)}</span>
                </label>
              ))}
            </fieldset>
            <label className="field">
              <span className="field-label">{t("report.text")}</span>
              <textarea
                className="input"
                rows={3}
                maxLength={500}
                value={text}
                onChange={(e) => setText(e.target.value)}
              />
            </label>
            {error ? (
              <p className="field-error" role="alert">
                {error}
              </p>
            ) : null}
            <div className="form-actions">
              <button type="button" className="btn btn-secondary" onClick={close}>
                {t("common.cancel")}
              </button>
              <button type="submit" className="btn btn-danger" disabled={busy} aria-busy={busy}>
                {busy ? t("report.sending") : t("report.submit")}
              </button>
            </div>
          </form>
        )}
      </div>
    </Modal>
  );
}

/** A button that opens the report dialog for one post, message or user. */
export function ReportButton({
  target,
  className = "btn btn-ghost btn-small",
  label,
}: {
  target: Pick<ReportInput, "type" | "id">;
  className?: string;
  label?: string;
}) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className={className} onClick={() => setOpen(true)}>
        {label ?? t("report.action")}
      </button>
      <ReportDialog open={open} target={target} onClose={() => setOpen(false)} />
    </>
  );
}
