// Browser upload: the presigned POST sent by XMLHttpRequest (for real progress and abort), and duration probing.
import { ApiError } from "./api";
import type { UploadTicket } from "./posts-api";

export class UploadAborted extends Error {
  constructor() {
    super("Upload cancelled");
    this.name = "UploadAborted";
  }
}

export interface RunningUpload {
  done: Promise<void>;
  abort: () => void;
}

/** Sends every policy field, then the file last (S3 ignores fields after the file). */
export function sendToBucket(
  ticket: UploadTicket,
  file: Blob,
  fileName: string,
  onProgress: (loaded: number, total: number) => void,
): RunningUpload {
  const xhr = new XMLHttpRequest();
  const done = new Promise<void>((resolve, reject) => {
    const form = new FormData();
    for (const [key, value] of Object.entries(ticket.upload.fields)) form.append(key, value);
    form.append("file", file, fileName);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded, e.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve();
      else
        reject(new ApiError(`upload.http_${xhr.status}`, xhr.status, xhr.statusText || `HTTP ${xhr.status}`));
    };
    xhr.onerror = () => reject(new ApiError("network", 0, "Upload failed"));
    xhr.onabort = () => reject(new UploadAborted());
    xhr.open("POST", ticket.upload.url);
    xhr.send(form);
  });
  return { done, abort: () => xhr.abort() };
}

/** A picked audio or video file's duration, read from its metadata; null when the browser cannot tell. */
export function probeDuration(file: Blob, kind: "audio" | "video"): Promise<number | null> {
  return new Promise((resolve) => {
    const url = URL.createObjectURL(file);
    const el = document.createElement(kind);
    el.preload = "metadata";
    let settled = false;
    const finish = (ms: number | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      el.removeAttribute("src");
      el.load();
      URL.revokeObjectURL(url);
      resolve(ms);
    };
    const timer = setTimeout(() => finish(null), 5_000);
    el.onloadedmetadata = () => {
      if (Number.isFinite(el.duration)) finish(Math.round(el.duration * 1000));
      else {
        // Recorder-made WebM has no duration in its header: seeking far forces the browser to find the end.
        el.ondurationchange = () => {
          if (Number.isFinite(el.duration)) finish(Math.round(el.duration * 1000));
        };
        el.currentTime = 1e9;
      }
    };
    el.onerror = () => finish(null);
    el.src = url;
  });
}
