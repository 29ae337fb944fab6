"use client";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { useRequireProfile } from "../../components/guards";
import { Loading, PageShell } from "../../components/page-shell";
import { Composer } from "../../components/post/composer";
import { PostCard, postHref } from "../../components/post/post-card";
import { Timeline } from "../../components/post/timeline";
import { PublicPostView } from "../../components/public/public-views";
import { useI18n } from "../../i18n";
import { ApiError } from "../../lib/api";
import type { Thread } from "../../lib/api-types";
import { useApp } from "../../lib/app-context";
import { apiErrorMessage } from "../../lib/errors";
import { postEvents } from "../../lib/post-events";
import { isDeleted, type PageFetcher, postsApi } from "../../lib/posts-api";

type State =
  | { kind: "loading" }
  | { kind: "notFound" }
  | { kind: "error"; error: unknown }
  | { kind: "loaded"; thread: Thread };

export default function PostPage() {
  const { auth } = useApp();
  const id = useSearchParams().get("id") ?? "";
  // A shared link opened signed out: the public, read-only thread.
  return auth.signedIn ? <SignedInPost /> : <PublicPostView id={id} />;
}

function SignedInPost() {
  const { t } = useI18n();
  const { me } = useRequireProfile();
  const id = useSearchParams().get("id") ?? "";
  const router = useRouter();
  const [state, setState] = useState<State>({ kind: "loading" });
  const [attempt, setAttempt] = useState(0);
  const headingId = useId();
  const repliesId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const meId = me?.id;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` re-runs the load on retry.
  useEffect(() => {
    if (!meId) return;
    if (!id) {
      setState({ kind: "notFound" });
      return;
    }
    let cancelled = false;
    setState({ kind: "loading" });
    postsApi.thread(id).then(
      (thread) => !cancelled && setState({ kind: "loaded", thread }),
      (error: unknown) => {
        if (cancelled) return;
        if (error instanceof ApiError && (error.status === 404 || error.status === 400))
          setState({ kind: "notFound" });
        else setState({ kind: "error", error });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [id, meId, attempt]);

  // This post edited or deleted (here or in a dialog on this page): follow it.
  useEffect(
    () =>
      postEvents.subscribe((event) => {
        if (event.type === "deleted" && event.id === id) setState({ kind: "notFound" });
        if (event.type === "updated" && event.post.id === id)
          setState((prev) =>
            prev.kind === "loaded" ? { kind: "loaded", thread: { ...prev.thread, post: event.post } } : prev,
          );
        // A reply to this post made here: its count follows at once.
        if (event.type === "confirmed" && event.post.replyTo === id)
          setState((prev) => {
            if (prev.kind !== "loaded") return prev;
            const post = { ...prev.thread.post, replies: prev.thread.post.replies + 1 };
            return { kind: "loaded", thread: { ...prev.thread, post } };
          });
      }),
    [id],
  );

  useEffect(() => {
    if (state.kind === "loaded") {
      const { post } = state.thread;
      const snippet = [...post.text].slice(0, 40).join("");
      document.title = `${post.author.displayName}: ${snippet} · asyncsns`;
    } else if (state.kind === "notFound") document.title = `${t("thread.notFound")} · asyncsns`;
  }, [state, t]);

  const repliesFetcher = useMemo<PageFetcher | null>(() => {
    if (state.kind !== "loaded") return null;
    const first = state.thread.replies;
    const postId = state.thread.post.id;
    return (cursor, limit) => (cursor ? postsApi.replies(postId, cursor, limit) : Promise.resolve(first));
  }, [state]);

  let body: React.ReactNode;
  if (!me || state.kind === "loading") body = <Loading />;
  else if (state.kind === "notFound") {
    body = (
      <section className="card empty-state" aria-labelledby={headingId}>
        <h1 id={headingId}>{id ? t("thread.notFound") : t("thread.missingId")}</h1>
        <button type="button" className="btn btn-primary" onClick={() => router.push("/")}>
          {t("notFound.home")}
        </button>
      </section>
    );
  } else if (state.kind === "error") {
    body = (
      <div className="card" role="alert">
        <p>{apiErrorMessage(t, state.error)}</p>
        <button type="button" className="btn btn-primary" onClick={() => setAttempt((n) => n + 1)}>
          {t("common.retry")}
        </button>
      </div>
    );
  } else {
    const { thread } = state;
    body = (
      <>
        <h1 id={headingId} ref={heading} className="visually-hidden">
          {t("thread.title")}
        </h1>
        {thread.ancestors.length ? (
          <ol className="thread-ancestors">
            {thread.ancestors.map((item) => (
              <li key={item.id}>
                {isDeleted(item) ? (
                  <p className="post-tombstone">{t("post.deleted")}</p>
                ) : (
                  <PostCard post={item} />
                )}
              </li>
            ))}
          </ol>
        ) : null}
        <PostCard post={thread.post} highlight />
        <div className="section-title">
          <Composer replyTo={thread.post.id} />
        </div>
        <section aria-labelledby={repliesId}>
          <h2 id={repliesId} className="section-title">
            {t("thread.replies")}
          </h2>
          {repliesFetcher ? (
            <Timeline
              feedKey={`replies:${thread.post.id}`}
              fetcher={repliesFetcher}
              firstPage={thread.replies}
              order="oldest"
              label={t("thread.replies")}
              empty={<p>{t("thread.noReplies")}</p>}
              accept={(post) => post.replyTo === thread.post.id}
            />
          ) : null}
        </section>
        {thread.post.replyTo && thread.ancestors.length === 0 ? (
          <p>
            <Link href={postHref(thread.post.replyTo)}>{t("post.replyTo")}</Link>
          </p>
        ) : null}
      </>
    );
  }
  return <PageShell narrow>{body}</PageShell>;
}
