import { type APIRequestContext, expect, type Locator, test } from "@playwright/test";
import {
  type Account,
  callApi,
  createAccount,
  createPost,
  follow,
  openAs,
  type SeededPost,
} from "./support/api";
import { tabTo } from "./support/keyboard";
import { marker, postCard } from "./support/posts";

test.use({ locale: "en-US" });

/** How often the web app checks the head of a timeline (POLL_MS in packages/web timeline.tsx). */
const POLL_MS = 15_000;

/** Waits until the fan-out has put `count` posts carrying the marker into the reader's home timeline. */
async function homeHolds(request: APIRequestContext, reader: Account, m: string, count: number) {
  await expect
    .poll(
      async () => {
        const home = await callApi<{ items: SeededPost[] }>(
          request,
          reader,
          "GET",
          "/timelines/home?limit=100",
        );
        return home.items.filter((p) => p.text.includes(m)).length;
      },
      { timeout: 30_000 },
    )
    .toBe(count);
}

const topOf = async (locator: Locator) => (await locator.boundingBox())!.y;

test("a new post waits behind a pill while A reads further down; the pill shows it and A's place stays", async ({
  browser,
  baseURL,
  request,
}) => {
  const [a, b] = await Promise.all([createAccount(request, "pa"), createAccount(request, "pb")]);
  const m = marker();
  await follow(request, a, b.handle);
  for (let i = 1; i <= 14; i++) await createPost(request, b, `Older ${i} ${m}`);
  await homeHolds(request, a, m, 14);

  const { context, page } = await openAs(browser, baseURL!, a);
  // The page's clock runs, and the test moves it on to the next check instead of waiting for it.
  await page.clock.install();
  await page.goto("/");
  const home = page.getByRole("list", { name: "Following" });
  await expect(home.getByRole("article")).toHaveCount(14);
  await page.mouse.wheel(0, 900);
  const anchor = postCard(page, b, `Older 7 ${m}`);
  await expect(anchor).toBeInViewport();
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(500);
  const scrolled = await page.evaluate(() => window.scrollY);
  const anchorTop = await topOf(anchor);

  await createPost(request, b, `Fresh ${m}`);
  await homeHolds(request, a, m, 15);
  const pill = page.getByRole("button", { name: "1 new post" });
  await expect(async () => {
    await page.clock.fastForward(POLL_MS);
    await expect(pill).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  // The new post waits: nothing above A's place moved.
  await expect(pill).toBeInViewport();
  const fresh = postCard(page, b, `Fresh ${m}`);
  await expect(fresh).toHaveCount(0);
  expect(await page.evaluate(() => window.scrollY)).toBe(scrolled);
  expect(await topOf(anchor)).toBe(anchorTop);

  await pill.click();
  await expect(pill).toHaveCount(0);
  await expect(home.getByRole("article")).toHaveCount(15);
  await expect(home.getByRole("article").first()).toContainText(`Fresh ${m}`);
  await expect(fresh).toBeFocused();
  await expect(page.getByRole("status").filter({ hasText: "added above" })).toHaveText(
    "1 new post added above.",
  );
  expect(Math.abs((await topOf(anchor)) - anchorTop)).toBeLessThanOrEqual(1);
  await page.evaluate(() => window.scrollTo(0, 0));
  await expect(fresh).toBeInViewport();

  await context.close();
});

test("scrolling to the end of a profile loads the next page by itself", async ({
  browser,
  baseURL,
  request,
}) => {
  const [a, b] = await Promise.all([createAccount(request, "sa"), createAccount(request, "sb")]);
  const m = marker();
  const texts = Array.from({ length: 23 }, (_, i) => `Post ${i + 1} of 23 ${m}`);
  await Promise.all(texts.map((text) => createPost(request, b, text)));

  const { context, page } = await openAs(browser, baseURL!, a);
  await page.goto(`/u/?h=${b.handle}`);
  const posts = page.getByRole("list", { name: "Posts" }).getByRole("article");
  await expect(posts).toHaveCount(20);
  await expect(page.getByText("You're all caught up.")).toHaveCount(0);
  await expect(async () => {
    await page.mouse.wheel(0, 3_000);
    await expect(posts).toHaveCount(23, { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByText("You're all caught up.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Load more" })).toHaveCount(0);
  expect((await posts.locator(".post-text").allTextContents()).sort()).toEqual([...texts].sort());

  await context.close();
});

test("by keyboard only: write and post, open the post, like it", async ({ browser, baseURL, request }) => {
  const a = await createAccount(request, "ka");
  const m = marker();
  const { context, page } = await openAs(browser, baseURL!, a);
  await page.goto("/");

  const composer = page.getByRole("form", { name: "New post" });
  await tabTo(page, composer.getByRole("textbox", { name: "What's happening?" }));
  await page.keyboard.type(`Typed without a mouse ${m}`);
  await tabTo(page, composer.getByRole("button", { name: "Post", exact: true }));
  await page.keyboard.press("Enter");
  const post = postCard(page, a, m);
  await expect(post).toHaveAttribute("data-post-id", /^pst_/);
  const id = (await post.getAttribute("data-post-id"))!;

  await tabTo(page, post.getByRole("link", { name: /now|ago/ }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(`/post/?id=${id}`);
  const like = postCard(page, a, m).getByRole("button", { name: /^Like/ });
  await tabTo(page, like);
  await page.keyboard.press("Space");
  await expect(like).toHaveAttribute("aria-pressed", "true");
  await expect(like).toHaveAccessibleName("Like 1");
  await expect
    .poll(
      async () => (await callApi<{ post: { likes: number } }>(request, a, "GET", `/posts/${id}`)).post.likes,
    )
    .toBe(1);

  await context.close();
});
