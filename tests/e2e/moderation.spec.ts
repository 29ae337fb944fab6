// Reports and moderators end to end: a reader reports a post from its "Report" action, a moderator (granted with
// `npm run admin -- grant`) removes it from /admin/, and its author is told and finds it gone; a suspended author's
// posts leave their followers' homes until the lift.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, type Page, test } from "@playwright/test";
import {
  type Account,
  callApi,
  createAccount,
  createPost,
  follow,
  openAs,
  signInTokens,
} from "./support/api";
import { marker, postCard } from "./support/posts";

const run = promisify(execFile);

/** Makes the account a moderator on the cloud under test (playwright.config.ts runs it on .asyncsns/e2e). */
async function grant(account: Account): Promise<void> {
  const { stdout } = await run("npx", ["tsx", "scripts/admin.ts", "grant", account.email], {
    env: { ...process.env, ASYNCSNS_DATA_DIR: ".asyncsns/e2e" },
  });
  expect(stdout).toContain("is a moderator");
}

const nav = (page: Page) => page.getByRole("navigation", { name: /Main|メイン/ });

/** Nothing is wider than the viewport: no sideways scrolling on a phone. */
async function fitsWidth(page: Page) {
  const [scroll, client] = await page.evaluate(() => [
    document.documentElement.scrollWidth,
    document.documentElement.clientWidth,
  ]);
  expect(scroll).toBeLessThanOrEqual(client);
}

test.describe("reports and moderation", () => {
  test.use({ locale: "en-US" });
  // Three people's sessions and a spawned `npm run admin` each, on a cloud whose functions (Moderation among them)
  // may still start cold: more than the default minute, never a fixed sleep.
  test.slow();

  test("a reader reports a post, a moderator removes it, and its author is told and finds it gone", async ({
    browser,
    request,
    baseURL,
  }) => {
    const [author, reader, mod] = await Promise.all([
      createAccount(request, "rau"),
      createAccount(request, "rrd"),
      createAccount(request, "rmo"),
    ]);
    await grant(mod);
    const post = await createPost(request, author, "buy cheap followers now");

    // The reader reports from the post's own page: a reason (required) and a note.
    const { page: readerPage } = await openAs(browser, baseURL!, reader);
    await readerPage.goto(`/post/?id=${post.id}`);
    const card = readerPage.getByRole("article", { name: new RegExp(author.displayName) }).first();
    await card.getByRole("button", { name: "Report" }).click();
    const dialog = readerPage.getByRole("dialog", { name: "Report this post" });
    await dialog.getByRole("button", { name: "Send report" }).click();
    await expect(dialog.getByRole("alert")).toHaveText("Choose a reason.");
    await dialog.getByRole("radio", { name: "Spam" }).check();
    await dialog.getByLabel(/Anything the moderators should know/).fill("a follower-selling bot");
    await dialog.getByRole("button", { name: "Send report" }).click();
    await expect(dialog.getByRole("status")).toContainText("The moderators will look at it");
    await dialog.getByRole("button", { name: "Done" }).click();
    await expect(dialog).toBeHidden();

    // Nobody else has the Moderation link; the page itself says so to a non-moderator.
    await expect(nav(readerPage).getByRole("link", { name: "Moderation" })).toHaveCount(0);
    await readerPage.goto("/admin/");
    await expect(readerPage.getByText("This page is for moderators only.")).toBeVisible();

    // The moderator's token (refreshed at start) carries the group: the link and the queue are there.
    const { page: modPage } = await openAs(browser, baseURL!, mod);
    await modPage.goto("/");
    await nav(modPage).getByRole("link", { name: "Moderation" }).click();
    await expect(modPage.getByRole("heading", { name: "Moderation", level: 1 })).toBeVisible();
    const queue = modPage.getByRole("region", { name: "Reports, oldest first" });
    const reported = queue.getByRole("listitem").filter({ hasText: "buy cheap followers now" });
    // The page's first reads may each wake a cold Query worker.
    await expect(reported).toContainText("Spam", { timeout: 30_000 });
    await expect(reported).toContainText("a follower-selling bot");
    await expect(reported).toContainText(`@${author.handle}`);
    // By keyboard: a note, then the action.
    await reported.getByLabel("Note for the audit log (optional)").fill("spam bot");
    await reported.getByRole("button", { name: "Remove post" }).focus();
    await modPage.keyboard.press("Enter");
    await expect(reported).toHaveCount(0);
    const log = modPage.getByRole("region", { name: "Audit log" });
    await expect(log.getByRole("listitem").first()).toContainText(
      `@${mod.handle} removed content by @${author.handle} — spam bot`,
    );

    // The author is told, and the post is gone for them and for everyone.
    const { page: authorPage } = await openAs(browser, baseURL!, author);
    await authorPage.goto("/notifications/");
    await expect(
      authorPage.getByRole("link", { name: /A moderator removed your post or message/ }),
    ).toBeVisible({ timeout: 30_000 });
    await authorPage.goto(`/post/?id=${post.id}`);
    await expect(authorPage.getByText("This post doesn't exist or was deleted.")).toBeVisible();
    await readerPage.goto(`/post/?id=${post.id}`);
    await expect(readerPage.getByText("This post doesn't exist or was deleted.")).toBeVisible();
  });

  test("@phone at 360 px, in Japanese: report a person from their profile, suspend them, lift it", async ({
    browser,
    request,
    baseURL,
  }) => {
    const viewport = { width: 360, height: 740 };
    const [target, reader, mod] = await Promise.all([
      createAccount(request, "rtg"),
      createAccount(request, "rrp"),
      createAccount(request, "rmp"),
    ]);
    await grant(mod);

    const { page: readerPage } = await openAs(browser, baseURL!, reader, { lang: "ja", viewport });
    await readerPage.goto(`/u/?h=${target.handle}`);
    await readerPage.getByRole("button", { name: "報告" }).click();
    const dialog = readerPage.getByRole("dialog", { name: "このユーザーを報告" });
    await dialog.getByRole("radio", { name: "嫌がらせ・いじめ" }).check();
    await fitsWidth(readerPage);
    await dialog.getByRole("button", { name: "報告を送信" }).click();
    await expect(dialog.getByRole("status")).toContainText("モデレーターが確認します");

    const { page: modPage } = await openAs(browser, baseURL!, mod, { lang: "ja", viewport });
    await modPage.goto("/admin/");
    const reported = modPage
      .getByRole("region", { name: "報告（古い順）" })
      .getByRole("listitem")
      .filter({ hasText: `@${target.handle}` });
    await expect(reported).toContainText("嫌がらせ・いじめ", { timeout: 30_000 });
    await fitsWidth(modPage);
    await reported.getByRole("button", { name: "投稿者を停止" }).click();
    await expect(reported).toHaveCount(0);
    await expect(
      modPage.getByRole("region", { name: "監査ログ" }).getByRole("listitem").first(),
    ).toContainText(`@${mod.handle} が @${target.handle} を停止しました`);

    // Suspended: hidden from others until a moderator lifts it.
    await readerPage.goto(`/u/?h=${target.handle}`);
    await expect(readerPage.getByRole("heading", { name: target.displayName })).toHaveCount(0);
    const lift = modPage.getByRole("form", { name: "停止を解除" });
    await lift.getByLabel("ハンドル").fill(target.handle);
    await lift.getByRole("button", { name: "停止を解除" }).click();
    await expect(lift.getByRole("status")).toHaveText(`@${target.handle} の停止を解除しました。`);
    await expect(
      modPage.getByRole("region", { name: "監査ログ" }).getByRole("listitem").first(),
    ).toContainText(`@${mod.handle} が @${target.handle} の停止を解除しました`);
    await fitsWidth(modPage);
    await readerPage.reload();
    await expect(readerPage.getByRole("heading", { name: target.displayName })).toBeVisible();
  });

  test("a follower's home loses a suspended author's post, and has it back after the lift", async ({
    browser,
    request,
    baseURL,
  }) => {
    const [author, friend, follower, mod] = await Promise.all([
      createAccount(request, "rsa"),
      createAccount(request, "rsf"),
      createAccount(request, "rsr"),
      createAccount(request, "rsm"),
    ]);
    await grant(mod);
    // A new sign-in after the grant: its token carries the moderators group.
    const moderator = { ...mod, accessToken: (await signInTokens(request, mod)).AccessToken };
    await Promise.all([follow(request, follower, author.handle), follow(request, follower, friend.handle)]);
    const text = `soon suspended ${marker()}`;
    await createPost(request, author, text);
    // Someone else's later post: once it shows, the home page has loaded and its answer is settled.
    const other = `still here ${marker()}`;
    await createPost(request, friend, other);

    const { page } = await openAs(browser, baseURL!, follower);
    await page.goto("/");
    const reloadUntil = async (visible: boolean) =>
      expect(async () => {
        await page.reload();
        await expect(postCard(page, friend, other)).toBeVisible({ timeout: 15_000 });
        if (visible) await expect(postCard(page, author, text)).toBeVisible({ timeout: 1_000 });
        else await expect(postCard(page, author, text)).toHaveCount(0);
      }).toPass({ timeout: 60_000, intervals: [500, 1_000, 2_000] });
    await reloadUntil(true);

    await callApi(request, follower, "POST", "/reports", { type: "user", id: author.id, reason: "spam" });
    const { items } = await callApi<{ items: { id: string; targetId: string }[] }>(
      request,
      moderator,
      "GET",
      "/admin/reports?limit=50",
    );
    const target = items.find((c) => c.targetId === author.id);
    expect(target).toBeTruthy();
    await callApi(request, moderator, "POST", `/admin/reports/${target?.id}/resolve`, { action: "suspend" });
    // The card marked suspended reaches the post through the Cards subscriber: asynchronous, so reloaded until.
    await reloadUntil(false);

    await callApi(request, moderator, "POST", `/admin/users/${author.handle}/unsuspend`, {});
    await reloadUntil(true);
  });
});
