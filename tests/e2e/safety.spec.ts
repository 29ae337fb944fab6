import { expect, test } from "@playwright/test";
import { callApi, createAccount, createPost, follow, openAs } from "./support/api";
import { marker, postCard } from "./support/posts";

test.use({ locale: "en-US" });

test("blocking from a profile shows on both sides", async ({ browser, baseURL, request }) => {
  const [a, b] = await Promise.all([createAccount(request, "sba"), createAccount(request, "sbb")]);
  await Promise.all([follow(request, a, b.handle), follow(request, b, a.handle)]);
  const { context: aContext, page: aPage } = await openAs(browser, baseURL!, a);
  const { context: bContext, page: bPage } = await openAs(browser, baseURL!, b);

  // A blocks B from B's profile, with a confirmation.
  await aPage.goto(`/u/?h=${b.handle}`);
  await expect(aPage.getByRole("button", { name: "Unfollow" })).toBeVisible();
  await aPage.getByRole("button", { name: `More actions for @${b.handle}` }).click();
  await aPage.getByRole("button", { name: "Block", exact: true }).click();
  const dialog = aPage.getByRole("dialog", { name: `Block @${b.handle}?` });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Block" }).click();
  await expect(aPage.getByText(`You blocked @${b.handle}.`)).toBeVisible();
  await expect(aPage.getByRole("button", { name: /^(Follow|Unfollow)$/ })).toHaveCount(0);
  await expect(aPage.getByRole("link", { name: "0 Followers" })).toBeVisible();

  // B, in another browser, sees the block on A's profile: no follow, message or call; B's follow ended.
  await bPage.goto(`/u/?h=${a.handle}`);
  await expect(bPage.getByText(`@${a.handle} has blocked you.`)).toBeVisible();
  await expect(bPage.getByRole("button", { name: /^(Follow|Unfollow|Message)$/ })).toHaveCount(0);
  await expect(bPage.getByRole("link", { name: "0 Followers" })).toBeVisible();

  await aContext.close();
  await bContext.close();
});

test("a blocked account leaves home and is unblocked from settings", async ({
  browser,
  baseURL,
  request,
}) => {
  const [a, b, c] = await Promise.all([
    createAccount(request, "sua"),
    createAccount(request, "sub"),
    createAccount(request, "suc"),
  ]);
  await Promise.all([follow(request, a, b.handle), follow(request, a, c.handle)]);
  const [m, control] = [marker(), marker()];
  await createPost(request, b, `Before the block ${m}`);
  await createPost(request, c, `Still here ${control}`);
  await callApi(request, a, "POST", `/users/${b.handle}/block`);
  const { context, page } = await openAs(browser, baseURL!, a);

  await page.goto("/");
  await expect(postCard(page, c, control)).toBeVisible();
  await expect(postCard(page, b, m)).toHaveCount(0);

  await page.goto("/settings/");
  const blocked = page.getByRole("region", { name: "Blocked accounts" });
  await expect(blocked.getByRole("link", { name: new RegExp(`@${b.handle}`) })).toBeVisible();
  await blocked.getByRole("button", { name: `Unblock @${b.handle}` }).click();
  await expect(blocked.getByText("You haven't blocked anyone.")).toBeVisible();
  await page.goto(`/u/?h=${b.handle}`);
  await expect(page.getByRole("button", { name: "Follow" })).toBeVisible();
  await context.close();
});

test("a muted word takes a post out of home; removing it brings it back", async ({
  browser,
  baseURL,
  request,
}) => {
  const [a, b] = await Promise.all([createAccount(request, "swa"), createAccount(request, "swb")]);
  await follow(request, a, b.handle);
  const [word, other] = [marker(), marker()];
  await createPost(request, b, `Spoiler ahead: ${word}`);
  await createPost(request, b, `Nothing to hide ${other}`);
  const { context, page } = await openAs(browser, baseURL!, a);
  await page.goto("/");
  await expect(postCard(page, b, word)).toBeVisible();

  await page.goto("/settings/");
  const words = page.getByRole("region", { name: "Muted words" });
  await words.getByLabel("Word or #hashtag").fill(word.toUpperCase());
  await words.getByLabel("For how long").selectOption({ label: "24 hours" });
  await words.getByRole("button", { name: "Mute word" }).click();
  await expect(words.getByText(word.toUpperCase(), { exact: true })).toBeVisible();
  await expect(words.getByText(/^until /)).toBeVisible();

  await page.goto("/");
  await expect(postCard(page, b, other)).toBeVisible();
  await expect(postCard(page, b, word)).toHaveCount(0);

  await page.goto("/settings/");
  await page.getByRole("button", { name: `Stop muting ${word.toUpperCase()}` }).click();
  await expect(page.getByText("No muted words.")).toBeVisible();
  await page.goto("/");
  await expect(postCard(page, b, word)).toBeVisible();
  await context.close();
});

test("the profile menu and a blocked 1:1 room fit a 360 px phone in Japanese @phone", async ({
  browser,
  baseURL,
  request,
}) => {
  const [a, b] = await Promise.all([createAccount(request, "spa"), createAccount(request, "spb")]);
  const room = await callApi<{ id: string }>(request, a, "POST", "/rooms", { memberHandles: [b.handle] });
  const { context, page } = await openAs(browser, baseURL!, a, {
    lang: "ja",
    viewport: { width: 360, height: 740 },
  });
  await page.goto(`/u/?h=${b.handle}`);
  const more = page.getByRole("button", { name: `@${b.handle} のその他の操作` });
  await expect(more).toBeInViewport({ ratio: 1 });
  // Keyboard only: open the menu, pick Mute (focus starts on the first item), then block by Enter and confirm.
  await more.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("button", { name: "ブロック", exact: true })).toBeFocused();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: `@${b.handle} をブロックしますか？` });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "ブロック" }).click();
  await expect(page.getByText(`@${b.handle} をブロックしています。`)).toBeInViewport();

  // The room they shared is read-only and says why.
  await page.goto(`/chat/?room=${room.id}`);
  await expect(
    page.getByText("この会話は読み取り専用です：どちらかが相手をブロックしています。"),
  ).toBeInViewport();
  await expect(page.getByRole("textbox")).toHaveCount(0);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await context.close();
});
