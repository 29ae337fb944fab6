"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type FormEvent, useEffect, useId, useState } from "react";
import { useI18n } from "../../i18n";
import { searchApi } from "../../lib/search-api";
import { checkHandle, normalizeHandle } from "../../lib/validation";
import { HandleField } from "../form";
import { FollowButton } from "../post/people";
import { Avatar } from "../post/post-card";
import { PostText, tagHref } from "../post/post-text";
import { profileHref } from "../site-header";

type Trend = { tag: string; authors: number; posts: number };
type Suggestion = Awaited<ReturnType<typeof searchApi.suggestions>>["items"][number];

/** Hashtags of the last 24 hours by how many people used them. */
export function Trending() {
  const { t } = useI18n();
  const [items, setItems] = useState<Trend[] | null>(null);
  const headingId = useId();
  useEffect(() => {
    let live = true;
    searchApi.trending().then(
      (page) => live && setItems(page.items),
      () => live && setItems([]),
    );
    return () => {
      live = false;
    };
  }, []);
  return (
    <section className="card discover-card" aria-labelledby={headingId}>
      <h2 id={headingId} className="card-title">
        {t("discover.trending")}
      </h2>
      {items === null ? <p className="muted">{t("common.loading")}</p> : null}
      {items?.length === 0 ? <p className="muted">{t("discover.trendingNone")}</p> : null}
      {items?.length ? (
        <ol className="trending-list">
          {items.map((item) => (
            <li key={item.tag}>
              <Link href={tagHref(item.tag)}>#{item.tag}</Link>{" "}
              <span className="muted small">{t("discover.trendingPeople", { count: item.authors })}</span>
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}

/** Friends of friends, then popular people, each with a Follow button. */
export function WhoToFollow() {
  const { t } = useI18n();
  const [items, setItems] = useState<Suggestion[] | null>(null);
  const headingId = useId();
  useEffect(() => {
    let live = true;
    searchApi.suggestions().then(
      (page) => live && setItems(page.items),
      () => live && setItems([]),
    );
    return () => {
      live = false;
    };
  }, []);
  const setFollowing = (id: string, on: boolean) =>
    setItems((prev) => prev?.map((p) => (p.id === id ? { ...p, followedByMe: on } : p)) ?? null);
  return (
    <section className="card discover-card" aria-labelledby={headingId}>
      <h2 id={headingId} className="card-title">
        {t("discover.whoToFollow")}
      </h2>
      {items === null ? <p className="muted">{t("common.loading")}</p> : null}
      {items?.length === 0 ? <p className="muted">{t("discover.whoToFollowNone")}</p> : null}
      {items?.length ? (
        <ul className="people-list" aria-label={t("discover.whoToFollow")}>
          {items.map((p) => (
            <li key={p.id} className="person">
              <Avatar name={p.displayName} url={p.avatarUrl} size="small" />
              <div className="person-main">
                <Link href={profileHref(p.handle)}>
                  <span className="person-name">{p.displayName}</span>{" "}
                  <span className="muted">@{p.handle}</span>
                </Link>
                {p.followsMe ? <span className="badge">{t("profile.followsYou")}</span> : null}
                <p className="muted small">
                  {p.reason === "friends"
                    ? t("discover.reason.friends", { count: p.mutuals })
                    : t("discover.reason.popular")}
                </p>
                {p.bio ? <PostText text={p.bio} className="person-bio muted small" /> : null}
              </div>
              <FollowButton
                handle={p.handle}
                following={"followedByMe" in p ? Boolean(p.followedByMe) : false}
                onChange={(on) => setFollowing(p.id, on)}
              />
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

/** Straight to a profile by handle (moved here from the home page). */
export function UserLookup() {
  const { t } = useI18n();
  const router = useRouter();
  const [value, setValue] = useState("");
  const [error, setError] = useState<string | null>(null);
  const headingId = useId();

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const handle = normalizeHandle(value);
    const problem = checkHandle(handle);
    if (problem) {
      setError(problem === "required" ? t("validation.handleRequired") : t("validation.handleInvalid"));
      return;
    }
    setError(null);
    router.push(profileHref(handle));
  };

  return (
    <section className="card discover-card" aria-labelledby={headingId}>
      <h2 id={headingId} className="card-title">
        {t("home.lookup.title")}
      </h2>
      <form onSubmit={onSubmit} noValidate className="lookup form">
        <HandleField
          label={t("home.lookup.label")}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          error={error}
          hint={t("home.lookup.hint")}
        />
        <button type="submit" className="btn btn-primary btn-block">
          {t("home.lookup.submit")}
        </button>
      </form>
    </section>
  );
}
