"use client";
import { useEffect, useState } from "react";
import { useI18n } from "../../i18n";
import type { Media } from "../../lib/api-types";
import { postsApi } from "../../lib/posts-api";
import { formatDuration } from "../../lib/time";
import { BlurhashCanvas } from "./blurhash-canvas";
import { Lightbox } from "./lightbox";

const POLL_MS = 2_000;
const POLL_TRIES = 30;

/** Media still being processed (thumbnail, dimensions) is re-read until it is ready. */
function useProcessedMedia(initial: Media[]): Media[] {
  const [media, setMedia] = useState(initial);
  useEffect(() => setMedia(initial), [initial]);
  const waiting = media.filter((m) => m.status === "pending").map((m) => m.id);
  const waitingKey = waiting.join(",");
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-polls only when the set of pending ids changes.
  useEffect(() => {
    if (!waitingKey) return;
    let tries = 0;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout>;
    const poll = async () => {
      tries++;
      const fresh = await Promise.all(waiting.map((id) => postsApi.getMedia(id).catch(() => null)));
      if (cancelled) return;
      const byId = new Map(fresh.filter((m): m is Media => m !== null).map((m) => [m.id, m]));
      setMedia((prev) => prev.map((m) => (byId.get(m.id)?.status === "pending" ? m : (byId.get(m.id) ?? m))));
      if (tries < POLL_TRIES && [...byId.values()].some((m) => m.status === "pending"))
        timer = setTimeout(poll, POLL_MS);
    };
    timer = setTimeout(poll, POLL_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [waitingKey]);
  return media;
}

export function MediaGrid({ media: initial }: { media: Media[] }) {
  const media = useProcessedMedia(initial);
  const [open, setOpen] = useState<number | null>(null);
  if (media.length === 0) return null;
  const images = media.filter((m) => m.kind === "image");
  const visual = media.filter((m) => m.kind !== "audio");
  const audio = media.filter((m) => m.kind === "audio");
  return (
    <div className="post-media">
      {visual.length ? (
        <div className={`media-grid media-grid-${Math.min(visual.length, 4)}`}>
          {visual.map((m) =>
            m.kind === "image" ? (
              <ImageCell
                key={m.id}
                media={m}
                single={visual.length === 1}
                n={images.indexOf(m) + 1}
                total={images.length}
                onOpen={() => setOpen(images.indexOf(m))}
              />
            ) : (
              <VideoCell key={m.id} media={m} single={visual.length === 1} />
            ),
          )}
        </div>
      ) : null}
      {audio.map((m) => (
        <AudioCell key={m.id} media={m} />
      ))}
      <Lightbox images={images} index={open} onIndex={setOpen} onClose={() => setOpen(null)} />
    </div>
  );
}

function aspect(m: Media): string | undefined {
  return m.width && m.height ? `${m.width} / ${m.height}` : undefined;
}

function ImageCell({
  media,
  single,
  n,
  total,
  onOpen,
}: {
  media: Media;
  single: boolean;
  n: number;
  total: number;
  onOpen: () => void;
}) {
  const { t } = useI18n();
  const [loaded, setLoaded] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const src = media.thumbnailUrl ?? media.url;
  const ready = media.status === "ready";
  return (
    <button
      type="button"
      className="media-cell media-image"
      style={single ? { aspectRatio: aspect(media) } : undefined}
      onClick={onOpen}
      disabled={!ready}
      aria-label={media.alt ? undefined : t("post.media.view", { n, total })}
      data-loaded={loaded ? "true" : "false"}
    >
      {media.blurhash && !loaded ? <BlurhashCanvas hash={media.blurhash} /> : null}
      {ready ? (
        // biome-ignore lint/performance/noImgElement: a static export has no image optimizer.
        <img
          key={attempt}
          src={attempt ? `${src}${src.includes("?") ? "&" : "?"}r=${attempt}` : src}
          alt={media.alt}
          loading="lazy"
          decoding="async"
          width={media.width ?? undefined}
          height={media.height ?? undefined}
          className={loaded ? "is-loaded" : undefined}
          onLoad={() => setLoaded(true)}
          onError={() => {
            // The CDN copy can lag the processing record by a moment.
            if (attempt < 3) setTimeout(() => setAttempt((a) => a + 1), 1_500);
          }}
        />
      ) : (
        <span className="media-status">
          {media.status === "failed" ? t("post.media.failed") : t("post.media.processing")}
        </span>
      )}
    </button>
  );
}

function VideoCell({ media, single }: { media: Media; single: boolean }) {
  const { t } = useI18n();
  if (media.status === "failed") return <p className="media-cell media-status">{t("post.media.failed")}</p>;
  return (
    <div
      className="media-cell media-video"
      style={single ? { aspectRatio: aspect(media) ?? "16 / 9" } : undefined}
    >
      {media.blurhash ? <BlurhashCanvas hash={media.blurhash} /> : null}
      {/* biome-ignore lint/a11y/useMediaCaption: user uploads come without caption tracks. */}
      <video
        key={media.status}
        controls
        preload="metadata"
        playsInline
        poster={media.posterUrl ?? undefined}
        src={media.url}
        aria-label={media.alt || t("post.media.video")}
      />
    </div>
  );
}

function AudioCell({ media }: { media: Media }) {
  const { t } = useI18n();
  if (media.status === "failed") return <p className="media-status">{t("post.media.failed")}</p>;
  return (
    <figure className="media-audio">
      {/* biome-ignore lint/a11y/useMediaCaption: voice clips have no caption track; the alt text names them. */}
      <audio
        key={media.status}
        controls
        preload="metadata"
        src={media.url}
        aria-label={media.alt || t("post.media.audio")}
      />
      <figcaption className="muted small">
        {media.alt ? <span className="media-audio-alt">{media.alt}</span> : null}
        {media.durationMs !== null ? (
          <span className="media-duration">
            {t("post.media.duration", { time: formatDuration(media.durationMs) })}
          </span>
        ) : null}
      </figcaption>
    </figure>
  );
}
