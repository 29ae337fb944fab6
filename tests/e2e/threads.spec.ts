import { expect, test } from "@playwright/test";
import { callApi, createAccount, createPost, openAs } from "./support/api";
import { marker, postCard } from "./support/posts";

test.use({ locale: "en-US" });

test("the author edits a post: it is marked edited with the time, and another reader sees the new text", async ({
  browser,
  baseURL,
  request,
}) => {
  const [a, b] = await Promise.all([createAccount(request, "ea"), createAccount(request, "eb")]);
  const m = marker();
  const post = await createPost(request, a, `First draft ${m}`);
  const { context: aContext, page: aPage } = await openAs(browser, baseURL!, a);
  const { context: bContext, page: bPage } = await openAs(browser, baseURL!, b);

  await aPage.goto(`/post/?id=${post.id}`);
  const mine = postCard(aPage, a, m);
  await expect(mine).toContainText(`First draft ${m}`);
  await expect(mine.getByText(/^Edited/)).toHaveCount(0);
  const editButton = mine.getByRole("button", { name: "Edit" });
  await editButton.click();
  const field = mine.getByRole("textbox", { name: "Edit your post" });
  await expect(field).toBeFocused();
  await expect(field).toHaveValue(`First draft ${m}`);
  const before = Date.now();
  await field.fill(`Final text ${m}`);
  await mine.getByRole("button", { name: "Save" }).click();
  await expect(field).toHaveCount(0);
  await expect(mine).toContainText(`Final text ${m}`);
  await expect(mine).not.toContainText("First draft");
  await expect(editButton).toBeFocused();
  const edited = mine.locator(".post-edited time");
  await expect(edited).toHaveText(/^Edited (now|\d+ sec\. ago)$/);
  const editedAt = Date.parse((await edited.getAttribute("datetime")) ?? "");
  expect(editedAt).toBeGreaterThanOrEqual(before - 5_000);
  expect(editedAt).toBeLessThanOrEqual(Date.now() + 5_000);

  // B reads the new text, marked edited, and has no edit or delete of his own on it.
  await bPage.goto(`/post/?id=${post.id}`);
  const theirs = postCard(bPage, a, m);
  await expect(theirs).toContainText(`Final text ${m}`);
  await expect(theirs).not.toContainText("First draft");
  await expect(theirs.locator(".post-edited time")).toHaveText(/^Edited /);
  await expect(theirs.locator(".post-edited time")).toHaveAttribute(
    "datetime",
    new Date(editedAt).toISOString(),
  );
  await expect(theirs.getByRole("button", { name: /^Like/ })).toBeVisible();
  await expect(theirs.getByRole("button", { name: "Edit" })).toHaveCount(0);
  await expect(theirs.getByRole("button", { name: "Delete" })).toHaveCount(0);

  await aContext.close();
  await bContext.close();
});

test("a reply thread: ancestors above the post, replies below, and a placeholder for a deleted parent", async ({
  browser,
  baseURL,
  request,
}) => {
  const [a, b] = await Promise.all([createAccount(request, "ta"), createAccount(request, "tb")]);
  const m = marker();
  const root = await createPost(request, a, `Root ${m}`);
  const { context, page } = await openAs(browser, baseURL!, b);

  // B replies on the root's page: the reply joins the replies at once.
  await page.goto(`/post/?id=${root.id}`);
  const replies = page.getByRole("region", { name: "Replies" });
  await expect(replies.getByText("No replies yet.")).toBeVisible();
  const composer = page.getByRole("form", { name: "Reply" });
  await composer.getByRole("textbox", { name: "Write your reply" }).fill(`Reply from B ${m}`);
  await composer.getByRole("button", { name: "Reply", exact: true }).click();
  const reply = postCard(page, b, `Reply from B ${m}`);
  await expect(replies.getByRole("list", { name: "Replies" }).getByRole("article")).toHaveCount(1);
  await expect(replies.getByRole("article")).toContainText(`Reply from B ${m}`);
  await expect(reply).toHaveAttribute("data-post-id", /^pst_/);
  await expect(reply).not.toHaveAttribute("aria-busy", "true");
  // The root's reply count follows without a reload.
  await expect(postCard(page, a, `Root ${m}`).getByRole("link", { name: "Reply 1" })).toBeVisible();
  const replyId = (await reply.getAttribute("data-post-id"))!;

  // A answers B's reply; B opens his reply's page: its ancestor above it, A's answer below.
  await createPost(request, a, `Nested answer ${m}`, replyId);
  await reply.getByRole("link", { name: /ago|now/ }).click();
  await expect(page).toHaveURL(`/post/?id=${replyId}`);
  await expect(page.getByRole("article")).toHaveText([
    new RegExp(`Root ${m}`),
    new RegExp(`Reply from B ${m}`),
    new RegExp(`Nested answer ${m}`),
  ]);
  await expect(postCard(page, b, m)).toHaveClass(/post-card-highlight/);
  await expect(replies.getByRole("article")).toHaveText([new RegExp(`Nested answer ${m}`)]);
  await expect(postCard(page, a, `Root ${m}`).getByRole("link", { name: "Reply 1" })).toBeVisible();

  // A deletes the root: B's reply keeps its thread, under a placeholder.
  await callApi(request, a, "DELETE", `/posts/${root.id}`);
  await page.reload();
  await expect(page.getByText("This post was deleted.")).toBeVisible();
  await expect(page.getByText(`Root ${m}`)).toHaveCount(0);
  await expect(page.getByRole("article")).toHaveText([
    new RegExp(`Reply from B ${m}`),
    new RegExp(`Nested answer ${m}`),
  ]);

  await context.close();
});

/** "abc123" as full-width letters and digits ("ａｂｃ１２３"), which NFKC folds back. */
const fullWidth = (text: string) =>
  text.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

test("hashtags (Japanese, full-width too), mentions and links are links, and nothing else is", async ({
  browser,
  baseURL,
  request,
}) => {
  const [a, b] = await Promise.all([createAccount(request, "ha"), createAccount(request, "hb")]);
  const m = marker();
  const tag = `東京${m}`;
  const first = await createPost(
    request,
    a,
    `桜がきれい #${tag} @${b.handle} https://example.com/path?q=1. javascript:alert(1) <b>bold</b>`,
  );
  await createPost(request, b, `夜景 ＃東京${fullWidth(m)}`);
  const { context, page } = await openAs(browser, baseURL!, a);

  await page.goto(`/post/?id=${first.id}`);
  const post = postCard(page, a, m);
  const link = post.getByRole("link", { name: "https://example.com/path?q=1" });
  await expect(link).toHaveAttribute("href", "https://example.com/path?q=1");
  await expect(link).toHaveAttribute("rel", /\bnoopener\b/);
  await expect(link).toHaveAttribute("target", "_blank");
  await expect(post).toContainText("javascript:alert(1) <b>bold</b>");
  await expect(post.locator('a[href^="javascript:"], .post-text b')).toHaveCount(0);
  await expect(post.locator(".post-text a")).toHaveCount(3);

  // The hashtag leads to its timeline, where the full-width spelling is the same tag.
  await post.getByRole("link", { name: `#${tag}` }).click();
  await expect(page).toHaveURL(`/tag/?t=${encodeURIComponent(tag)}`);
  await expect(page.getByRole("heading", { level: 1, name: `#${tag}` })).toBeVisible();
  const tagged = page.getByRole("list", { name: `#${tag}` });
  await expect(tagged.getByRole("article")).toHaveText([/夜景/, /桜がきれい/]);
  await expect(
    postCard(page, b, "夜景").getByRole("link", { name: `＃東京${fullWidth(m)}` }),
  ).toHaveAttribute("href", `/tag/?t=${encodeURIComponent(tag)}`);

  // The mention leads to the profile.
  await postCard(page, a, "桜がきれい")
    .getByRole("link", { name: `@${b.handle}` })
    .click();
  await expect(page).toHaveURL(`/u/?h=${b.handle}`);
  await expect(page.getByRole("heading", { level: 1, name: b.displayName })).toBeVisible();

  await context.close();
});
