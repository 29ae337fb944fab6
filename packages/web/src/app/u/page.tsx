"use client";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { type FormEvent, useEffect, useId, useMemo, useRef, useState } from "react";
import { type AvatarChoice, AvatarField } from "../../components/avatar-field";
import { CallButtons } from "../../components/calls/call-buttons";
import { MessageButton } from "../../components/chat/message-button";
import { FormAlert, FormStatus, focusFirstInvalid, TextAreaField, TextField } from "../../components/form";
import { useRequireProfile } from "../../components/guards";
import { ReportButton } from "../../components/moderation/report-dialog";
import { Loading, PageShell } from "../../components/page-shell";
import { FollowButton } from "../../components/post/people";
import { PostText } from "../../components/post/post-text";
import { Timeline } from "../../components/post/timeline";
import { PublicProfileView } from "../../components/public/public-views";
import { ProfileSafetyMenu } from "../../components/safety/profile-menu";
import { useReturnFocus } from "../../components/use-return-focus";
import { useI18n } from "../../i18n";
import { ApiError, api } from "../../lib/api";
import type { Profile, PublicProfile } from "../../lib/api-types";
import { useApp } from "../../lib/app-context";
import { apiErrorMessage } from "../../lib/errors";
import { postsApi } from "../../lib/posts-api";
import {
  BIO_MAX,
  checkBio,
  checkDisplayName,
  DISPLAY_NAME_MAX,
  graphemeLength,
  normalizeHandle,
} from "../../lib/validation";

type State =
  | { kind: "loading" }
  | { kind: "notFound" }
  | { kind: "error"; error: unknown }
  | { kind: "loaded"; profile: PublicProfile };

export default function ProfilePage() {
  const { auth } = useApp();
  const handle = normalizeHandle(useSearchParams().get("h") ?? "");
  // A shared link opened signed out: the public, read-only profile.
  return auth.signedIn ? <SignedInProfile /> : <PublicProfileView handle={handle} />;
}

function SignedInProfile() {
  const { t } = useI18n();
  const { me } = useRequireProfile();
  const handle = normalizeHandle(useSearchParams().get("h") ?? "");
  const [state, setState] = useState<State>({ kind: "loading" });
  const [attempt, setAttempt] = useState(0);
  const meId = me?.id;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` re-runs the load on retry.
  useEffect(() => {
    if (!meId) return;
    if (!handle) {
      setState({ kind: "notFound" });
      return;
    }
    let cancelled = false;
    setState({ kind: "loading" });
    api.getUser(handle).then(
      (profile) => !cancelled && setState({ kind: "loaded", profile }),
      (error: unknown) => {
        if (cancelled) return;
        if (error instanceof ApiError && error.status === 404) setState({ kind: "notFound" });
        else setState({ kind: "error", error });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [handle, meId, attempt]);

  useEffect(() => {
    if (state.kind === "loaded")
      document.title = `${state.profile.displayName} (@${state.profile.handle}) · asyncsns`;
    else if (state.kind === "notFound") document.title = `${t("profile.notFound.title")} · asyncsns`;
  }, [state, t]);

  let body: React.ReactNode;
  if (!me || state.kind === "loading") body = <Loading />;
  else if (state.kind === "notFound") {
    body = (
      <section className="card empty-state" aria-labelledby="profile-missing">
        <h1 id="profile-missing">{t("profile.notFound.title")}</h1>
        <p className="muted">{handle ? t("profile.notFound.lead", { handle }) : t("profile.noHandle")}</p>
        <Link href="/" className="btn btn-primary">
          {t("notFound.home")}
        </Link>
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
    body = (
      <ProfileView
        key={state.profile.id}
        profile={state.profile}
        isMe={state.profile.id === me.id}
        onSaved={(saved) => setState({ kind: "loaded", profile: { ...state.profile, ...saved } })}
      />
    );
  }
  return <PageShell narrow>{body}</PageShell>;
}

function initials(name: string): string {
  return [...name.trim()].slice(0, 1).join("").toUpperCase() || "?";
}

function ProfileView({
  profile,
  isMe,
  onSaved,
}: {
  profile: PublicProfile;
  isMe: boolean;
  onSaved: (profile: Profile) => void;
}) {
  const { t, formatNumber } = useI18n();
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  const editButton = useReturnFocus<HTMLButtonElement>(editing);
  const titleId = useId();
  const postsId = useId();
  const [follow, setFollow] = useState({ on: profile.followedByMe, followers: profile.followers });
  const fetchPosts = useMemo(() => postsApi.userPosts(profile.handle), [profile.handle]);
  const [relation, setRelation] = useState({ blocking: profile.blocking, muting: profile.muting });
  // A block either way closes every way to reach each other; the page says which.
  const blocked = relation.blocking || profile.blockedBy;

  return (
    <article className="profile" aria-labelledby={titleId}>
      <div className="profile-banner" aria-hidden="true" />
      <div className="card profile-card">
        <div className="profile-top">
          {profile.avatarUrl ? (
            // biome-ignore lint/performance/noImgElement: a static export has no image optimizer.
            <img className="avatar avatar-large" src={profile.avatarUrl} alt="" width={96} height={96} />
          ) : (
            <span className="avatar avatar-large" aria-hidden="true">
              {initials(profile.displayName)}
            </span>
          )}
          {isMe && !editing ? (
            <button
              ref={editButton.ref}
              type="button"
              className="btn btn-secondary"
              onClick={() => {
                setSaved(false);
                setEditing(true);
              }}
            >
              {t("profile.edit")}
            </button>
          ) : null}
          {!isMe && !blocked ? <MessageButton handle={profile.handle} /> : null}
          {!isMe ? <ReportButton target={{ type: "user", id: profile.id }} /> : null}
          {!isMe && !blocked ? (
            <FollowButton
              handle={profile.handle}
              following={follow.on}
              onChange={(on) =>
                setFollow((prev) => ({
                  on,
                  followers: Math.max(0, prev.followers + (on === prev.on ? 0 : on ? 1 : -1)),
                }))
              }
            />
          ) : null}
          {!isMe ? (
            <ProfileSafetyMenu
              handle={profile.handle}
              relation={relation}
              onChange={(next) => {
                // Blocking ends both follows.
                if (next.blocking && !relation.blocking)
                  setFollow((prev) => ({
                    on: false,
                    followers: prev.on ? Math.max(0, prev.followers - 1) : prev.followers,
                  }));
                setRelation(next);
              }}
            />
          ) : null}
        </div>
        <h1 id={titleId} className="profile-name">
          {profile.displayName}
        </h1>
        <p className="profile-handle">
          <span>@{profile.handle}</span>
          {isMe ? <span className="badge">{t("profile.you")}</span> : null}
          {!isMe && profile.followsMe && !blocked ? (
            <span className="badge">{t("profile.followsYou")}</span>
          ) : null}
          {relation.muting ? <span className="badge">{t("safety.mutedBadge")}</span> : null}
        </p>
        {blocked ? (
          <p className="card blocked-state" role="status">
            {relation.blocking
              ? t("safety.youBlocked", { handle: profile.handle })
              : t("safety.blockedYou", { handle: profile.handle })}
          </p>
        ) : null}
        {/* Mutual follows may call each other (so may people who share a 1:1 room: its header has the buttons). */}
        {!isMe && !blocked && follow.on && profile.followsMe ? (
          <div className="profile-calls">
            <CallButtons handle={profile.handle} name={profile.displayName} />
          </div>
        ) : null}
        {editing ? (
          <EditProfileForm
            profile={profile}
            onCancel={() => {
              editButton.returnFocus();
              setEditing(false);
            }}
            onSaved={(next) => {
              onSaved(next);
              setEditing(false);
              setSaved(true);
              editButton.returnFocus();
            }}
          />
        ) : (
          <>
            {profile.bio ? (
              <PostText text={profile.bio} className="profile-bio" />
            ) : (
              <p className="profile-bio muted">{t("profile.noBio")}</p>
            )}
            <ul className="profile-counts">
              <li>
                <Link href={`/u/following/?h=${encodeURIComponent(profile.handle)}`}>
                  <strong>{formatNumber(profile.following)}</strong> {t("profile.following")}
                </Link>
              </li>
              <li>
                <Link href={`/u/followers/?h=${encodeURIComponent(profile.handle)}`}>
                  <strong>{formatNumber(follow.followers)}</strong>{" "}
                  {t("profile.followers", { count: follow.followers })}
                </Link>
              </li>
            </ul>
          </>
        )}
        <FormStatus>{saved ? t("profile.saved") : null}</FormStatus>
      </div>
      {blocked ? null : (
        <section aria-labelledby={postsId}>
          <h2 id={postsId} className="section-title">
            {t("profile.posts.title")}
          </h2>
          <Timeline
            feedKey={profile.id}
            fetcher={fetchPosts}
            label={t("profile.posts.title")}
            empty={<p>{t("profile.posts.empty")}</p>}
            accept={(post) => post.author.id === profile.id && !post.repostedBy}
          />
        </section>
      )}
    </article>
  );
}

function EditProfileForm({
  profile,
  onCancel,
  onSaved,
}: {
  profile: Profile;
  onCancel: () => void;
  onSaved: (profile: Profile) => void;
}) {
  const { t } = useI18n();
  const { setMe } = useApp();
  const formRef = useRef<HTMLFormElement>(null);
  const [displayName, setDisplayName] = useState(profile.displayName);
  const [bio, setBio] = useState(profile.bio ?? "");
  const [avatar, setAvatar] = useState<{ choice: AvatarChoice; busy: boolean }>({
    choice: undefined,
    busy: false,
  });
  const [errors, setErrors] = useState<{ displayName?: string; bio?: string }>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const headingId = useId();
  const bioLength = graphemeLength(bio);

  useEffect(() => {
    formRef.current?.querySelector<HTMLInputElement>("input:not([type=file])")?.focus();
  }, []);

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setFormError(null);
    const found: { displayName?: string; bio?: string } = {};
    const nameProblem = checkDisplayName(displayName);
    if (nameProblem === "required") found.displayName = t("validation.displayNameRequired");
    if (nameProblem === "tooLong") found.displayName = t("validation.displayNameTooLong");
    if (checkBio(bio)) found.bio = t("validation.bioTooLong");
    setErrors(found);
    if (Object.keys(found).length > 0) {
      focusFirstInvalid(formRef.current);
      return;
    }
    if (avatar.busy) return;
    setBusy(true);
    try {
      const next = await api.updateMe({
        displayName: displayName.trim(),
        bio: bio.trim(),
        ...(avatar.choice !== undefined ? { avatarMediaId: avatar.choice } : {}),
      });
      setMe(next);
      onSaved(next);
    } catch (err) {
      setBusy(false);
      setFormError(apiErrorMessage(t, err));
    }
  };

  return (
    <form
      ref={formRef}
      onSubmit={onSubmit}
      noValidate
      className="form edit-form"
      aria-labelledby={headingId}
      onKeyDown={(e) => {
        if (e.key === "Escape") onCancel();
      }}
    >
      <h2 id={headingId} className="card-title">
        {t("profile.editTitle")}
      </h2>
      <FormAlert>{formError}</FormAlert>
      <AvatarField
        currentUrl={profile.avatarUrl}
        initial={[...profile.displayName][0] ?? "?"}
        onChange={(choice, busy) => setAvatar({ choice, busy })}
      />
      <TextField
        label={t("profile.displayName")}
        name="displayName"
        required
        maxLength={DISPLAY_NAME_MAX * 2}
        value={displayName}
        onChange={(e) => setDisplayName(e.target.value)}
        error={errors.displayName}
      />
      <TextAreaField
        label={t("profile.bio")}
        name="bio"
        rows={4}
        value={bio}
        onChange={(e) => setBio(e.target.value)}
        error={errors.bio}
        hint={
          <span className={bioLength > BIO_MAX ? "count count-over" : "count"}>
            {t("profile.bioCount", { count: bioLength, max: BIO_MAX })}
          </span>
        }
      />
      <div className="form-actions">
        <button type="button" className="btn btn-ghost" onClick={onCancel} disabled={busy}>
          {t("common.cancel")}
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy || avatar.busy} aria-busy={busy}>
          {busy ? t("common.saving") : t("common.save")}
        </button>
      </div>
    </form>
  );
}
