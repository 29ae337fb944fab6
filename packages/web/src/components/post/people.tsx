"use client";
import Link from "next/link";
import { useEffect, useState } from "react";
import { useI18n } from "../../i18n";
import type { ListedProfile, ProfilePage } from "../../lib/api-types";
import { useApp } from "../../lib/app-context";
import { apiErrorMessage } from "../../lib/errors";
import { postsApi } from "../../lib/posts-api";
import { profileHref } from "../site-header";
import { Avatar } from "./post-card";

/** Follow or unfollow at once; the server's answer only matters if it refuses. */
export function FollowButton({
  handle,
  following,
  onChange,
}: {
  handle: string;
  following: boolean;
  onChange: (following: boolean) => void;
}) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const toggle = async () => {
    if (busy) return;
    const next = !following;
    setBusy(true);
    setError(null);
    onChange(next);
    try {
      await postsApi.follow(handle, next);
    } catch (err) {
      onChange(!next);
      setError(
        t(next ? "profile.followFailed" : "profile.unfollowFailed", { message: apiErrorMessage(t, err) }),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="follow">
      <button
        type="button"
        className={following ? "btn btn-secondary" : "btn btn-primary"}
        onClick={() => void toggle()}
        aria-busy={busy}
      >
        {following ? t("profile.unfollow") : t("profile.follow")}
      </button>
      {error ? (
        <span className="field-error small" role="alert">
          {error}{" "}
          <button type="button" className="btn btn-secondary btn-small" onClick={() => void toggle()}>
            {t("common.retry")}
          </button>
        </span>
      ) : null}
    </span>
  );
}

type Fetch = (cursor: string | null) => Promise<ProfilePage>;

export function PeopleList({ fetchPage, label, empty }: { fetchPage: Fetch; label: string; empty: string }) {
  const { t } = useI18n();
  const { me } = useApp();
  const [items, setItems] = useState<ListedProfile[]>([]);
  const setFollowing = (id: string, followedByMe: boolean) =>
    setItems((prev) => prev.map((p) => (p.id === id ? { ...p, followedByMe } : p)));
  const [cursor, setCursor] = useState<string | null>(null);
  const [status, setStatus] = useState<"loading" | "idle" | "error">("loading");
  const [error, setError] = useState<unknown>(null);

  const load = async (from: string | null) => {
    setStatus("loading");
    try {
      const page = await fetchPage(from);
      setItems((prev) => (from ? [...prev, ...page.items] : page.items));
      setCursor(page.cursor);
      setStatus("idle");
    } catch (err) {
      setError(err);
      setStatus("error");
    }
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: the first page, once per list.
  useEffect(() => {
    void load(null);
  }, [fetchPage]);

  return (
    <>
      {items.length ? (
        <ul className="people-list" aria-label={label}>
          {items.map((p) => (
            <li key={p.id} className="person">
              <Avatar name={p.displayName} url={p.avatarUrl} size="small" />
              <div className="person-main">
                <Link href={profileHref(p.handle)}>
                  <span className="person-name">{p.displayName}</span>{" "}
                  <span className="muted">@{p.handle}</span>
                </Link>
                {p.followsMe ? <span className="badge">{t("profile.followsYou")}</span> : null}
                {p.bio ? <p className="person-bio muted small">{p.bio}</p> : null}
              </div>
              {me && p.id !== me.id ? (
                <FollowButton
                  handle={p.handle}
                  following={p.followedByMe}
                  onChange={(on) => setFollowing(p.id, on)}
                />
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {status === "idle" && items.length === 0 ? <p className="card empty-state muted">{empty}</p> : null}
      {status === "loading" ? (
        <div className="loading" aria-busy="true">
          <span className="spinner" aria-hidden="true" />
          <span role="status">{t("common.loading")}</span>
        </div>
      ) : null}
      {status === "error" ? (
        <div className="card" role="alert">
          <p>{apiErrorMessage(t, error)}</p>
          <button type="button" className="btn btn-primary" onClick={() => void load(cursor)}>
            {t("common.retry")}
          </button>
        </div>
      ) : null}
      {cursor && status === "idle" ? (
        <div className="timeline-more">
          <button type="button" className="btn btn-secondary" onClick={() => void load(cursor)}>
            {t("timeline.loadMore")}
          </button>
        </div>
      ) : null}
    </>
  );
}
