"use client";
// Chat attachments: the same presigned upload flow as posts (lib/upload), one file at a time with progress.
import { useCallback, useRef, useState } from "react";
import { checkFile, contentTypeOf, MAX_ATTACHMENTS } from "../../lib/media-limits";
import { UploadAborted, upload } from "../../lib/upload";

export interface Attachment {
  key: string;
  name: string;
  kind: "image" | "video" | "audio" | "other";
  previewUrl: string | null;
  /** 0–1 while uploading. */
  progress: number;
  status: "uploading" | "done" | "failed";
  mediaId: string | null;
  error: string | null;
  abort?: () => void;
}

export type AttachProblem =
  | { code: "tooMany" }
  | { code: "file"; name: string; problem: NonNullable<ReturnType<typeof checkFile>> };

let counter = 0;

export function useAttachments(onProblem: (problem: AttachProblem) => void) {
  const [items, setItems] = useState<Attachment[]>([]);
  const itemsRef = useRef(items);
  itemsRef.current = items;

  const patch = useCallback((key: string, change: Partial<Attachment>) => {
    setItems((current) => current.map((a) => (a.key === key ? { ...a, ...change } : a)));
  }, []);

  const add = useCallback(
    (files: File[]) => {
      const room = MAX_ATTACHMENTS - itemsRef.current.length;
      if (files.length > room) onProblem({ code: "tooMany" });
      for (const file of files.slice(0, Math.max(0, room))) {
        const problem = checkFile(file);
        if (problem) {
          onProblem({ code: "file", name: file.name, problem });
          continue;
        }
        const contentType = contentTypeOf(file);
        const kind = contentType.startsWith("image/")
          ? "image"
          : contentType.startsWith("video/")
            ? "video"
            : contentType.startsWith("audio/")
              ? "audio"
              : "other";
        const key = `a${counter++}`;
        const item: Attachment = {
          key,
          name: file.name,
          kind,
          previewUrl: kind === "image" ? URL.createObjectURL(file) : null,
          progress: 0,
          status: "uploading",
          mediaId: null,
          error: null,
        };
        setItems((current) => [...current, item]);
        void (async () => {
          try {
            const running = await upload(
              { contentType, size: file.size, fileName: file.name, purpose: "chat" },
              file,
              file.name,
              (loaded, total) => patch(key, { progress: total > 0 ? loaded / total : 0 }),
            );
            patch(key, { abort: running.abort });
            await running.done;
            patch(key, { status: "done", progress: 1, mediaId: running.mediaId, abort: undefined });
          } catch (err) {
            if (err instanceof UploadAborted) return;
            patch(key, { status: "failed", error: err instanceof Error ? err.message : String(err) });
          }
        })();
      }
    },
    [onProblem, patch],
  );

  const remove = useCallback((key: string) => {
    const item = itemsRef.current.find((a) => a.key === key);
    item?.abort?.();
    if (item?.previewUrl) URL.revokeObjectURL(item.previewUrl);
    setItems((current) => current.filter((a) => a.key !== key));
  }, []);

  const clear = useCallback(() => {
    for (const a of itemsRef.current) if (a.previewUrl) URL.revokeObjectURL(a.previewUrl);
    setItems([]);
  }, []);

  return {
    items,
    add,
    remove,
    clear,
    uploading: items.some((a) => a.status === "uploading"),
    mediaIds: items.flatMap((a) => (a.status === "done" && a.mediaId ? [a.mediaId] : [])),
  };
}
