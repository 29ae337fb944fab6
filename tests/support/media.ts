import { expect } from "vitest";
import type { TestUser } from "./test-user";

/** A 1×1 PNG: the smallest real image the processor accepts. */
export const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

/** Uploads as the browser does, so the presigned policy itself is exercised. */
export async function upload(
  user: TestUser,
  file: Buffer,
  contentType: string,
  options: { alt?: string; purpose?: "post" | "avatar" | "chat" } = {},
): Promise<string> {
  const res = await user.api("/media/uploads", {
    method: "POST",
    body: JSON.stringify({ contentType, size: file.length, ...options }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  const { mediaId, upload } = await res.json();
  const form = new FormData();
  for (const [k, v] of Object.entries(upload.fields as Record<string, string>)) form.append(k, v);
  form.append("file", new Blob([new Uint8Array(file)], { type: contentType }), "file");
  expect((await fetch(upload.url, { method: "POST", body: form })).status).toBeLessThan(300);
  return mediaId;
}
