"use client";
import Link from "next/link";
import { type FormEvent, useCallback, useEffect, useId, useState } from "react";
import { useI18n } from "../../i18n";
import type { MutedWord, UserCard } from "../../lib/api-types";
import { apiErrorMessage } from "../../lib/errors";
import { EXPIRY_CHOICES, type ExpiryKey, safetyApi } from "../../lib/safety-api";
import { FormAlert } from "../form";
import "./safety.css";

type Load<T> = { kind: "loading" } | { kind: "error"; error: unknown } | { kind: "loaded"; items: T[] };

function useList<T>(read: () => Promise<{ items: T[] }>) {
  const [state, setState] = useState<Load<T>>({ kind: "loading" });
  const reload = useCallback(() => {
    read().then(
      ({ items }) => setState({ kind: "loaded", items }),
      (error: unknown) => setState({ kind: "error", error }),
    );
  }, [read]);
  useEffect(reload, [reload]);
  return { state, setState, reload };
}

/** Blocked or muted accounts, each with its undo button. */
function People({
  read,
  undo,
  undoLabel,
  empty,
}: {
  read: () => Promise<{ items: UserCard[] }>;
  undo: (handle: string) => Promise<unknown>;
  undoLabel: (handle: string) => string;
  empty: string;
}) {
  const { t } = useI18n();
  const { state, setState, reload } = useList(read);
  const [error, setError] = useState<string | null>(null);
  if (state.kind === "loading") return <p className="muted">{t("common.loading")}</p>;
  if (state.kind === "error")
    return (
      <div role="alert">
        <p>{apiErrorMessage(t, state.error)}</p>
        <button type="button" className="btn btn-secondary btn-small" onClick={reload}>
          {t("common.retry")}
        </button>
      </div>
    );
  return (
    <>
      <FormAlert>{error}</FormAlert>
      {state.items.length === 0 ? <p className="muted">{empty}</p> : null}
      <ul className="safety-list">
        {state.items.map((p) => (
          <li key={p.id}>
            <Link href={`/u/?h=${encodeURIComponent(p.handle)}`}>
              {p.displayName} <span className="muted">@{p.handle}</span>
            </Link>
            <button
              type="button"
              className="btn btn-secondary btn-small"
              aria-label={undoLabel(p.handle)}
              onClick={async () => {
                setError(null);
                try {
                  await undo(p.handle);
                  setState({ kind: "loaded", items: state.items.filter((x) => x.id !== p.id) });
                } catch (err) {
                  setError(apiErrorMessage(t, err));
                }
              }}
            >
              {undoLabel(p.handle).split(" @")[0]}
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}

export function BlockedAccounts() {
  const { t } = useI18n();
  return (
    <People
      read={safetyApi.blocks}
      undo={safetyApi.unblock}
      undoLabel={(handle) => t("safety.unblockHandle", { handle })}
      empty={t("settings.blocks.empty")}
    />
  );
}

export function MutedAccounts() {
  const { t } = useI18n();
  return (
    <People
      read={safetyApi.mutes}
      undo={safetyApi.unmute}
      undoLabel={(handle) => t("safety.unmuteHandle", { handle })}
      empty={t("settings.mutes.empty")}
    />
  );
}

export function MutedWords() {
  const { t, lang } = useI18n();
  const { state, setState, reload } = useList<MutedWord>(safetyApi.words);
  const [word, setWord] = useState("");
  const [expiry, setExpiry] = useState<ExpiryKey>("forever");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const wordId = useId();
  const expiryId = useId();
  const items = state.kind === "loaded" ? state.items : [];

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (!word.trim()) return setError(t("settings.words.required"));
    setBusy(true);
    try {
      const seconds = EXPIRY_CHOICES.find((c) => c.key === expiry)?.seconds;
      const added = await safetyApi.addWord(word.trim(), seconds);
      setState({ kind: "loaded", items: [...items.filter((w) => w.id !== added.id), added] });
      setWord("");
    } catch (err) {
      setError(apiErrorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <form onSubmit={onSubmit} noValidate className="form safety-word-form">
        <FormAlert>{error}</FormAlert>
        <div className="field">
          <label htmlFor={wordId}>{t("settings.words.word")}</label>
          <input
            id={wordId}
            name="muted-word"
            value={word}
            maxLength={100}
            onChange={(e) => setWord(e.target.value)}
            placeholder={t("settings.words.placeholder")}
          />
        </div>
        <div className="field">
          <label htmlFor={expiryId}>{t("settings.words.expiry")}</label>
          <select id={expiryId} value={expiry} onChange={(e) => setExpiry(e.target.value as ExpiryKey)}>
            {EXPIRY_CHOICES.map((c) => (
              <option key={c.key} value={c.key}>
                {t(`settings.words.expiry.${c.key}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="btn btn-primary" disabled={busy} aria-busy={busy}>
          {t("settings.words.add")}
        </button>
      </form>
      {state.kind === "error" ? (
        <div role="alert">
          <p>{apiErrorMessage(t, state.error)}</p>
          <button type="button" className="btn btn-secondary btn-small" onClick={reload}>
            {t("common.retry")}
          </button>
        </div>
      ) : null}
      {state.kind === "loaded" && items.length === 0 ? (
        <p className="muted">{t("settings.words.empty")}</p>
      ) : null}
      <ul className="safety-list" aria-label={t("settings.words.title")}>
        {items.map((w) => (
          <li key={w.id}>
            <span>
              <strong>{w.word}</strong>{" "}
              <span className="muted small">
                {w.expiresAt
                  ? t("settings.words.until", {
                      date: new Date(w.expiresAt).toLocaleString(lang, {
                        dateStyle: "medium",
                        timeStyle: "short",
                      }),
                    })
                  : t("settings.words.expiry.forever")}
              </span>
            </span>
            <button
              type="button"
              className="btn btn-secondary btn-small"
              aria-label={t("settings.words.removeWord", { word: w.word })}
              onClick={async () => {
                setError(null);
                try {
                  await safetyApi.removeWord(w.id);
                  setState({ kind: "loaded", items: items.filter((x) => x.id !== w.id) });
                } catch (err) {
                  setError(apiErrorMessage(t, err));
                }
              }}
            >
              {t("settings.words.remove")}
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
