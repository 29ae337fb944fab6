"use client";
import { type ReactNode, useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { useI18n } from "../../i18n";
import type { Post, PostPage } from "../../lib/api-types";
import { apiErrorMessage } from "../../lib/errors";
import { type LocalPost, postEvents } from "../../lib/post-events";
import type { PageFetcher } from "../../lib/posts-api";
import { Icon } from "./icons";
import { PostCard } from "./post-card";

/** How often the head of a newest-first timeline is checked for new posts. */
export const POLL_MS = 15_000;
const PAGE_SIZE = 20;

interface Entry {
  key: string;
  post: Post;
  local?: LocalPost;
}

/** A repost is its own entry: the same post can sit twice in a timeline, once reposted. */
export function entryKey(post: Post): string {
  return post.repostedBy ? `${post.id}:repost:${post.repostedBy.id}` : post.id;
}

const toEntries = (items: Post[]): Entry[] => items.map((post) => ({ key: entryKey(post), post }));

function dedupe(entries: Entry[]): Entry[] {
  const seen = new Set<string>();
  return entries.filter((e) => {
    if (seen.has(e.key)) return false;
    seen.add(e.key);
    return true;
  });
}

/** Whether the newest post is in view: its top is below the sticky header (or there is none yet). */
function atTop(list: HTMLOListElement | null): boolean {
  const first = list?.firstElementChild;
  if (!first) return window.scrollY < 200;
  const header = document.querySelector(".site-header")?.getBoundingClientRect().bottom ?? 0;
  return first.getBoundingClientRect().top >= header - 1;
}

export function Timeline({
  feedKey,
  fetcher,
  label,
  empty,
  accept,
  order = "newest",
  firstPage,
  live,
}: {
  /** Changing it starts the timeline over. */
  feedKey: string;
  fetcher: PageFetcher;
  label: string;
  empty: ReactNode;
  /** Whether a post just written here belongs in this timeline (shown at once, pending). */
  accept?: (post: Post) => boolean;
  /** Threads list replies oldest first, with new ones at the end and no head polling. */
  order?: "newest" | "oldest";
  /** A first page already fetched (a thread's replies come with the thread). */
  firstPage?: PostPage;
  /** Posts pushed as they are written (home over the socket); head polling stays as the fallback. */
  live?: (onPost: (post: Post) => void) => () => void;
}) {
  const { t } = useI18n();
  const [entries, setEntries] = useState<Entry[]>(() => (firstPage ? toEntries(firstPage.items) : []));
  const [cursor, setCursor] = useState<string | null>(firstPage?.cursor ?? null);
  const [status, setStatus] = useState<"loading" | "idle" | "error">(firstPage ? "idle" : "loading");
  const [error, setError] = useState<unknown>(null);
  const [incoming, setIncoming] = useState<Entry[]>([]);
  const [announce, setAnnounce] = useState("");
  const entriesRef = useRef(entries);
  entriesRef.current = entries;
  const fetcherRef = useRef(fetcher);
  fetcherRef.current = fetcher;
  const acceptRef = useRef(accept);
  acceptRef.current = accept;
  const listRef = useRef<HTMLOListElement>(null);
  const sentinel = useRef<HTMLDivElement>(null);
  const anchor = useRef<{ key: string; top: number; focusKey: string } | null>(null);
  const generation = useRef(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: restarts only when the feed changes.
  useEffect(() => {
    const gen = ++generation.current;
    setIncoming([]);
    if (firstPage) {
      setEntries(toEntries(firstPage.items));
      setCursor(firstPage.cursor);
      setStatus("idle");
      return;
    }
    setEntries([]);
    setCursor(null);
    setStatus("loading");
    fetcherRef.current(null, PAGE_SIZE).then(
      (page) => {
        if (gen !== generation.current) return;
        setEntries((prev) => dedupe([...prev.filter((e) => e.local), ...toEntries(page.items)]));
        setCursor(page.cursor);
        setStatus("idle");
      },
      (err: unknown) => {
        if (gen !== generation.current) return;
        setError(err);
        setStatus("error");
      },
    );
  }, [feedKey]);

  const loadMore = useCallback(async () => {
    if (!cursor || status === "loading") return;
    const gen = generation.current;
    setStatus("loading");
    try {
      const page = await fetcherRef.current(cursor, PAGE_SIZE);
      if (gen !== generation.current) return;
      setEntries((prev) => dedupe([...prev, ...toEntries(page.items)]));
      setCursor(page.cursor);
      setStatus("idle");
    } catch (err) {
      if (gen !== generation.current) return;
      setError(err);
      setStatus("error");
    }
  }, [cursor, status]);

  // Infinite scroll; the "Load more" button below does the same for keyboards and screen readers.
  useEffect(() => {
    const target = sentinel.current;
    if (!target || !cursor || status !== "idle") return;
    const observer = new IntersectionObserver(
      (records) => {
        if (records.some((r) => r.isIntersecting)) void loadMore();
      },
      { rootMargin: "600px 0px" },
    );
    observer.observe(target);
    return () => observer.disconnect();
  }, [cursor, status, loadMore]);

  // Poll the head: new posts wait behind a pill; posts already shown get fresh counts.
  // biome-ignore lint/correctness/useExhaustiveDependencies: one poller per feed.
  useEffect(() => {
    if (order !== "newest") return;
    const gen = generation.current;
    const timer = setInterval(async () => {
      if (document.visibilityState !== "visible") return;
      const page = await fetcherRef.current(null, PAGE_SIZE).catch(() => null);
      if (!page || gen !== generation.current) return;
      const shown = new Map(entriesRef.current.map((e) => [e.key, e]));
      const fresh: Entry[] = [];
      for (const entry of toEntries(page.items)) {
        if (shown.has(entry.key)) break;
        fresh.push(entry);
      }
      const byKey = new Map(toEntries(page.items).map((e) => [e.key, e.post]));
      setEntries((prev) =>
        prev.map((e) => (byKey.has(e.key) && !e.local ? { ...e, post: byKey.get(e.key)! } : e)),
      );
      if (fresh.length) setIncoming((prev) => dedupe([...fresh, ...prev]));
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [feedKey, order]);

  // A pushed post shows inline when the reader is at the top, else behind the pill like a polled one.
  useEffect(() => {
    if (!live || order !== "newest") return;
    return live((post) => {
      if (acceptRef.current && !acceptRef.current(post)) return;
      const entry: Entry = { key: entryKey(post), post };
      if (entriesRef.current.some((e) => e.key === entry.key || (e.local && e.post.id === post.id))) return;
      if (atTop(listRef.current)) {
        setEntries((prev) => dedupe([entry, ...prev]));
        setIncoming((prev) => prev.filter((e) => e.key !== entry.key));
        setAnnounce(t("timeline.inserted", { count: 1 }));
      } else setIncoming((prev) => dedupe([entry, ...prev]));
    });
  }, [live, order, t]);

  useEffect(
    () =>
      postEvents.subscribe((event) => {
        switch (event.type) {
          case "optimistic": {
            if (acceptRef.current && !acceptRef.current(event.post)) return;
            const entry: Entry = { key: event.local.tempId, post: event.post, local: event.local };
            setEntries((prev) =>
              prev.some((e) => e.key === entry.key)
                ? prev.map((e) => (e.key === entry.key ? entry : e))
                : order === "newest"
                  ? [entry, ...prev]
                  : [...prev, entry],
            );
            return;
          }
          case "confirmed": {
            const key = entryKey(event.post);
            const parent = event.post.replyTo;
            // A reply made on this page counts on its parent at once, as the server now does.
            const counted = (e: Entry): Entry =>
              parent && e.post.id === parent ? { ...e, post: { ...e.post, replies: e.post.replies + 1 } } : e;
            setEntries((prev) =>
              dedupe(prev.map((e) => (e.key === event.tempId ? { key, post: event.post } : counted(e)))),
            );
            setIncoming((prev) => prev.filter((e) => e.key !== key));
            return;
          }
          case "updated": {
            const { post } = event;
            const merge = (e: Entry): Entry =>
              e.post.id === post.id ? { ...e, post: { ...post, repostedBy: e.post.repostedBy } } : e;
            setEntries((prev) => prev.map(merge));
            setIncoming((prev) => prev.map(merge));
            return;
          }
          case "deleted": {
            const keep = (e: Entry) => e.post.id !== event.id && e.key !== event.id;
            setEntries((prev) => prev.filter(keep));
            setIncoming((prev) => prev.filter(keep));
            return;
          }
        }
      }),
    [order],
  );

  const showIncoming = () => {
    const list = listRef.current;
    const count = incoming.length;
    if (!count) return;
    // Remember where the first post in view sits, so inserting above it moves nothing on screen.
    const header = document.querySelector(".site-header")?.getBoundingClientRect().bottom ?? 0;
    const visible = [...(list?.children ?? [])].find((li) => li.getBoundingClientRect().bottom > header);
    const focusKey = incoming[0]!.key;
    anchor.current = visible
      ? {
          key: (visible as HTMLElement).dataset.key ?? "",
          top: visible.getBoundingClientRect().top,
          focusKey,
        }
      : { key: "", top: 0, focusKey };
    setEntries((prev) => dedupe([...incoming, ...prev]));
    setIncoming([]);
    setAnnounce(t("timeline.inserted", { count }));
  };

  useLayoutEffect(() => {
    const saved = anchor.current;
    if (!saved) return;
    anchor.current = null;
    const list = listRef.current;
    const el = saved.key ? list?.querySelector<HTMLElement>(`li[data-key="${CSS.escape(saved.key)}"]`) : null;
    if (el) window.scrollBy(0, el.getBoundingClientRect().top - saved.top);
    // Keyboard and screen reader users land on the first new post; the page does not scroll.
    list
      ?.querySelector<HTMLElement>(`li[data-key="${CSS.escape(saved.focusKey)}"] article`)
      ?.focus({ preventScroll: true });
  });

  const pill = t("timeline.newPosts", { count: incoming.length });

  return (
    <div className="timeline">
      {incoming.length ? (
        <div className="timeline-pill-slot">
          <button type="button" className="btn btn-primary timeline-pill" onClick={showIncoming}>
            <Icon name="up" size={18} />
            {pill}
          </button>
        </div>
      ) : null}
      <p className="visually-hidden" role="status">
        {announce}
      </p>
      {status === "error" && entries.length === 0 ? (
        <div className="card" role="alert">
          <p>{apiErrorMessage(t, error)}</p>
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => {
              setStatus("loading");
              generation.current++;
              fetcherRef.current(null, PAGE_SIZE).then(
                (page) => {
                  setEntries(toEntries(page.items));
                  setCursor(page.cursor);
                  setStatus("idle");
                },
                (err: unknown) => {
                  setError(err);
                  setStatus("error");
                },
              );
            }}
          >
            {t("common.retry")}
          </button>
        </div>
      ) : null}
      {entries.length === 0 && status === "idle" ? (
        <div className="card empty-state muted">{empty}</div>
      ) : null}
      {entries.length ? (
        <ol ref={listRef} className="timeline-list" aria-label={label} aria-busy={status === "loading"}>
          {entries.map((entry) => (
            <li key={entry.key} data-key={entry.key}>
              <PostCard
                post={entry.post}
                local={
                  entry.local
                    ? {
                        state: entry.local.state,
                        error: entry.local.error,
                        retry: entry.local.retry,
                        discard: entry.local.discard,
                      }
                    : undefined
                }
              />
            </li>
          ))}
        </ol>
      ) : null}
      <div ref={sentinel} className="timeline-sentinel" aria-hidden="true" />
      {status === "loading" ? (
        <div className="loading" aria-busy="true">
          <span className="spinner" aria-hidden="true" />
          <span role="status">{entries.length ? t("timeline.loadingMore") : t("common.loading")}</span>
        </div>
      ) : null}
      {status === "error" && entries.length > 0 ? (
        <p className="field-error" role="alert">
          {apiErrorMessage(t, error)}
        </p>
      ) : null}
      {cursor && status !== "loading" ? (
        <div className="timeline-more">
          <button type="button" className="btn btn-secondary" onClick={() => void loadMore()}>
            {t("timeline.loadMore")}
          </button>
        </div>
      ) : null}
      {!cursor && status === "idle" && entries.length > 0 && order === "newest" ? (
        <p className="timeline-end muted small">{t("timeline.end")}</p>
      ) : null}
    </div>
  );
}
