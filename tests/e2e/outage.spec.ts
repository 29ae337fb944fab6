// If API Gateway stops: the site still loads (CloudFront + S3), sign-in still works (Cognito), a media link handed
// out before still loads, everything else says it can't reach the server, and the app recovers by itself.
import { readFileSync } from "node:fs";
import { expect, type Page, test } from "@playwright/test";
import { gradientPng } from "./support/png";
import { marker, postCard } from "./support/posts";
import { newUser, signUp } from "./support/users";

test.use({ locale: "en-US" });

/** The local cloud's loopback control port (never reachable through the public origin). */
function controlUrl(): string {
  const local = JSON.parse(readFileSync(".asyncsns/e2e/local.json", "utf8")) as { control?: { url: string } };
  if (!local.control) throw new Error("the local cloud wrote no control port to .asyncsns/e2e/local.json");
  return local.control.url;
}

async function gateways(page: Page, action: "stop" | "start") {
  const res = await page.request.post(`${controlUrl()}/gateways/${action}`);
  expect(await res.json()).toEqual(action === "stop" ? { api: "down", ws: "down" } : { api: "up", ws: "up" });
}

const BANNER = "Can't reach the server — retrying…";

test("API Gateway down: site, sign-in and handed-out media stay up, the rest degrades and recovers", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const user = newUser("o");
  const { context, page } = await signUp(browser, user);
  try {
    // Home, with a post that has an image.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Home" }).click();
    const composer = page.getByRole("form", { name: "New post" });
    const text = composer.getByLabel("What's happening?");
    const first = marker();
    await text.fill(`Before the outage ${first}`);
    const chooser = page.waitForEvent("filechooser");
    await composer.getByRole("button", { name: "Add photos, video or audio" }).click();
    await (await chooser).setFiles({
      name: "gradient.png",
      mimeType: "image/png",
      buffer: gradientPng(96, 64),
    });
    await expect(composer.getByRole("list", { name: "Attachments" }).getByText("Uploaded")).toBeVisible();
    await composer.getByRole("button", { name: "Post", exact: true }).click();
    const post = postCard(page, user, first);
    await expect(post).toHaveAttribute("data-post-id", /^pst_/);
    const thumb = post.locator(".media-image img");
    await expect(thumb).toHaveAttribute("src", /\/media\//);
    const imageUrl = new URL(String(await thumb.getAttribute("src")), page.url()).toString();
    await expect(page.getByRole("status").filter({ hasText: BANNER })).toHaveCount(0);

    // API Gateway stops (the HTTP and WebSocket APIs only): /api answers as CloudFront does for a dead origin.
    await gateways(page, "stop");
    const dead = await page.request.get("/api/health");
    expect(dead.status()).toBe(502);
    expect(dead.headers()["x-cache"]).toBe("Error from cloudfront");

    // Posting now keeps the post with the reason and a retry; the banner says the app is retrying.
    const kept = `Typed during the outage ${marker()}`;
    await text.fill(kept);
    await composer.getByRole("button", { name: "Post", exact: true }).click();
    await expect(page.getByRole("status").filter({ hasText: BANNER })).toBeVisible();
    const unsent = postCard(page, user, kept);
    await expect(unsent).toContainText("Not posted: Can't reach the server.");
    await expect(unsent.getByRole("button", { name: "Try again" })).toBeVisible();

    // A reload still loads the site (static files and /config.json), with the degraded state instead of data.
    await page.reload();
    await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
    await expect(page.getByRole("status").filter({ hasText: BANNER })).toBeVisible();
    await expect(page.getByRole("alert").filter({ hasText: "Can't reach the server" })).toBeVisible();

    // The image handed out before still loads (media are served by the CDN from the bucket, not by the API).
    const image = await page.request.get(imageUrl);
    expect(image.status()).toBe(200);
    expect(image.headers()["content-type"]).toMatch(/^image\//);

    // Signing out and in again works: Cognito is not behind API Gateway.
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByRole("heading", { name: "Say it now. Answer later." })).toBeVisible();
    await page.getByRole("main").getByRole("link", { name: "Sign in" }).click();
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password", { exact: true }).fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
    await expect(page.getByRole("status").filter({ hasText: BANNER })).toBeVisible();
    await expect(page.getByRole("alert").filter({ hasText: "Can't reach the server" })).toBeVisible();

    // API Gateway is back: the banner goes and the page loads what it was waiting for, without a reload.
    await gateways(page, "start");
    await expect(page.getByRole("status").filter({ hasText: BANNER })).toHaveCount(0, { timeout: 30_000 });
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Home" }).click();
    const after = marker();
    await text.fill(`After the outage ${after}`);
    await composer.getByRole("button", { name: "Post", exact: true }).click();
    await expect(postCard(page, user, after)).toHaveAttribute("data-post-id", /^pst_/);
  } finally {
    // Never leave the shared local cloud down for the next spec.
    await gateways(page, "start").catch(() => undefined);
    await context.close();
  }
});
