import { expect, test } from "@playwright/test";
import { callApi, createAccount, createPost, openAs } from "./support/api";
import { marker } from "./support/posts";

// A shared link opened signed out: the profile or the post, read-only, with a sign-up prompt.
test("a signed-out visitor reads a shared profile and post; an opted-out account asks them to sign in", async ({
  browser,
  request,
}) => {
  const [a, b] = await Promise.all([createAccount(request, "ppa"), createAccount(request, "ppb")]);
  const m = marker();
  await callApi(request, a, "PATCH", "/me", { bio: "Photos of #tokyo" });
  const post = await createPost(request, a, `shared ${m}`);
  await createPost(request, b, `reply ${m}`, post.id);

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`/u/?h=${a.handle}`);
  await expect(page.getByRole("heading", { level: 1, name: a.displayName })).toBeVisible();
  await expect(page.getByRole("link", { name: "#tokyo" })).toBeVisible();
  const card = page.getByRole("article", { name: `Post by ${a.displayName}` }).filter({ hasText: m });
  await expect(card).toBeVisible();
  // Read-only: counts, no Like or Repost to press.
  await expect(card.getByRole("button")).toHaveCount(0);
  await expect(card).toContainText("1 reply");
  const prompt = page.getByRole("complementary", { name: "See more on asyncsns" });
  await expect(prompt.getByRole("link", { name: "Create account" })).toBeVisible();
  await expect(prompt.getByRole("link", { name: "Sign in" })).toHaveAttribute(
    "href",
    `/signin/?next=${encodeURIComponent(`/u/?h=${a.handle}`)}`,
  );

  const thread = await page.goto(`/post/?id=${post.id}`);
  expect(thread?.status()).toBe(200);
  await expect(page.getByRole("article", { name: `Post by ${a.displayName}` })).toContainText(m);
  await expect(page.getByRole("article", { name: `Post by ${b.displayName}` })).toContainText(`reply ${m}`);
  // Nobody was asked to sign in to read it.
  await expect(page).toHaveURL(new RegExp(`/post/\\?id=${post.id}$`));

  // B keeps their posts to signed-in people (the settings checkbox): their page asks to sign in.
  const { context: bContext, page: bPage } = await openAs(browser, new URL(page.url()).origin, b);
  await bPage.goto("/settings/");
  const saved = bPage.waitForResponse((r) => r.url().endsWith("/api/me") && r.request().method() === "PATCH");
  await bPage.getByLabel("Show my profile and posts to signed-in people only").check();
  expect((await saved).status()).toBe(200);
  await bContext.close();

  await expect(async () => {
    await page.goto(`/u/?h=${b.handle}`);
    await expect(page.getByRole("heading", { name: "Sign in to see this" })).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 90_000 });
  await context.close();
});
