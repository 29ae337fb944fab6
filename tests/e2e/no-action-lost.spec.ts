import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, type Route, test } from "@playwright/test";
import { callApi, createAccount, createPost, follow, openAs } from "./support/api";
import { gradientPng } from "./support/png";
import { marker, postCard } from "./support/posts";
import { newUser } from "./support/users";

test.use({ locale: "en-US" });

/** Makes the next matching request fail as a dropped connection would; later ones go through. */
async function failOnce(page: Page, url: string, method: string) {
  let failed = false;
  await page.route(url, (route: Route) => {
    if (failed || route.request().method() !== method) return route.fallback();
    failed = true;
    return route.abort("connectionreset");
  });
}

test("a failed follow says so, is rolled back and its retry follows", async ({
  browser,
  baseURL,
  request,
}) => {
  const [a, b] = await Promise.all([createAccount(request, "fa"), createAccount(request, "fb")]);
  const { context, page } = await openAs(browser, baseURL!, a);
  await page.goto(`/u/?h=${b.handle}`);
  await failOnce(page, `**/api/users/${b.handle}/follow`, "POST");
  await page.getByRole("button", { name: "Follow", exact: true }).click();
  const alert = page.getByRole("alert").filter({ hasText: "Not followed" });
  await expect(alert).toBeVisible();
  await expect(page.getByRole("button", { name: "Follow", exact: true })).toBeVisible();
  // The button turns to "Unfollow" before the retry lands (optimistic): read the API only after its answer.
  const retried = page.waitForResponse(
    (r) => r.url().endsWith(`/api/users/${b.handle}/follow`) && r.request().method() === "POST",
  );
  await alert.getByRole("button", { name: "Try again" }).click();
  await expect(page.getByRole("button", { name: "Unfollow" })).toBeVisible();
  expect((await retried).ok()).toBe(true);
  await expect(alert).toHaveCount(0);
  const profile = await callApi<{ followedByMe: boolean }>(request, a, "GET", `/users/${b.handle}`);
  expect(profile.followedByMe).toBe(true);
  await context.close();
});

test("a failed like and a failed repost say so, are rolled back and their retries work", async ({
  browser,
  baseURL,
  request,
}) => {
  const [a, b] = await Promise.all([createAccount(request, "la"), createAccount(request, "lb")]);
  const m = marker();
  const post = await createPost(request, b, `Like me ${m}`);
  const { context, page } = await openAs(browser, baseURL!, a);
  await page.goto(`/post/?id=${post.id}`);
  const card = postCard(page, b, m);
  for (const what of ["Like", "Repost"] as const) {
    await failOnce(page, `**/api/posts/${post.id}/${what.toLowerCase()}`, "POST");
    const button = card.getByRole("button", { name: new RegExp(`^${what}`) });
    await button.click();
    const alert = card.getByRole("alert").filter({ hasText: "That didn't work" });
    await expect(alert).toBeVisible();
    await expect(button).toHaveAttribute("aria-pressed", "false");
    await alert.getByRole("button", { name: "Try again" }).click();
    await expect(button).toHaveAttribute("aria-pressed", "true");
    await expect(alert).toHaveCount(0);
  }
  // The server has both (a reader's reactions settle through the stream).
  await expect
    .poll(async () => {
      const { post: read } = await callApi<{ post: { likedByMe: boolean; repostedByMe: boolean } }>(
        request,
        a,
        "GET",
        `/posts/${post.id}`,
      );
      return read;
    })
    .toMatchObject({ likedByMe: true, repostedByMe: true });
  await context.close();
});

test("a failed reply says so and its retry posts it", async ({ browser, baseURL, request }) => {
  const [a, b] = await Promise.all([createAccount(request, "ra"), createAccount(request, "rb")]);
  const m = marker();
  const post = await createPost(request, b, `Reply to me ${m}`);
  const { context, page } = await openAs(browser, baseURL!, a);
  await page.goto(`/post/?id=${post.id}`);
  await failOnce(page, "**/api/posts", "POST");
  await page.getByRole("textbox", { name: "Write your reply" }).fill(`My reply ${m}`);
  await page.getByRole("button", { name: "Reply", exact: true }).click();
  const reply = postCard(page, a, `My reply ${m}`);
  await expect(reply.getByText(/^Not posted:/)).toBeVisible();
  await reply.getByRole("button", { name: "Try again" }).click();
  await expect(reply).toHaveAttribute("data-post-id", /^pst_/);
  await expect(reply.getByText(/^Not posted:/)).toHaveCount(0);
  await context.close();
});

test("leaving with a post or a message still sending asks first", async ({ browser, baseURL, request }) => {
  const [a, b] = await Promise.all([createAccount(request, "ua"), createAccount(request, "ub")]);
  const m = marker();
  const room = await callApi<{ id: string }>(request, a, "POST", "/rooms", { memberHandles: [b.handle] });
  for (const where of ["post", "message"] as const) {
    const { context, page } = await openAs(browser, baseURL!, a);
    // The server never answers: the post (or message) stays on its way.
    const held: Route[] = [];
    await page.route(where === "post" ? "**/api/posts" : `**/api/rooms/${room.id}/messages`, (route) =>
      route.request().method() === "POST" ? void held.push(route) : route.fallback(),
    );
    if (where === "post") {
      await page.goto("/");
      await page.getByRole("textbox", { name: "What's happening?" }).fill(`Still sending ${m}`);
      await page.getByRole("button", { name: "Post", exact: true }).click();
      await expect(postCard(page, a, m).getByText("Posting…")).toBeVisible();
    } else {
      await page.goto(`/chat/room/?id=${room.id}`);
      await page.getByRole("textbox", { name: "Message", exact: true }).fill(`Still sending ${m}`);
      await page.getByRole("button", { name: "Send" }).click();
    }
    await expect.poll(() => held.length).toBe(1);
    const asked = page.waitForEvent("dialog");
    await page.close({ runBeforeUnload: true });
    const dialog = await asked;
    expect(dialog.type()).toBe("beforeunload");
    await dialog.dismiss();
    expect(page.isClosed()).toBe(false);
    await context.close();
  }
});

test("a post being written survives a reload and is gone once sent", async ({
  browser,
  baseURL,
  request,
}) => {
  const a = await createAccount(request, "da");
  const m = marker();
  const { context, page } = await openAs(browser, baseURL!, a);
  await page.goto("/");
  const box = page.getByRole("textbox", { name: "What's happening?" });
  await box.fill(`Half written ${m}`);
  await page.reload();
  await expect(box).toHaveValue(`Half written ${m}`);
  await page.getByRole("button", { name: "Post", exact: true }).click();
  await expect(postCard(page, a, m)).toHaveAttribute("data-post-id", /^pst_/);
  await page.reload();
  await expect(postCard(page, a, m)).toBeVisible();
  await expect(box).toHaveValue("");
  await context.close();
});

test("sign-up: the email error goes as soon as the email is valid", async ({ page }) => {
  const user = newUser("se");
  await page.goto("/signup/");
  const email = page.getByRole("textbox", { name: "Email" });
  await email.fill("not-an-email");
  await page.getByRole("button", { name: "Create account" }).click();
  const error = page.getByText("Enter a valid email address.");
  await expect(error).toBeVisible();
  await email.fill(user.email);
  await expect(error).toHaveCount(0);
  await expect(email).not.toHaveAttribute("aria-invalid", "true");
});

test("the image viewer shows a photo at least as large as the feed, with a readable caption", async ({
  browser,
  baseURL,
  request,
}) => {
  const a = await createAccount(request, "va");
  const m = marker();
  const { context, page } = await openAs(browser, baseURL!, a);
  await page.goto("/");
  const composer = page.getByRole("form", { name: "New post" });
  await composer.getByRole("textbox", { name: "What's happening?" }).fill(`A photo ${m}`);
  const chooser = page.waitForEvent("filechooser");
  await composer.getByRole("button", { name: "Add photos, video or audio" }).click();
  // Smaller than the feed column: the feed scales it up, and so must the viewer.
  await (await chooser).setFiles([
    { name: "small.png", mimeType: "image/png", buffer: gradientPng(360, 240) },
  ]);
  await expect(composer.getByText("Uploaded")).toBeVisible();
  await composer.getByLabel("Description (alt text)").fill("A wide gradient from blue to green");
  await composer.getByRole("button", { name: "Post", exact: true }).click();
  const card = postCard(page, a, m);
  await expect(card).toHaveAttribute("data-post-id", /^pst_/);
  const thumb = card.locator(".media-image img");
  await expect
    .poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
    .toBeTruthy();
  const feed = (await thumb.boundingBox())!;

  await card.getByRole("button", { name: "A wide gradient from blue to green" }).click();
  const viewer = page.getByRole("dialog", { name: "Image viewer" });
  const full = viewer.getByRole("img", { name: "A wide gradient from blue to green" });
  await expect
    .poll(() => full.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
    .toBeTruthy();
  // The drawn picture (object-fit: contain) is as wide as the feed's, or as tall.
  const drawn = await full.evaluate((img: HTMLImageElement) => {
    const box = img.getBoundingClientRect();
    const scale = Math.min(box.width / img.naturalWidth, box.height / img.naturalHeight);
    return { width: img.naturalWidth * scale, height: img.naturalHeight * scale };
  });
  expect(drawn.width).toBeGreaterThanOrEqual(feed.width - 1);
  const caption = viewer.locator("figcaption");
  await expect(caption).toHaveText("A wide gradient from blue to green");
  expect(
    await caption.evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize)),
  ).toBeGreaterThanOrEqual(16);
  const { violations } = await new AxeBuilder({ page })
    .include(".lightbox figcaption")
    .withRules(["color-contrast"])
    .analyze();
  expect(violations).toEqual([]);
  await context.close();
});

test("dark mode: search highlight, hashtag links and “Message deleted” pass axe's contrast and link rules", async ({
  browser,
  baseURL,
  request,
}) => {
  const [a, b] = await Promise.all([createAccount(request, "ka"), createAccount(request, "kb")]);
  const m = marker();
  await follow(request, a, b.handle);
  await createPost(request, b, `Dark #dark${m} ${m}`);
  const room = await callApi<{ id: string }>(request, a, "POST", "/rooms", { memberHandles: [b.handle] });
  const gone = await callApi<{ id: string }>(request, b, "POST", `/rooms/${room.id}/messages`, {
    text: "bye",
  });
  await callApi(request, b, "DELETE", `/rooms/${room.id}/messages/${gone.id}`);
  const { context, page } = await openAs(browser, baseURL!, a);
  await page.emulateMedia({ colorScheme: "dark" });
  const rules = ["color-contrast", "link-in-text-block"];

  await expect(async () => {
    await page.goto(`/search/?q=${m}`);
    await expect(page.locator(".post-text mark").first()).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 30_000 });
  const marked = await new AxeBuilder({ page }).include(".post-text mark").withRules(rules).analyze();
  expect(marked.violations).toEqual([]);

  await page.goto("/");
  const hashtag = postCard(page, b, m).getByRole("link", { name: `#dark${m}` });
  await expect(hashtag).toHaveCSS("text-decoration-line", "underline");
  const tags = await new AxeBuilder({ page }).include(".post-hashtag").withRules(rules).analyze();
  expect(tags.violations).toEqual([]);

  await page.goto(`/chat/room/?id=${room.id}`);
  await expect(page.getByRole("log", { name: "Messages" }).getByText("Message deleted")).toBeVisible();
  const { violations } = await new AxeBuilder({ page }).include(".msg-deleted").withRules(rules).analyze();
  expect(violations).toEqual([]);
  await context.close();
});
