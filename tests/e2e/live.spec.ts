import { type APIRequestContext, expect, test } from "@playwright/test";
import {
  type Account,
  callApi,
  createAccount,
  createPost,
  follow,
  openAs,
  type SeededPost,
} from "./support/api";
import { liveSockets, localCloud } from "./support/local-cloud";
import { marker, postCard } from "./support/posts";

test.use({ locale: "en-US" });

const homeOf = (request: APIRequestContext, reader: Account) =>
  callApi<{ items: (SeededPost & { repostedBy?: { id: string } })[] }>(
    request,
    reader,
    "GET",
    "/timelines/home?limit=100",
  );

test("A at the top of home sees B's new post inline over the socket; scrolled down, behind the pill", async ({
  browser,
  baseURL,
  request,
}) => {
  const [a, b] = await Promise.all([createAccount(request, "la"), createAccount(request, "lb")]);
  const m = marker();
  await follow(request, a, b.handle);
  for (let i = 1; i <= 12; i++) await createPost(request, b, `Earlier ${i} ${m}`);
  await expect.poll(async () => (await homeOf(request, a)).items.length, { timeout: 30_000 }).toBe(12);

  const { context, page } = await openAs(browser, baseURL!, a);
  // The page's clock stands still: the 15 s head poll never runs, so only the socket can bring a post.
  await page.clock.install();
  await page.goto("/");
  const home = page.getByRole("list", { name: "Following" });
  await expect(home.getByRole("article")).toHaveCount(12);
  const local = await localCloud(baseURL);
  await expect.poll(() => liveSockets(local, a.id)).toBeGreaterThan(0);

  const posted = Date.now();
  await createPost(request, b, `Live ${m}`);
  await expect(home.getByRole("article").first()).toContainText(`Live ${m}`);
  test.info().annotations.push({ type: "POST→visible (ms)", description: String(Date.now() - posted) });
  await expect(page.getByRole("button", { name: /new post/ })).toHaveCount(0);
  await expect(home.getByRole("article")).toHaveCount(13);

  // Scrolled down: the post waits behind the pill and nothing in view moves.
  await page.mouse.wheel(0, 900);
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(500);
  const scrolled = await page.evaluate(() => window.scrollY);
  await createPost(request, b, `Later ${m}`);
  const pill = page.getByRole("button", { name: "1 new post" });
  await expect(pill).toBeVisible();
  await expect(postCard(page, b, `Later ${m}`)).toHaveCount(0);
  expect(await page.evaluate(() => window.scrollY)).toBe(scrolled);
  await pill.click();
  await expect(home.getByRole("article").first()).toContainText(`Later ${m}`);
  await expect(home.getByRole("article")).toHaveCount(14);

  await context.close();
});

test("B reposts A's post: A's own home shows it once, and C (following B) gets the repost", async ({
  browser,
  baseURL,
  request,
}) => {
  const [a, b, c] = await Promise.all([
    createAccount(request, "ra"),
    createAccount(request, "rb"),
    createAccount(request, "rc"),
  ]);
  const m = marker();
  await Promise.all([
    follow(request, a, b.handle),
    follow(request, b, a.handle),
    follow(request, c, b.handle),
  ]);
  const post = await createPost(request, a, `Worth a repost ${m}`);
  await callApi(request, b, "POST", `/posts/${post.id}/repost`);
  // C's home gets the repost in the same fan-out pass as A's would have.
  await expect
    .poll(async () => (await homeOf(request, c)).items.filter((p) => p.id === post.id).length, {
      timeout: 30_000,
    })
    .toBe(1);
  // A's own entry for the post comes from the post's fan-out, which may land after the repost's: wait for it too.
  await expect
    .poll(async () => (await homeOf(request, a)).items.filter((p) => p.id === post.id).length, {
      timeout: 30_000,
    })
    .toBeGreaterThan(0);
  expect((await homeOf(request, a)).items.filter((p) => p.id === post.id)).toHaveLength(1);

  const { context, page } = await openAs(browser, baseURL!, a);
  await page.goto("/");
  const home = page.getByRole("list", { name: "Following" });
  await expect(postCard(page, a, `Worth a repost ${m}`)).toHaveCount(1);
  await expect(home.getByRole("article")).toHaveCount(1);
  await context.close();
});
