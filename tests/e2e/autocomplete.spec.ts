import AxeBuilder from "@axe-core/playwright";
import { type APIRequestContext, expect, type Page, test } from "@playwright/test";
import { type Account, befriend, callApi, createAccount, createPost, follow, openAs } from "./support/api";
import { marker, postCard } from "./support/posts";

// @mention and #hashtag autocomplete in the post and reply composers, the post edit field and the chat composer:
// the WAI-ARIA combobox pattern on a textarea (aria-autocomplete, aria-controls, aria-activedescendant), whose
// picks become real links.

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

/** axe on what `selector` holds, with the list open: nothing at all, whatever its impact. */
async function noViolations(page: Page, selector: string) {
  const { violations } = await new AxeBuilder({ page }).include(selector).analyze();
  expect(violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target).join(", ")}`)).toEqual(
    [],
  );
}

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
    .getByRole("textbox", { name: "What's happening?" });
  await expect(box).toHaveAttribute("aria-autocomplete", "list");
  await expect(box).not.toHaveAttribute("aria-controls");
  await box.click();
  await page.keyboard.type(`Hi @${b.handle.slice(0, -2)}`);
  const people = page.getByRole("listbox", { name: "People" });
  await expect(box).toHaveAttribute("aria-controls", (await people.getAttribute("id"))!);
  const bOption = people.getByRole("option").filter({ hasText: `@${b.handle}` });
  // Someone one follows comes first, with name and handle.
  await expect(options(page).first()).toContainText(b.displayName);
  await expect(options(page).first()).toContainText(`@${b.handle}`);
  await expect(bOption).toHaveAttribute("aria-selected", "true");
  await expect(box).toHaveAttribute("aria-activedescendant", (await bOption.getAttribute("id"))!);
  // A screen reader hears how many suggestions there are.
  const n = await options(page).count();
  await expect(
    page.getByRole("status").filter({ hasText: n === 1 ? "1 suggestion" : `${n} suggestions` }),
  ).toBeAttached();
  // The open combobox and its listbox pass axe: no violation of any impact (minor aria-allowed-role included).
  await noViolations(page, "form.composer");
  // The arrows move the active option (and wrap), Enter inserts the handle and a space.
  const count = await options(page).count();
  await page.keyboard.press("ArrowDown");
  await expect(options(page).nth(count > 1 ? 1 : 0)).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("ArrowUp");
  await expect(bOption).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("Enter");
  await expect(box).toHaveValue(`Hi @${b.handle} `);
  await expect(box).not.toHaveAttribute("aria-controls");

  // Escape closes the list; typing goes on as normal.
  await page.keyboard.type(`and #${tag.slice(0, -2)}`);
  const tags = page.getByRole("listbox", { name: "Hashtags" });
  await expect(tags.getByRole("option", { name: new RegExp(`#${tag}`) })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(tags).toBeHidden();
  await expect(box).not.toHaveAttribute("aria-controls");
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
  const box = page.getByRole("textbox", { name: "いまどうしてる？" });
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
  await expect(box).not.toHaveAttribute("aria-controls");
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

test("the chat composer offers the room's members first, then people one follows; Enter picks, then sends", async ({
  browser,
  request,
  baseURL,
}) => {
  // One tag for this run's people, so the search for it finds exactly them.
  const run = `z${Math.floor(Math.random() * 36 ** 3)
    .toString(36)
    .padStart(3, "0")}`;
  const [a, b, c, d, e] = await Promise.all([
    createAccount(request, "chq"),
    createAccount(request, run),
    createAccount(request, run),
    createAccount(request, run),
    createAccount(request, run),
  ]);
  await befriend(request, a, b, c);
  await follow(request, a, d.handle);
  const room = await callApi<{ id: string }>(request, a, "POST", "/rooms", {
    memberHandles: [b.handle, c.handle],
    name: "Crew",
  });
  for (const x of [b, c, d, e]) await indexed(request, a, `/search/users?q=${run}`, x.handle);

  const { context, page } = await openAs(browser, baseURL!, a);
  await page.goto(`/chat/room/?id=${room.id}`);
  const form = page.locator("form.composer");
  const box = form.getByRole("textbox", { name: "Message" });
  await box.click();
  await page.keyboard.type(`hi @${run}`);
  const people = page.getByRole("listbox", { name: "People" });
  await expect(people.getByRole("option")).toHaveCount(4);
  await expect(box).toHaveAttribute("aria-controls", (await people.getAttribute("id"))!);
  // The members first (marked), then the person one follows, then the rest.
  const rows = await people.getByRole("option").allInnerTexts();
  expect(rows.slice(0, 2).every((r) => r.includes("Member"))).toBe(true);
  expect(
    rows
      .slice(0, 2)
      .map((r) => (r.includes(`@${b.handle}`) ? "b" : r.includes(`@${c.handle}`) ? "c" : r))
      .sort(),
  ).toEqual(["b", "c"]);
  expect(rows[2]).toContain(`@${d.handle}`);
  expect(rows[2]).toContain("Following");
  expect(rows[3]).toContain(`@${e.handle}`);
  await expect(page.getByRole("status").filter({ hasText: "4 suggestions" })).toBeAttached();
  await noViolations(page, "form.composer");

  // The arrows move and wrap; Enter picks (it does not send); Escape closes the list only.
  await page.keyboard.press("ArrowUp");
  const last = people.getByRole("option").nth(3);
  await expect(last).toHaveAttribute("aria-selected", "true");
  await expect(box).toHaveAttribute("aria-activedescendant", (await last.getAttribute("id"))!);
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("Enter");
  await expect(box).toHaveValue(`hi @${d.handle} `);
  await expect(people).toBeHidden();
  await page.keyboard.type(`and @${b.handle.slice(0, -1)}`);
  await expect(people.getByRole("option").first()).toContainText(`@${b.handle}`);
  await page.keyboard.press("Escape");
  await expect(people).toBeHidden();
  await expect(box).toHaveValue(`hi @${d.handle} and @${b.handle.slice(0, -1)}`);
  // Typing on opens it again, the member first; Tab picks.
  await page.keyboard.type(b.handle.slice(-1));
  await expect(people.getByRole("option").first()).toContainText(`@${b.handle}`);
  await page.keyboard.press("Tab");
  await expect(box).toHaveValue(`hi @${d.handle} and @${b.handle} `);
  // With the list closed, Enter sends.
  await page.keyboard.press("Enter");
  await expect(page.getByRole("log", { name: "Messages" })).toContainText(`hi @${d.handle} and @${b.handle}`);
  await expect(box).toHaveValue("");

  // At 360 px the list opens above the composer, inside the screen, and nothing overflows.
  await page.setViewportSize({ width: 360, height: 740 });
  await box.click();
  await page.keyboard.type(`@${run}`);
  await expect(people.getByRole("option")).toHaveCount(4);
  const list = (await people.boundingBox())!;
  const field = (await box.boundingBox())!;
  expect(list.y + list.height).toBeLessThanOrEqual(field.y + 1);
  expect(list.y).toBeGreaterThanOrEqual(0);
  expect(list.x + list.width).toBeLessThanOrEqual(360);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await context.close();
});

test("the post edit field completes a mention in Japanese at 360 px @phone", async ({
  browser,
  request,
  baseURL,
}) => {
  const [a, b] = await Promise.all([createAccount(request, "ace"), createAccount(request, "acf")]);
  const m = marker();
  await follow(request, a, b.handle);
  const post = await createPost(request, a, `下書き ${m}`);
  await indexed(request, a, `/search/users?q=${b.handle}`, b.handle);

  const { context, page } = await openAs(browser, baseURL!, a, {
    lang: "ja",
    viewport: { width: 360, height: 740 },
  });
  await page.goto(`/post/?id=${post.id}`);
  const card = page.getByRole("article", { name: `${a.displayName} さんの投稿` }).filter({ hasText: m });
  await card.getByRole("button", { name: "編集" }).click();
  const field = card.getByRole("textbox", { name: "投稿を編集" });
  await expect(field).toBeFocused();
  await expect(field).toHaveAttribute("aria-autocomplete", "list");
  await page.keyboard.press("End");
  await page.keyboard.type(` @${b.handle.slice(0, -2)}`);
  const people = page.getByRole("listbox", { name: "ユーザー" });
  const bOption = people.getByRole("option").filter({ hasText: `@${b.handle}` });
  await expect(bOption).toContainText("フォロー中");
  await expect(field).toHaveAttribute("aria-controls", (await people.getAttribute("id"))!);
  await expect(page.getByRole("status").filter({ hasText: /^候補 \d+ 件$/ })).toBeAttached();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await noViolations(page, "form.post-edit");
  // Escape closes the list, not the edit; a second Escape closes the edit.
  await page.keyboard.press("Escape");
  await expect(people).toBeHidden();
  await expect(field).toBeVisible();
  await page.keyboard.type(b.handle.slice(-2, -1));
  await expect(bOption).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("Enter");
  await expect(field).toHaveValue(`下書き ${m} @${b.handle} `);
  await card.getByRole("button", { name: "保存" }).click();
  await expect(field).toHaveCount(0);
  await expect(card.getByRole("link", { name: `@${b.handle}` })).toBeVisible();
  await context.close();
});
