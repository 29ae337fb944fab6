"use client";
import { useId } from "react";
import { useI18n } from "../../i18n";
import type { Media } from "../../lib/api-types";
import { Modal } from "./dialog";

/** Full-size images of one post: arrows move between them, Esc closes, focus stays inside. */
export function Lightbox({
  images,
  index,
  onIndex,
  onClose,
}: {
  images: Media[];
  index: number | null;
  onIndex: (index: number) => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const titleId = useId();
  const open = index !== null && images[index] !== undefined;
  const current = open ? images[index] : undefined;
  const total = images.length;
  const go = (delta: number) => {
    if (index === null || total < 2) return;
    onIndex((index + delta + total) % total);
  };
  return (
    <Modal open={open} onClose={onClose} labelledBy={titleId} className="lightbox">
      {current && index !== null ? (
        // biome-ignore lint/a11y/noStaticElementInteractions: arrow keys anywhere in the viewer move between images.
        <div
          className="lightbox-body"
          onKeyDown={(e) => {
            if (e.key === "ArrowLeft") {
              e.preventDefault();
              go(-1);
            } else if (e.key === "ArrowRight") {
              e.preventDefault();
              go(1);
            }
          }}
        >
          <div className="lightbox-bar">
            <h2 id={titleId} className="lightbox-title">
              {t("lightbox.title")}
              {total > 1 ? (
                <span className="muted small"> · {t("lightbox.position", { n: index + 1, total })}</span>
              ) : null}
            </h2>
            <button type="button" className="btn btn-secondary" onClick={onClose}>
              {t("lightbox.close")}
            </button>
          </div>
          <figure className="lightbox-figure">
            {/* biome-ignore lint/performance/noImgElement: a static export has no image optimizer. */}
            <img
              src={current.url}
              alt={current.alt}
              width={current.width ?? undefined}
              height={current.height ?? undefined}
            />
            {current.alt ? <figcaption>{current.alt}</figcaption> : null}
          </figure>
          {total > 1 ? (
            <div className="lightbox-nav">
              <button type="button" className="btn btn-secondary" onClick={() => go(-1)}>
                <span aria-hidden="true">←</span> {t("lightbox.prev")}
              </button>
              <button type="button" className="btn btn-secondary" onClick={() => go(1)}>
                {t("lightbox.next")} <span aria-hidden="true">→</span>
              </button>
            </div>
          ) : null}
        </div>
      ) : null}
    </Modal>
  );
}
