// The page runs under the Router's response headers policy: chat files (presigned GETs on the bucket's host) load, nothing is blocked.
import { readFileSync } from "node:fs";
import { type APIRequestContext, expect, test } from "@playwright/test";
import { type Account, callApi, createAccount, openAs } from "./support/api";
import { gradientPng } from "./support/png";

const fixture = (name: string) =>
  readFileSync(new URL(`../../packages/core/test/fixtures/media/${name}`, import.meta.url));

/** A chat file uploaded as the browser does (presigned POST), then waited on until the processor made its copy. */
async function chatFile(request: APIRequestContext, account: Account, file: Buffer, contentType: string) {
  const { mediaId, upload } = await callApi<{
    mediaId: string;
    upload: { url: string; fields: Record<string, string> };
  }>(request, account, "POST", "/media/uploads", { contentType, size: file.length, purpose: "chat" });
  const posted = await request.post(upload.url, {
    multipart: { ...upload.fields, file: { name: "file", mimeType: contentType, buffer: file } },
  });
  expect(posted.status(), await posted.text()).toBeLessThan(300);
  await expect
    .poll(
      async () => (await callApi<{ status: string }>(request, account, "GET", `/media/${mediaId}`)).status,
      {
        timeout: 30_000,
      },
    )
    .toBe("ready");
  return mediaId;
}

test("chat images, video and audio load under the CSP and no violation is reported", async ({
  browser,
  request,
  baseURL,
}) => {
  const alice = await createAccount(request, "cspa");
  const bob = await createAccount(request, "cspb");
  const room = await callApi<{ id: string }>(request, alice, "POST", "/rooms", {
    memberHandles: [bob.handle],
  });
  const mediaIds = [
    await chatFile(request, alice, gradientPng(40, 30), "image/png"),
    await chatFile(request, alice, fixture("location.webm"), "video/webm"),
    await chatFile(request, alice, fixture("location.wav"), "audio/wav"),
  ];
  await callApi(request, alice, "POST", `/rooms/${room.id}/messages`, { text: "three files", mediaIds });

  const { context, page } = await openAs(browser, baseURL!, bob);
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) =>
      console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  const res = await page.goto(`/chat/room/?id=${room.id}`);
  const csp = res?.headers()["content-security-policy"] ?? "";
  expect(csp).toContain("img-src");
  expect(csp).not.toContain("'unsafe-eval'");

  const message = page.locator(".msg", { hasText: "three files" }).first();
  await expect(message).toBeVisible();
  const img = message.locator("img").first();
  await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBe(40);
  const video = message.locator("video");
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState)).toBeGreaterThanOrEqual(1);
  const audio = message.locator("audio");
  await expect.poll(() => audio.evaluate((a: HTMLAudioElement) => a.readyState)).toBeGreaterThanOrEqual(1);
  // Each file came from the bucket's own host, which the CSP had to allow.
  const src = await img.getAttribute("src");
  expect(new URL(src!).origin).not.toBe(new URL(baseURL!).origin);

  expect(violations).toEqual([]);

  // Only the page's own inline scripts run (pinned by hash); one injected later is refused.
  await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveAttribute(
    "content",
    /^script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')+$/,
  );
  const injected = await page.evaluate(() => {
    const script = document.createElement("script");
    script.textContent = "window.__injected = true";
    document.head.append(script);
    return (window as { __injected?: boolean }).__injected ?? false;
  });
  expect(injected).toBe(false);
  await context.close();
});
