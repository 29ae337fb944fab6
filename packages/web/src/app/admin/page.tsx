"use client";
import Link from "next/link";
import { type FormEvent, useCallback, useEffect, useId, useState } from "react";
import { useRequireProfile } from "../../components/guards";
import "../../components/moderation/moderation.css";
import { Loading, PageShell, ProfilePending, useDocumentTitle } from "../../components/page-shell";
import { postHref } from "../../components/post/post-card";
import { useI18n } from "../../i18n";
import { useApp } from "../../lib/app-context";
import { apiErrorMessage } from "../../lib/errors";
import {
  type AuditEntry,
  type ModerationCase,
  moderationApi,
  type ResolveAction,
} from "../../lib/moderation-api";
import { absoluteTime } from "../../lib/time";

const profileLink = (handle: string) => `/u/?h=${encodeURIComponent(handle)}`;

/** The moderators' page: the report queue (oldest first, one row per target), the actions and the audit log. */
export default function AdminPage() {
  const { t } = useI18n();
  const { auth } = useApp();
  const { me, error: profileError, retry: retryProfile } = useRequireProfile();
  useDocumentTitle(t("admin.title"));
  const [cases, setCases] = useState<ModerationCase[] | null>(null);
  const [casesCursor, setCasesCursor] = useState<string | null>(null);
  const [log, setLog] = useState<AuditEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      const [queue, audit] = await Promise.all([moderationApi.queue(), moderationApi.audit()]);
      setCases(queue.items);
      setCasesCursor(queue.cursor);
      setLog(audit.items);
    } catch (err) {
      setError(apiErrorMessage(t, err));
    }
  }, [t]);

  const moderator = auth.moderator;
  const meId = me?.id;
  useEffect(() => {
    if (meId && moderator) void load();
  }, [meId, moderator, load]);

  if (!me) return <ProfilePending error={profileError} retry={retryProfile} />;
  if (!moderator)
    return (
      <PageShell narrow>
        <section className="card empty-state" aria-labelledby="admin-denied">
          <h1 id="admin-denied">{t("admin.title")}</h1>
          <p className="muted">{t("admin.notModerator")}</p>
        </section>
      </PageShell>
    );

  const loadMore = async () => {
    if (!casesCursor) return;
    try {
      const next = await moderationApi.queue(casesCursor);
      setCases((current) => [...(current ?? []), ...next.items]);
      setCasesCursor(next.cursor);
    } catch (err) {
      setError(apiErrorMessage(t, err));
    }
  };

  const resolved = async (done: ModerationCase) => {
    setCases((current) => (current ?? []).filter((c) => c.id !== done.id));
    setNotice(t(`admin.done.${done.status}` as "admin.done.dismissed"));
    try {
      setLog((await moderationApi.audit()).items);
    } catch {}
  };

  return (
    <PageShell>
      <h1>{t("admin.title")}</h1>
      <p className="visually-hidden" role="status">
        {notice}
      </p>
      {error ? (
        <div className="alert alert-error" role="alert">
          <p>{error}</p>
          <button type="button" className="btn btn-secondary btn-small" onClick={() => void load()}>
            {t("common.retry")}
          </button>
        </div>
      ) : null}
      <section aria-labelledby="admin-queue" className="admin-section">
        <h2 id="admin-queue">{t("admin.queue")}</h2>
        {cases === null && !error ? <Loading /> : null}
        {cases?.length === 0 ? <p className="muted">{t("admin.queueEmpty")}</p> : null}
        {cases?.length ? (
          <ol className="admin-cases">
            {cases.map((c) => (
              <CaseCard key={c.id} item={c} onResolved={(done) => void resolved(done)} />
            ))}
          </ol>
        ) : null}
        {casesCursor ? (
          <button type="button" className="btn btn-secondary" onClick={() => void loadMore()}>
            {t("admin.more")}
          </button>
        ) : null}
      </section>
      <LiftForm
        onLifted={() =>
          void moderationApi.audit().then(
            (a) => setLog(a.items),
            () => undefined,
          )
        }
      />
      <section aria-labelledby="admin-audit" className="admin-section">
        <h2 id="admin-audit">{t("admin.audit")}</h2>
        {log?.length === 0 ? <p className="muted">{t("admin.auditEmpty")}</p> : null}
        {log?.length ? (
          <ol className="admin-audit">
            {log.map((e) => (
              <AuditRow key={e.id} entry={e} />
            ))}
          </ol>
        ) : null}
      </section>
    </PageShell>
  );
}

function CaseCard({
  item,
  onResolved,
}: {
  item: ModerationCase;
  onResolved: (done: ModerationCase) => void;
}) {
  const { t, lang } = useI18n();
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState<ResolveAction | "lift" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [suspended, setSuspended] = useState(item.ownerSuspended);
  const titleId = `case-${item.id}`;

  const act = async (action: ResolveAction) => {
    setBusy(action);
    setError(null);
    try {
      onResolved(await moderationApi.resolve(item.id, action, note.trim() || undefined));
    } catch (err) {
      setError(apiErrorMessage(t, err));
    } finally {
      setBusy(null);
    }
  };

  const lift = async () => {
    if (!item.owner) return;
    setBusy("lift");
    setError(null);
    try {
      await moderationApi.unsuspend(item.owner.handle, note.trim() || undefined);
      setSuspended(false);
    } catch (err) {
      setError(apiErrorMessage(t, err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <li className="card admin-case" aria-labelledby={titleId}>
      <h3 id={titleId} className="admin-case-title">
        <span className="badge">{t(`admin.type.${item.type}`)}</span>{" "}
        {t("admin.reports", { count: item.count })}
        {" · "}
        {item.reasons.map((r) => t(`report.reason.${r}`)).join(", ")}
      </h3>
      <p className="muted small">
        {t("admin.opened")}{" "}
        <time dateTime={item.openedAt} title={absoluteTime(item.openedAt, lang)}>
          {absoluteTime(item.openedAt, lang)}
        </time>
        {item.owner ? (
          <>
            {" · "}
            <Link href={profileLink(item.owner.handle)}>
              {item.owner.displayName} (@{item.owner.handle})
            </Link>
          </>
        ) : null}
        {suspended ? <span className="badge admin-suspended">{t("admin.suspended")}</span> : null}
      </p>
      {item.content ? (
        <blockquote className="admin-content">
          {item.content.deleted ? (
            <em className="muted">{t("admin.contentDeleted")}</em>
          ) : (
            <p>{item.content.text}</p>
          )}
        </blockquote>
      ) : null}
      {item.type === "post" && !item.content?.deleted ? (
        <p className="small">
          <Link href={postHref(item.targetId)}>{t("admin.inContext")}</Link>
        </p>
      ) : null}
      {item.notes.length ? (
        <ul className="admin-notes" aria-label={t("admin.notes")}>
          {item.notes.map((n, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: notes are a fixed list for this render.
            <li key={i}>“{n}”</li>
          ))}
        </ul>
      ) : null}
      <label className="field">
        <span className="field-label">{t("admin.note")}</span>
        <input className="input" value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />
      </label>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="admin-actions">
        <button
          type="button"
          className="btn btn-secondary"
          disabled={!!busy}
          onClick={() => void act("dismiss")}
        >
          {t("admin.dismiss")}
        </button>
        {item.type !== "user" ? (
          <button
            type="button"
            className="btn btn-danger"
            disabled={!!busy}
            onClick={() => void act("remove")}
          >
            {t(item.type === "post" ? "admin.removePost" : "admin.removeMessage")}
          </button>
        ) : null}
        {suspended ? (
          <button type="button" className="btn btn-secondary" disabled={!!busy} onClick={() => void lift()}>
            {t("admin.lift")}
          </button>
        ) : (
          <button
            type="button"
            className="btn btn-danger"
            disabled={!!busy}
            onClick={() => void act("suspend")}
          >
            {t("admin.suspend")}
          </button>
        )}
      </div>
    </li>
  );
}

/** Lifts a suspension by handle: a suspended user's case is closed, so the queue no longer shows them. */
function LiftForm({ onLifted }: { onLifted: () => void }) {
  const { t } = useI18n();
  const titleId = useId();
  const [handle, setHandle] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const h = handle.trim().replace(/^@/, "");
    if (!h) return;
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      await moderationApi.unsuspend(h);
      setDone(t("admin.liftDone", { handle: h }));
      setHandle("");
      onLifted();
    } catch (err) {
      setError(apiErrorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="admin-section">
      <form aria-labelledby={titleId} className="card admin-lift" onSubmit={(e) => void submit(e)}>
        <h2 id={titleId}>{t("admin.lift")}</h2>
        <label className="field">
          <span className="field-label">{t("admin.liftHandle")}</span>
          <input
            className="input"
            value={handle}
            autoCapitalize="none"
            autoCorrect="off"
            spellCheck={false}
            onChange={(e) => setHandle(e.target.value)}
          />
        </label>
        {error ? (
          <p className="field-error" role="alert">
            {error}
          </p>
        ) : null}
        <p role="status" className="small">
          {done}
        </p>
        <button type="submit" className="btn btn-secondary" disabled={busy || !handle.trim()}>
          {t("admin.lift")}
        </button>
      </form>
    </section>
  );
}

function AuditRow({ entry }: { entry: AuditEntry }) {
  const { t, lang } = useI18n();
  return (
    <li className="admin-audit-row">
      <time dateTime={entry.createdAt} className="muted small">
        {absoluteTime(entry.createdAt, lang)}
      </time>{" "}
      <span>
        {t(`admin.log.${entry.action}`, {
          moderator: entry.moderator ? `@${entry.moderator.handle}` : t("admin.someone"),
          subject: entry.subject ? `@${entry.subject.handle}` : t("admin.someone"),
        })}
      </span>
      {entry.note ? <span className="muted"> — {entry.note}</span> : null}
    </li>
  );
}
