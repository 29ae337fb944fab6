// Browser upload: the presigned POST sent by XMLHttpRequest (for real progress and abort), and duration probing.
import { ApiError } from "./api";
import type { MediaUpload, MediaUploadRequest } from "./api-types";
import { postsApi } from "./posts-api";

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
  ticket: MediaUpload,
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

/** An upload as the browser makes one: a presigned POST asked for (`request`), then the file sent with it. */
export async function upload(
  request: MediaUploadRequest,
  file: Blob,
  fileName: string,
  onProgress: (loaded: number, total: number) => void = () => {},
): Promise<RunningUpload & { mediaId: string }> {
  const ticket = await postsApi.createUpload(request);
  return { mediaId: ticket.mediaId, ...sendToBucket(ticket, file, fileName, onProgress) };
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

/** Poster types the server accepts, in the order a browser's canvas is asked for them. */
const POSTER_TYPES = ["image/webp", "image/jpeg", "image/png"];

/** A ~0.1 s frame, at most 1280 px, as WebP (else JPEG/PNG) so the server accepts it; null if undecodable. */
export function posterFrame(file: Blob, atSeconds = 0.1): Promise<Blob | null> {
  return new Promise((resolve) => {
    const url = URL.createObjectURL(file);
    const video = document.createElement("video");
    video.muted = true;
    video.playsInline = true;
    video.preload = "auto";
    let settled = false;
    const finish = (blob: Blob | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      video.removeAttribute("src");
      video.load();
      URL.revokeObjectURL(url);
      resolve(blob && POSTER_TYPES.includes(blob.type) ? blob : null);
    };
    const timer = setTimeout(() => finish(null), 8_000);
    video.onloadeddata = () => {
      const duration = Number.isFinite(video.duration) ? video.duration : atSeconds * 2;
      video.currentTime = Math.min(atSeconds, duration / 2);
    };
    video.onseeked = () => {
      const { videoWidth: w, videoHeight: h } = video;
      if (!w || !h) return finish(null);
      const scale = Math.min(1, 1280 / Math.max(w, h));
      const canvas = document.createElement("canvas");
      canvas.width = Math.round(w * scale);
      canvas.height = Math.round(h * scale);
      const context = canvas.getContext("2d");
      if (!context) return finish(null);
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      canvas.toBlob((blob) => finish(blob), "image/webp", 0.82);
    };
    video.onerror = () => finish(null);
    video.src = url;
  });
}
