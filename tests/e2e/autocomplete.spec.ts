import AxeBuilder from "@axe-core/playwright";
import { type APIRequestContext, expect, type Page, test } from "@playwright/test";
import { type Account, callApi, createAccount, createPost, follow, openAs } from "./support/api";
import { marker, postCard } from "./support/posts";

// @mention and #hashtag autocomplete in the post composer: a combobox whose picks become real links.

/** The search index is fed by the table's stream: wait until it answers, as a user would wait for results. */
async function indexed(request: APIRequestContext, account: Account, path: string, want: string) {
  await expect
    .poll(
      async () =>
        (
          await callApi<{ items: { handle?: string; tag?: string }[] }>(request, account, "GET", path)
        ).items.some((i) => i.handle === want || i.tag === want),
      { timeout: 60_000, intervals: [500] },
    )
    .toBe(true);
}

const options = (page: Page) => page.getByRole("listbox").getByRole("option");

test("a mention and a tag picked with the keyboard are posted as links and notify", async ({
  browser,
  request,
  baseURL,
}) => {
  const [a, b] = await Promise.all([createAccount(request, "aca"), createAccount(request, "acb")]);
  const m = marker();
  const tag = `ac${m}`;
  await follow(request, a, b.handle);
  await createPost(request, b, `seeding #${tag}`);
  await indexed(request, a, `/search/users?q=${b.handle}`, b.handle);
  await indexed(request, a, `/search/tags?q=${tag}`, tag);

  const { context, page } = await openAs(browser, baseURL!, a);
  await page.goto("/");
  const box = page
    .getByRole("form", { name: "New post" })
    .getByRole("combobox", { name: "What's happening?" });
  await expect(box).toHaveAttribute("aria-expanded", "false");
  await box.click();
  await page.keyboard.type(`Hi @${b.handle.slice(0, -2)}`);
  await expect(box).toHaveAttribute("aria-expanded", "true");
  const people = page.getByRole("listbox", { name: "People" });
  await expect(box).toHaveAttribute("aria-controls", (await people.getAttribute("id"))!);
  const bOption = people.getByRole("option").filter({ hasText: `@${b.handle}` });
  // Someone one follows comes first, with name and handle.
  await expect(options(page).first()).toContainText(b.displayName);
  await expect(options(page).first()).toContainText(`@${b.handle}`);
  await expect(bOption).toHaveAttribute("aria-selected", "true");
  await expect(box).toHaveAttribute("aria-activedescendant", (await bOption.getAttribute("id"))!);
  // The open combobox and its listbox pass axe (nothing serious or critical).
  const { violations } = await new AxeBuilder({ page }).include("form.composer").analyze();
  expect(violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
  // The arrows move the active option (and wrap), Enter inserts the handle and a space.
  const count = await options(page).count();
  await page.keyboard.press("ArrowDown");
  await expect(options(page).nth(count > 1 ? 1 : 0)).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("ArrowUp");
  await expect(bOption).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("Enter");
  await expect(box).toHaveValue(`Hi @${b.handle} `);
  await expect(box).toHaveAttribute("aria-expanded", "false");

  // Escape closes the list; typing goes on as normal.
  await page.keyboard.type(`and #${tag.slice(0, -2)}`);
  const tags = page.getByRole("listbox", { name: "Hashtags" });
  await expect(tags.getByRole("option", { name: new RegExp(`#${tag}`) })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(tags).toBeHidden();
  await expect(box).toHaveAttribute("aria-expanded", "false");
  // Typing more opens it again; Tab inserts the tag.
  await page.keyboard.type(tag.slice(-2, -1));
  await expect(tags.getByRole("option", { name: new RegExp(`#${tag}`) })).toBeVisible();
  await page.keyboard.press("Tab");
  await expect(box).toHaveValue(`Hi @${b.handle} and #${tag} `);
  await expect(box).toBeFocused();

  await page.keyboard.type(m);
  await page.getByRole("button", { name: "Post", exact: true }).click();
  const card = postCard(page, a, m).first();
  await expect(card.getByRole("link", { name: `@${b.handle}` })).toHaveAttribute(
    "href",
    new RegExp(`h=${b.handle}`),
  );
  await expect(card.getByRole("link", { name: `#${tag}` })).toBeVisible();

  // The mentioned user is notified.
  await expect
    .poll(
      async () =>
        (await callApi<{ items: { type: string }[] }>(request, b, "GET", "/notifications")).items.some(
          (n) => n.type === "post.mention",
        ),
      { timeout: 30_000 },
    )
    .toBe(true);

  // A mouse click picks too.
  await box.click();
  await page.keyboard.type(` @${b.handle.slice(0, -1)}`);
  await bOption.click();
  await expect(box).toHaveValue(` @${b.handle} `);
  await context.close();
});

test("Japanese UI at 360 px: a mention right after Japanese, a tag through the IME @phone", async ({
  browser,
  request,
  baseURL,
}) => {
  const [a, b] = await Promise.all([createAccount(request, "acj"), createAccount(request, "ack")]);
  const m = marker();
  const tag = `東京${m}`;
  await createPost(request, b, `#${tag} に行った`);
  await indexed(request, a, `/search/users?q=${b.handle}`, b.handle);
  await indexed(request, a, `/search/tags?q=${encodeURIComponent(tag)}`, tag);

  const { context, page } = await openAs(browser, baseURL!, a, {
    lang: "ja",
    viewport: { width: 360, height: 740 },
  });
  await page.goto("/");
  const box = page.getByRole("combobox", { name: "いまどうしてる？" });
  await box.click();
  await page.keyboard.insertText("こんにちは");
  await page.keyboard.type(`@${b.handle.slice(0, -2)}`);
  const people = page.getByRole("listbox", { name: "ユーザー" });
  await expect(people.getByRole("option").filter({ hasText: `@${b.handle}` })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await people
    .getByRole("option")
    .filter({ hasText: `@${b.handle}` })
    .click();
  await expect(box).toHaveValue(`こんにちは@${b.handle} `);

  // An IME: nothing opens while the kana are being composed; committing "東京" after "#" offers the tag.
  const cdp = await context.newCDPSession(page);
  await page.keyboard.type("#");
  await cdp.send("Input.imeSetComposition", { text: "とうきょう", selectionStart: 5, selectionEnd: 5 });
  await expect(box).toHaveValue(`こんにちは@${b.handle} #とうきょう`);
  await expect(box).toHaveAttribute("aria-expanded", "false");
  await cdp.send("Input.insertText", { text: "東京" });
  await expect(box).toHaveValue(`こんにちは@${b.handle} #東京`);
  const tags = page.getByRole("listbox", { name: "ハッシュタグ" });
  await expect(tags.getByRole("option", { name: new RegExp(`#${tag}`) })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  // Typing on narrows the list to this run's tag (earlier runs made others like it).
  await page.keyboard.type(m.slice(0, -2));
  await expect(tags.getByRole("option")).toHaveCount(1);
  await expect(tags.getByRole("option").first()).toContainText(`#${tag}`);
  await page.keyboard.press("Enter");
  await expect(box).toHaveValue(`こんにちは@${b.handle} #${tag} `);
  await context.close();
});
