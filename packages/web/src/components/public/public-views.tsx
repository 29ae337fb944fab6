"use client";
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { useI18n } from "../../i18n";
import { ApiError } from "../../lib/api";
import type { Post, PostPage, Profile, Thread } from "../../lib/api-types";
import { apiErrorMessage } from "../../lib/errors";
import { publicApi } from "../../lib/public-api";
import { Loading, PageShell, useDocumentTitle } from "../page-shell";
import { Avatar, PostCard } from "../post/post-card";
import { PostText } from "../post/post-text";

type Load<T> =
  | { kind: "loading" }
  | { kind: "hidden" }
  | { kind: "missing" }
  | { kind: "error"; error: unknown }
  | { kind: "loaded"; value: T };

function useLoad<T>(read: () => Promise<T>, key: string): Load<T> {
  const [state, setState] = useState<Load<T>>({ kind: "loading" });
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` names what `read` reads.
  useEffect(() => {
    let live = true;
    setState({ kind: "loading" });
    read().then(
      (value) => live && setState({ kind: "loaded", value }),
      (error: unknown) => {
        if (!live) return;
        if (error instanceof ApiError && error.code === "public.sign_in") setState({ kind: "hidden" });
        else if (error instanceof ApiError && (error.status === 404 || error.status === 400))
          setState({ kind: "missing" });
        else setState({ kind: "error", error });
      },
    );
    return () => {
      live = false;
    };
  }, [key]);
  return state;
}

/** Sign up or sign in, then back here. */
function SignUpPrompt({ name }: { name?: string }) {
  const { t } = useI18n();
  const pathname = usePathname();
  const query = useSearchParams().toString();
  const next = encodeURIComponent(`${pathname}${query ? `?${query}` : ""}`);
  return (
    <aside className="card public-prompt" aria-labelledby="public-prompt-title">
      <h2 id="public-prompt-title" className="card-title">
        {t("public.prompt.title")}
      </h2>
      {name ? <p className="muted">{t("public.prompt.lead", { name })}</p> : null}
      <div className="hero-actions">
        <Link href="/signup/" className="btn btn-primary">
          {t("landing.signUp")}
        </Link>
        <Link href={`/signin/?next=${next}`} className="btn btn-secondary">
          {t("landing.signIn")}
        </Link>
      </div>
    </aside>
  );
}

function Unavailable({ state }: { state: Load<unknown> }) {
  const { t } = useI18n();
  if (state.kind === "loading") return <Loading />;
  if (state.kind === "error")
    return (
      <p className="card" role="alert">
        {apiErrorMessage(t, state.error)}
      </p>
    );
  const hidden = state.kind === "hidden";
  return (
    <section className="card empty-state" aria-labelledby="public-missing">
      <h1 id="public-missing">{hidden ? t("public.hidden.title") : t("profile.notFound.title")}</h1>
      <p className="muted">{hidden ? t("public.hidden.lead") : t("notFound.lead")}</p>
    </section>
  );
}

function ReadOnlyPosts({ posts, label }: { posts: Post[]; label: string }) {
  return (
    <ol className="timeline" aria-label={label}>
      {posts.map((post) => (
        <li key={`${post.id}-${post.repostedBy?.id ?? ""}`}>
          <PostCard post={post} readOnly />
        </li>
      ))}
    </ol>
  );
}

/** A profile and its latest posts, as a signed-out visitor sees them. */
export function PublicProfileView({ handle }: { handle: string }) {
  const { t, formatNumber } = useI18n();
  const state = useLoad(
    () => Promise.all([publicApi.profile(handle), publicApi.posts(handle)]) as Promise<[Profile, PostPage]>,
    handle,
  );
  useDocumentTitle(
    state.kind === "loaded" ? `${state.value[0].displayName} (@${handle})` : handle ? `@${handle}` : null,
  );
  if (state.kind !== "loaded")
    return (
      <PageShell narrow>
        <Unavailable state={state} />
        <SignUpPrompt />
      </PageShell>
    );
  const [profile, page] = state.value;
  return (
    <PageShell narrow>
      <section className="card profile-card public-profile" aria-labelledby="public-profile-name">
        <div className="profile-head">
          <Avatar name={profile.displayName} url={profile.avatarUrl} />
          <div>
            <h1 id="public-profile-name" className="profile-name">
              {profile.displayName}
            </h1>
            <p className="muted">@{profile.handle}</p>
          </div>
        </div>
        {profile.bio ? <PostText text={profile.bio} className="profile-bio" /> : null}
        <p className="muted small">
          {formatNumber(profile.followers)} {t("profile.followers", { count: profile.followers })} ·{" "}
          {formatNumber(profile.following)} {t("profile.following")}
        </p>
      </section>
      <SignUpPrompt name={profile.displayName} />
      <ReadOnlyPosts posts={page.items} label={t("public.posts", { name: profile.displayName })} />
    </PageShell>
  );
}

/** A post with its thread, as a signed-out visitor sees it. */
export function PublicPostView({ id }: { id: string }) {
  const { t } = useI18n();
  const state = useLoad<Thread>(() => publicApi.thread(id), id);
  useDocumentTitle(
    state.kind === "loaded" ? t("post.label", { name: state.value.post.author.displayName }) : null,
  );
  if (state.kind !== "loaded")
    return (
      <PageShell narrow>
        <Unavailable state={state} />
        <SignUpPrompt />
      </PageShell>
    );
  const { post, ancestors, replies } = state.value;
  const shownAncestors = ancestors.filter((a): a is Post => !("deleted" in a));
  return (
    <PageShell narrow>
      {shownAncestors.length ? <ReadOnlyPosts posts={shownAncestors} label={t("public.replies")} /> : null}
      <h1 className="visually-hidden">{t("post.label", { name: post.author.displayName })}</h1>
      <PostCard post={post} readOnly highlight />
      <SignUpPrompt name={post.author.displayName} />
      {replies.items.length ? <ReadOnlyPosts posts={replies.items} label={t("public.replies")} /> : null}
    </PageShell>
  );
}
