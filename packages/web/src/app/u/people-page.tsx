"use client";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useCallback, useEffect, useState } from "react";
import { useRequireProfile } from "../../components/guards";
import { Loading, PageShell, useDocumentTitle } from "../../components/page-shell";
import { PeopleList } from "../../components/post/people";
import { profileHref } from "../../components/site-header";
import { useI18n } from "../../i18n";
import { api } from "../../lib/api";
import type { PublicProfile } from "../../lib/api-types";
import { postsApi } from "../../lib/posts-api";
import { normalizeHandle } from "../../lib/validation";

/** Followers or following of the user in `?h=`. */
export function PeoplePage({ which }: { which: "followers" | "following" }) {
  const { t } = useI18n();
  const { me } = useRequireProfile();
  const handle = normalizeHandle(useSearchParams().get("h") ?? "");
  const [profile, setProfile] = useState<PublicProfile | null>(null);
  const meId = me?.id;

  useEffect(() => {
    if (!meId || !handle) return;
    let cancelled = false;
    api.getUser(handle).then(
      (p) => !cancelled && setProfile(p),
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [handle, meId]);

  const name = profile?.displayName ?? `@${handle}`;
  const title =
    which === "followers" ? t("profile.followersOf", { name }) : t("profile.followingOf", { name });
  useDocumentTitle(handle ? title : t("profile.noHandle"));
  const fetchPage = useCallback(
    (cursor: string | null) =>
      which === "followers" ? postsApi.followers(handle, cursor) : postsApi.following(handle, cursor),
    [handle, which],
  );

  if (!me) {
    return (
      <PageShell narrow>
        <Loading />
      </PageShell>
    );
  }
  if (!handle) {
    return (
      <PageShell narrow>
        <section className="card empty-state">
          <h1>{t("profile.noHandle")}</h1>
        </section>
      </PageShell>
    );
  }
  return (
    <PageShell narrow>
      <div className="page-heading">
        <p className="small">
          <Link href={profileHref(handle)}>{t("profile.backTo", { name })}</Link>
        </p>
        <h1>{title}</h1>
      </div>
      <PeopleList
        fetchPage={fetchPage}
        label={title}
        empty={which === "followers" ? t("profile.noFollowers") : t("profile.noFollowing")}
      />
    </PageShell>
  );
}
