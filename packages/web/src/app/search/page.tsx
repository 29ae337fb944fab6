"use client";
import { parse } from "@asyncsns/core/search/query";
import { split } from "@asyncsns/core/search/text";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { type FormEvent, useCallback, useEffect, useState } from "react";
import { Trending, UserLookup, WhoToFollow } from "../../components/discover/discover";
import { useRequireProfile } from "../../components/guards";
import { Loading, PageShell, useDocumentTitle } from "../../components/page-shell";
import { PeopleList } from "../../components/post/people";
import { PostCard } from "../../components/post/post-card";
import { tagHref } from "../../components/post/post-text";
import { profileHref } from "../../components/site-header";
import { useI18n } from "../../i18n";
import { ApiError } from "../../lib/api";
import { type SearchTab, searchApi } from "../../lib/search-api";
import "./search.css";
import type { PostHit } from "../../lib/api-types";

const TABS: SearchTab[] = ["posts", "people", "tags"];

/** Adds or replaces an operator in the query text (filter controls write the syntax for the user). */
function withOperator(q: string, op: string, value: string | null): string {
  const kept = q
    .split(/\s+/)
    .filter((w) => w && !w.toLowerCase().startsWith(`${op}:`))
    .join(" ");
  return value ? `${kept} ${op}:${value}`.trim() : kept;
}

export default function SearchPage() {
  const { t, lang } = useI18n();
  const { me } = useRequireProfile();
  const router = useRouter();
  const params = useSearchParams();
  const q = params.get("q") ?? "";
  const tab = (TABS as string[]).includes(params.get("tab") ?? "")
    ? (params.get("tab") as SearchTab)
    : "posts";
  const sort = params.get("sort") === "relevance" ? "relevance" : "latest";
  const [draft, setDraft] = useState(q);
  const [posts, setPosts] = useState<PostHit[]>([]);
  const fetchPeople = useCallback((from: string | null) => searchApi.users(q, from), [q]);
  const [tags, setTags] = useState<{ tag: string; count: number }[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [status, setStatus] = useState<"idle" | "loading" | "error">("idle");
  const [error, setError] = useState<string | null>(null);
  useDocumentTitle(q ? t("search.titleFor", { q }) : t("search.title"));

  useEffect(() => setDraft(q), [q]);

  const go = (next: { q?: string; tab?: SearchTab; sort?: string }) => {
    const p = new URLSearchParams({ q: next.q ?? q, tab: next.tab ?? tab });
    if ((next.sort ?? sort) === "relevance") p.set("sort", "relevance");
    router.push(`/search/?${p.toString()}`);
  };

  // Checked in the browser with the server's own parser, so mistakes show before a round trip.
  let localError: string | null = null;
  if (tab === "posts" && draft.trim()) {
    try {
      parse(draft);
    } catch (e) {
      localError = (e as Error).message;
    }
  }

  useEffect(() => {
    if (!me || !q.trim()) return;
    let live = true;
    setStatus("loading");
    setError(null);
    const run = async () => {
      if (tab === "posts") {
        const page = await searchApi.posts(q, sort);
        if (!live) return;
        setPosts(page.items);
        setCursor(page.cursor);
      } else if (tab === "people") {
        setCursor(null);
      } else {
        const page = await searchApi.tags(q);
        if (!live) return;
        setTags(page.items);
        setCursor(null);
      }
      setStatus("idle");
    };
    run().catch((e: unknown) => {
      if (!live) return;
      setStatus("error");
      setError(e instanceof ApiError ? e.message : t("search.failed"));
    });
    return () => {
      live = false;
    };
  }, [me, q, tab, sort, t]);

  // Tag suggestions as you type (debounced).
  const [suggestions, setSuggestions] = useState<string[]>([]);
  useEffect(() => {
    const word = draft.split(/\s+/).at(-1) ?? "";
    if (!me || !/^[#＃]./u.test(word)) {
      setSuggestions([]);
      return;
    }
    const timer = setTimeout(() => {
      searchApi
        .tags(word.slice(1))
        .then((page) => setSuggestions(page.items.map((i) => i.tag)))
        .catch(() => setSuggestions([]));
    }, 200);
    return () => clearTimeout(timer);
  }, [draft, me]);

  const more = async () => {
    if (!cursor) return;
    setStatus("loading");
    try {
      if (tab === "posts") {
        const page = await searchApi.posts(q, sort, cursor);
        setPosts((old) => [...old, ...page.items]);
        setCursor(page.cursor);
      }
      setStatus("idle");
    } catch {
      setStatus("error");
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!localError) go({ q: draft.trim() });
  };

  if (!me) {
    return (
      <PageShell narrow>
        <Loading />
      </PageShell>
    );
  }
  const has = (op: string, value: string) =>
    draft.split(/\s+/).some((w) => w.toLowerCase() === `${op}:${value}`);
  const toggle = (op: string, value: string) =>
    setDraft(withOperator(draft, op, has(op, value) ? null : value));
  const dateOf = (op: string) =>
    draft
      .split(/\s+/)
      .find((w) => w.startsWith(`${op}:`))
      ?.slice(op.length + 1) ?? "";

  return (
    <PageShell narrow>
      <h1 className="page-heading">{t("search.title")}</h1>
      <search>
        <form className="card search-form" onSubmit={submit}>
          <label className="visually-hidden" htmlFor="search-q">
            {t("search.label")}
          </label>
          <div className="search-row">
            <input
              id="search-q"
              type="search"
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              placeholder={t("search.placeholder")}
              autoComplete="off"
              aria-invalid={Boolean(localError)}
              aria-describedby={localError ? "search-error" : undefined}
            />
            <button type="submit" className="btn btn-primary" disabled={!draft.trim() || Boolean(localError)}>
              {t("search.submit")}
            </button>
          </div>
          {localError ? (
            <p id="search-error" className="form-error" role="alert">
              {localError}
            </p>
          ) : null}
          {suggestions.length ? (
            <ul className="search-suggestions" aria-label={t("search.suggestions")}>
              {suggestions.map((tag) => (
                <li key={tag}>
                  <button
                    type="button"
                    className="chip"
                    onClick={() => setDraft(`${draft.replace(/[#＃][^\s]*$/u, "")}#${tag}`)}
                  >
                    #{tag}
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
          {tab === "posts" ? (
            <fieldset className="search-filters">
              <legend>{t("search.filters")}</legend>
              {(["image", "video", "audio"] as const).map((kind) => (
                <label key={kind} className="chip">
                  <input type="checkbox" checked={has("has", kind)} onChange={() => toggle("has", kind)} />
                  {t(`search.has.${kind}`)}
                </label>
              ))}
              <label className="chip">
                <input type="checkbox" checked={has("is", "reply")} onChange={() => toggle("is", "reply")} />
                {t("search.replies")}
              </label>
              <label className="chip">
                {t("search.lang")}
                <select
                  value={dateOf("lang")}
                  onChange={(e) => setDraft(withOperator(draft, "lang", e.target.value || null))}
                >
                  <option value="">{t("search.lang.any")}</option>
                  <option value="ja">日本語</option>
                  <option value="en">English</option>
                </select>
              </label>
              <label className="chip">
                {t("search.since")}
                <input
                  type="date"
                  value={dateOf("since")}
                  onChange={(e) => setDraft(withOperator(draft, "since", e.target.value || null))}
                />
              </label>
              <label className="chip">
                {t("search.until")}
                <input
                  type="date"
                  value={dateOf("until")}
                  onChange={(e) => setDraft(withOperator(draft, "until", e.target.value || null))}
                />
              </label>
              <label className="chip">
                {t("search.sort")}
                <select value={sort} onChange={(e) => go({ sort: e.target.value })}>
                  <option value="latest">{t("search.sort.latest")}</option>
                  <option value="relevance">{t("search.sort.relevance")}</option>
                </select>
              </label>
            </fieldset>
          ) : null}
          <details className="search-help">
            <summary>{t("search.help")}</summary>
            <ul>
              <li>
                <code>東京 タワー</code> — {t("search.help.words")}
              </li>
              <li>
                <code>"tokyo tower"</code> — {t("search.help.phrase")}
              </li>
              <li>
                <code>-雨</code> — {t("search.help.exclude")}
              </li>
              <li>
                <code>cats OR dogs</code> — {t("search.help.or")}
              </li>
              <li>
                <code>from:alice to:bob #tag</code> — {t("search.help.people")}
              </li>
              <li>
                <code>has:image is:reply lang:ja</code> — {t("search.help.filters")}
              </li>
              <li>
                <code>since:2025-01-01 until:2025-01-31</code> — {t("search.help.dates")}
              </li>
            </ul>
          </details>
        </form>
      </search>

      <div role="tablist" aria-label={t("search.tabs")} className="search-tabs">
        {TABS.map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            aria-selected={tab === name}
            className={tab === name ? "tab tab-active" : "tab"}
            onClick={() => go({ tab: name, q: draft.trim() || q })}
          >
            {t(`search.tab.${name}`)}
          </button>
        ))}
      </div>

      <section role="tabpanel" aria-label={t(`search.tab.${tab}`)} aria-busy={status === "loading"}>
        {!q.trim() ? (
          <div className="discover">
            <p className="muted">{t("search.start")}</p>
            <Trending />
            <WhoToFollow />
            <UserLookup />
          </div>
        ) : null}
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        {q.trim() && tab === "posts" ? (
          <ol className="search-results">
            {posts.map((hit) => (
              <li key={hit.id} className="search-hit">
                <PostCard post={hit} highlights={hit.highlights} />
              </li>
            ))}
          </ol>
        ) : null}
        {q.trim() && tab === "people" ? (
          <PeopleList fetchPage={fetchPeople} label={t("search.tab.people")} empty={t("search.none")} />
        ) : null}
        {q.trim() && tab === "tags" ? (
          <ul className="search-results">
            {tags.map((tag) => (
              <li key={tag.tag} className="card search-hit">
                <Link href={tagHref(tag.tag)}>#{tag.tag}</Link>{" "}
                <span className="muted">{t("search.tagCount", { count: tag.count })}</span>
              </li>
            ))}
          </ul>
        ) : null}
        {q.trim() && status === "idle" && !error && tab === "posts" && posts.length === 0 ? (
          <p className="muted">{t("search.none")}</p>
        ) : null}
        {q.trim() && status === "idle" && tab === "tags" && tags.length === 0 ? (
          <p className="muted">{t("search.none")}</p>
        ) : null}
        {cursor && tab === "posts" ? (
          <button type="button" className="btn btn-ghost" onClick={more} disabled={status === "loading"}>
            {t("search.more")}
          </button>
        ) : null}
      </section>
    </PageShell>
  );
}
