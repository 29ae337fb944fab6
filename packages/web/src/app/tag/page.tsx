"use client";
import { Text } from "@asyncsns/core/text";
import { useSearchParams } from "next/navigation";
import { useMemo } from "react";
import { useRequireProfile } from "../../components/guards";
import { Loading, PageShell, useDocumentTitle } from "../../components/page-shell";
import { Composer } from "../../components/post/composer";
import { Timeline } from "../../components/post/timeline";
import { useI18n } from "../../i18n";
import { postsApi } from "../../lib/posts-api";

export default function TagPage() {
  const { t } = useI18n();
  const { me } = useRequireProfile();
  const raw = (useSearchParams().get("t") ?? "").trim().replace(/^[#＃]/, "");
  const tag = raw ? Text.normalizeTag(raw) : "";
  const fetcher = useMemo(() => postsApi.tagPosts(tag), [tag]);
  useDocumentTitle(tag ? t("tag.title", { tag: raw }) : t("tag.missing"));

  if (!me) {
    return (
      <PageShell narrow>
        <Loading />
      </PageShell>
    );
  }
  if (!tag) {
    return (
      <PageShell narrow>
        <section className="card empty-state">
          <h1>{t("tag.missing")}</h1>
        </section>
      </PageShell>
    );
  }
  return (
    <PageShell narrow>
      <h1 className="page-heading">{t("tag.title", { tag: raw })}</h1>
      <Composer key={tag} />
      <Timeline
        feedKey={tag}
        fetcher={fetcher}
        label={t("tag.title", { tag: raw })}
        empty={<p>{t("timeline.empty.tag", { tag: raw })}</p>}
        accept={(post) => !post.replyTo && post.hashtags.includes(tag)}
      />
    </PageShell>
  );
}
