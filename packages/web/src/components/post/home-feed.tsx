"use client";
import { type KeyboardEvent, useCallback, useId, useRef, useState } from "react";
import { useI18n } from "../../i18n";
import type { Post } from "../../lib/api-types";
import { postsApi } from "../../lib/posts-api";
import { useRealtime } from "../../lib/realtime-context";
import { Composer } from "./composer";
import { Timeline } from "./timeline";

type Tab = "home" | "public";
const TABS: Tab[] = ["home", "public"];
const topLevel = (post: Post) => !post.replyTo;

/** The composer above two timelines: the people you follow (and you), and everyone. */
export function HomeFeed() {
  const { t } = useI18n();
  const [tab, setTab] = useState<Tab>("home");
  const id = useId();
  const tabRefs = useRef<Record<Tab, HTMLButtonElement | null>>({ home: null, public: null });
  const { client } = useRealtime();
  // Fan-out tells followers online of each new home entry (`timeline.post`).
  const live = useCallback(
    (onPost: (post: Post) => void) =>
      client ? client.on("timeline.post", ({ post }) => onPost(post as unknown as Post)) : () => {},
    [client],
  );

  const onKeyDown = (e: KeyboardEvent) => {
    const i = TABS.indexOf(tab);
    let next: Tab | undefined;
    if (e.key === "ArrowRight") next = TABS[(i + 1) % TABS.length];
    else if (e.key === "ArrowLeft") next = TABS[(i - 1 + TABS.length) % TABS.length];
    else if (e.key === "Home") next = TABS[0];
    else if (e.key === "End") next = TABS[TABS.length - 1];
    if (!next) return;
    e.preventDefault();
    setTab(next);
    tabRefs.current[next]?.focus();
  };

  return (
    <>
      <Composer />
      <div role="tablist" aria-label={t("timeline.label")} className="tabs" onKeyDown={onKeyDown}>
        {TABS.map((name) => (
          <button
            key={name}
            ref={(el) => {
              tabRefs.current[name] = el;
            }}
            type="button"
            role="tab"
            id={`${id}-tab-${name}`}
            aria-selected={tab === name}
            aria-controls={`${id}-panel`}
            tabIndex={tab === name ? 0 : -1}
            className="tab"
            onClick={() => setTab(name)}
          >
            {name === "home" ? t("timeline.home") : t("timeline.public")}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-tab-${tab}`}>
        <Timeline
          key={tab}
          feedKey={tab}
          fetcher={tab === "home" ? postsApi.home : postsApi.public}
          label={tab === "home" ? t("timeline.home") : t("timeline.public")}
          accept={topLevel}
          {...(tab === "home" ? { live } : {})}
          empty={
            tab === "home" ? (
              <>
                <h2>{t("home.timeline.title")}</h2>
                <p className="muted">{t("timeline.empty.home")}</p>
              </>
            ) : (
              <p>{t("timeline.empty.public")}</p>
            )
          }
        />
      </div>
    </>
  );
}
