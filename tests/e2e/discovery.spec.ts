import { expect, test } from "@playwright/test";
import { callApi, createAccount, createPost, follow, openAs } from "./support/api";
import { marker } from "./support/posts";

// Discovery on the search page: trending tags, who to follow, people and posts as the real cards.
test("the search page shows trending tags, who to follow, people with Follow, posts as cards", async ({
  browser,
  request,
  baseURL,
}) => {
  const [a, b, c] = await Promise.all([
    createAccount(request, "dsa"),
    createAccount(request, "dsb"),
    createAccount(request, "dsc"),
  ]);
  const tag = `d${Date.now().toString(36)}`;
  const m = marker();
  await follow(request, a, b.handle);
  await follow(request, b, c.handle);
  await follow(request, c, a.handle);
  await createPost(request, b, `hello #${tag} ${m} https://example.com/x`);
  await createPost(request, c, `me too #${tag}`);

  // The index is eventually consistent (and slow on a loaded machine): wait for it, then read the page once.
  const indexed = async (path: string, found: (body: { items: Record<string, unknown>[] }) => boolean) =>
    expect
      .poll(async () => found(await callApi(request, a, "GET", path)), { timeout: 60_000, intervals: [500] })
      .toBe(true);
  await indexed("/search/trending?limit=20", (r) => r.items.some((i) => i.tag === tag && i.authors === 2));
  const { context, page } = await openAs(browser, baseURL!, a);
  await page.goto("/search/");
  // Trending: the tag two people used today, linked to its page.
  const trending = page.getByRole("region", { name: "Trending in the last 24 hours" });
  await expect(trending.getByRole("link", { name: `#${tag}` })).toBeVisible();
  await expect(trending.getByRole("listitem").filter({ hasText: `#${tag}` })).toContainText("2 people");

  // Who to follow: C, followed by B whom A follows; never B (already followed) or A.
  const who = page.getByRole("list", { name: "Who to follow" });
  const cRow = who.getByRole("listitem").filter({ hasText: `@${c.handle}` });
  await expect(cRow).toContainText("Followed by 1 you follow");
  await expect(cRow).toContainText("Follows you");
  await expect(who.getByText(`@${b.handle}`)).toHaveCount(0);
  const followed = page.waitForResponse((r) => r.url().endsWith(`/users/${c.handle}/follow`));
  await cRow.getByRole("button", { name: "Follow" }).click();
  expect((await followed).status()).toBe(204);
  await expect(cRow.getByRole("button", { name: "Unfollow" })).toBeVisible();

  // People results: avatar, bio, "follows you" and a Follow button.
  await callApi(request, c, "PATCH", "/me", { bio: `I like #${tag}` });
  await indexed(`/search/users?q=${c.handle}`, (r) => r.items.length > 0);
  await page.getByRole("searchbox").fill(c.handle);
  await page.getByRole("tab", { name: "People" }).click();
  const person = page
    .getByRole("list", { name: "People" })
    .getByRole("listitem")
    .filter({ hasText: `@${c.handle}` });
  await expect(person).toBeVisible();
  await expect(person).toContainText("Follows you");
  await expect(person.getByRole("button", { name: "Unfollow" })).toBeVisible();

  // Post results are the real post cards: link, hashtag link, like, with the match marked.
  await indexed(`/search/posts?q=${m}`, (r) => r.items.length > 0);
  await page.getByRole("searchbox").fill(m);
  await page.getByRole("tab", { name: "Posts" }).click();
  const card = page.getByRole("article", { name: `Post by ${b.displayName}` });
  await expect(card).toBeVisible();
  await expect(card.locator("mark")).toHaveText([m]);
  await expect(card.getByRole("link", { name: "https://example.com/x" })).toBeVisible();
  await expect(card.getByRole("link", { name: `#${tag}` })).toBeVisible();
  const liked = page.waitForResponse((r) => r.url().endsWith("/like") && r.request().method() === "POST");
  await card.getByRole("button", { name: "Like" }).click();
  expect((await liked).status()).toBe(204);
  await expect(card.getByRole("button", { name: "Like" })).toHaveAttribute("aria-pressed", "true");

  // A bio's hashtag is a link.
  await page.goto(`/u/?h=${c.handle}`);
  await page
    .getByRole("link", { name: `#${tag}` })
    .first()
    .click();
  await expect(page).toHaveURL(new RegExp(`/tag/\\?t=${tag}`));
  await context.close();
});

test("keyboard shortcuts: j/k move between posts, n writes, / searches, ? lists them; not while typing", async ({
  browser,
  request,
  baseURL,
}) => {
  const a = await createAccount(request, "kba");
  const [first, second] = [marker(), marker()];
  await createPost(request, a, `older ${first}`);
  await createPost(request, a, `newer ${second}`);
  const { context, page } = await openAs(browser, baseURL!, a);
  await page.goto("/");
  const cards = page.getByRole("main").getByRole("article");
  await expect(cards.filter({ hasText: second })).toBeVisible();
  await page.locator("body").click({ position: { x: 1, y: 1 } });
  await page.keyboard.press("j");
  await expect(cards.filter({ hasText: second })).toBeFocused();
  await page.keyboard.press("j");
  await expect(cards.filter({ hasText: first })).toBeFocused();
  await page.keyboard.press("k");
  await expect(cards.filter({ hasText: second })).toBeFocused();

  await page.keyboard.press("?");
  const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText("Next post");
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();

  await page.keyboard.press("n");
  const box = page.getByRole("form", { name: "New post" }).getByRole("textbox");
  await expect(box).toBeFocused();
  // Typing "j", "/" or "n" in the composer types them.
  await page.keyboard.type("j/n");
  await expect(box).toHaveValue("j/n");
  await expect(page).toHaveURL(/\/$/);

  await box.blur();
  await page.keyboard.press("/");
  await expect(page).toHaveURL(/\/search\/$/);
  await context.close();
});
