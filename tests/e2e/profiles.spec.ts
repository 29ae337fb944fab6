import { expect, type Page, test } from "@playwright/test";
import { callApi, confirmed, createAccount, createPost, follow, openAs } from "./support/api";
import { gradientPng } from "./support/png";
import { marker, postCard } from "./support/posts";

test.use({ locale: "en-US" });

test("a repost is counted, shows on the reposter's profile as reposted by them, and can be taken back", async ({
  browser,
  baseURL,
  request,
}) => {
  const [a, b] = await Promise.all([createAccount(request, "ra"), createAccount(request, "rb")]);
  const m = marker();
  const post = await createPost(request, a, `Worth sharing ${m}`);
  const { context: aContext, page: aPage } = await openAs(browser, baseURL!, a);
  const { context: bContext, page: bPage } = await openAs(browser, baseURL!, b);

  await bPage.goto(`/u/?h=${a.handle}`);
  const repost = postCard(bPage, a, m).getByRole("button", { name: /^Repost/ });
  await expect(repost).toHaveAccessibleName("Repost 0");
  await expect(repost).toHaveAttribute("aria-pressed", "false");
  await confirmed(bPage, "POST", /\/repost$/, () => repost.click());
  await expect(repost).toHaveAttribute("aria-pressed", "true");
  await expect(repost).toHaveAccessibleName("Repost 1");

  // On B's profile, A's post is there, said to be B's repost.
  await bPage.goto(`/u/?h=${b.handle}`);
  const shared = postCard(bPage, a, m);
  await expect(shared).toHaveCount(1);
  await expect(shared.getByRole("link", { name: `${b.displayName} reposted` })).toHaveAttribute(
    "href",
    `/u/?h=${b.handle}`,
  );
  const again = shared.getByRole("button", { name: /^Repost/ });
  await expect(again).toHaveAttribute("aria-pressed", "true");

  // A sees the count on her post, not pressed for her.
  await aPage.goto(`/post/?id=${post.id}`);
  const aRepost = postCard(aPage, a, m).getByRole("button", { name: /^Repost/ });
  await expect(aRepost).toHaveAccessibleName("Repost 1");
  await expect(aRepost).toHaveAttribute("aria-pressed", "false");

  // B takes it back: gone from his profile, and the count is back to 0.
  await confirmed(bPage, "DELETE", /\/repost$/, () => again.click());
  await expect(again).toHaveAttribute("aria-pressed", "false");
  await expect(again).toHaveAccessibleName("Repost 0");
  await bPage.reload();
  await expect(bPage.getByText("Posts will appear here.")).toBeVisible();
  await expect(postCard(bPage, a, m)).toHaveCount(0);
  await aPage.reload();
  await expect(aRepost).toHaveAccessibleName("Repost 0");

  await aContext.close();
  await bContext.close();
});

test("followers and following lists show who follows you, with follow buttons that work", async ({
  browser,
  baseURL,
  request,
}) => {
  const [a, b, c, d] = await Promise.all([
    createAccount(request, "fa"),
    createAccount(request, "fb"),
    createAccount(request, "fc"),
    createAccount(request, "fd"),
  ]);
  // A and B follow each other; C follows A; A follows D.
  await Promise.all([
    follow(request, a, b.handle),
    follow(request, a, d.handle),
    follow(request, b, a.handle),
    follow(request, c, a.handle),
  ]);
  const { context, page } = await openAs(browser, baseURL!, a);

  await page.goto(`/u/?h=${a.handle}`);
  await page.getByRole("link", { name: "2 Following" }).click();
  await expect(
    page.getByRole("heading", { level: 1, name: `People ${a.displayName} follows` }),
  ).toBeVisible();
  const following = page.getByRole("list", { name: `People ${a.displayName} follows` }).getByRole("listitem");
  await expect(following).toHaveCount(2);
  const person = (name: string) => page.getByRole("listitem").filter({ hasText: name });
  await expect(person(b.displayName).getByText("Follows you")).toBeVisible();
  await expect(person(d.displayName).getByText("Follows you")).toHaveCount(0);
  await expect(person(b.displayName).getByRole("button", { name: "Unfollow" })).toBeVisible();
  await expect(person(d.displayName).getByRole("button", { name: "Unfollow" })).toBeVisible();

  await page.getByRole("link", { name: `Back to ${a.displayName}` }).click();
  await page.getByRole("link", { name: "2 Followers" }).click();
  await expect(
    page.getByRole("heading", { level: 1, name: `People following ${a.displayName}` }),
  ).toBeVisible();
  const followers = page
    .getByRole("list", { name: `People following ${a.displayName}` })
    .getByRole("listitem");
  await expect(followers).toHaveCount(2);
  await expect(followers.getByText("Follows you")).toHaveCount(2);
  await expect(person(b.displayName).getByRole("button", { name: "Unfollow" })).toBeVisible();

  // A follows C back from the list; C's profile then says so.
  await confirmed(page, "POST", /\/follow$/, () =>
    person(c.displayName).getByRole("button", { name: "Follow", exact: true }).click(),
  );
  await expect(person(c.displayName).getByRole("button", { name: "Unfollow" })).toBeVisible();
  await person(c.displayName)
    .getByRole("link", { name: new RegExp(c.displayName) })
    .click();
  await expect(page.getByRole("heading", { level: 1, name: c.displayName })).toBeVisible();
  await expect(page.getByText("Follows you")).toBeVisible();
  await expect(page.getByRole("button", { name: "Unfollow" })).toBeVisible();
  await expect(page.getByRole("link", { name: "1 Follower" })).toBeVisible();

  await context.close();
});

test("a profile picture: a wrong file is refused, an image uploads with progress and shows on the profile and on posts, then is removed", async ({
  browser,
  baseURL,
  request,
}) => {
  const [a, b] = await Promise.all([createAccount(request, "pa"), createAccount(request, "pb")]);
  const m = marker();
  await createPost(request, a, `Hello with a face ${m}`);
  const { context, page } = await openAs(browser, baseURL!, a);
  await page.goto(`/u/?h=${a.handle}`);
  await page.getByRole("button", { name: "Edit profile" }).click();
  const picture = page.getByRole("group", { name: "Profile picture" });
  const choose = async (file: { name: string; mimeType: string; buffer: Buffer }) => {
    const chooser = page.waitForEvent("filechooser");
    await picture.getByRole("button", { name: /^(Choose a|Change) picture$/ }).click();
    await (await chooser).setFiles(file);
  };

  // Not an image: refused at once, with the reason, and nothing is uploaded.
  await choose({ name: "song.mp3", mimeType: "audio/mpeg", buffer: Buffer.from("ID3 not really a song") });
  await expect(picture.getByRole("alert")).toHaveText(
    "“song.mp3” can't be used: a profile picture must be a JPEG, PNG, WebP or GIF image.",
  );

  // An image: uploaded (progress shown), prepared by the processor, then saved.
  const saved = page.waitForResponse((r) => r.request().method() === "PATCH" && r.url().endsWith("/api/me"));
  await choose({ name: "face.png", mimeType: "image/png", buffer: gradientPng(800, 800) });
  await expect(picture.getByRole("alert")).toHaveCount(0);
  await expect(picture.getByRole("img", { name: "Your profile picture" })).toBeVisible();
  await expect(picture.getByText("Ready. Save to use it.")).toBeVisible({ timeout: 30_000 });
  await page.getByRole("button", { name: "Save" }).click();
  expect((await saved).status()).toBe(200);
  await expect(page.getByRole("status").filter({ hasText: "Profile saved." })).toBeVisible();

  // The header and A's post show the served thumbnail, and it loads.
  const header = page.locator(".profile-top img.avatar").first();
  await expect(header).toHaveAttribute("src", /^\/media\/med_[0-9A-Z]{26}\/thumb\.webp$/);
  const src = (await header.getAttribute("src"))!;
  await expect.poll(() => header.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  // A's earlier post shows it too, once the card subscriber has copied the new card onto her posts.
  await expect(async () => {
    await page.reload();
    await expect(postCard(page, a, m)).toBeVisible({ timeout: 10_000 });
    await expect(postCard(page, a, m).locator("img.avatar")).toHaveAttribute("src", src, { timeout: 1_000 });
  }).toPass({ timeout: 45_000 });

  // B sees it too.
  const { context: bContext, page: bPage } = await openAs(browser, baseURL!, b);
  await bPage.goto(`/u/?h=${a.handle}`);
  await expect(postCard(bPage, a, m).locator("img.avatar")).toHaveAttribute("src", src);
  await bContext.close();

  // Removed: the initial comes back, and the old picture is no longer served.
  await page.getByRole("button", { name: "Edit profile" }).click();
  await picture.getByRole("button", { name: "Remove picture" }).click();
  await expect(picture.getByText("The picture will be removed when you save.")).toBeVisible();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Profile saved." })).toBeVisible();
  await expect(page.locator(".profile-top img.avatar")).toHaveCount(0);
  expect([403, 404]).toContain((await request.get(src)).status());

  await context.close();
});

/** Whether the page is wider than the screen (something forces a horizontal scroll). */
const overflows = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);

test("on a 360 px phone, in Japanese: a thread and a profile fit the screen", async ({
  browser,
  baseURL,
  request,
}) => {
  const [a, b] = await Promise.all([createAccount(request, "ja"), createAccount(request, "jb")]);
  const m = marker();
  // A long name, an unbroken word and a long link: the usual ways a narrow layout breaks.
  const longName = `長い名前のユーザー${"W".repeat(40)}`;
  await callApi(request, b, "PATCH", "/me", { displayName: longName });
  const root = await createPost(
    request,
    b,
    `東京の朝 #東京 ${"x".repeat(80)} https://example.com/${"segment/".repeat(15)}?q=${m}`,
  );
  await createPost(request, a, `いいですね ${m}`, root.id);
  const { context, page } = await openAs(browser, baseURL!, a, {
    lang: "ja",
    viewport: { width: 360, height: 740 },
  });

  await page.goto(`/post/?id=${root.id}`);
  // Japanese throughout: accessible names, headings, buttons and relative times.
  const post = page.getByRole("article", { name: `${longName} さんの投稿` });
  await expect(post).toHaveCount(1);
  await expect(post.getByRole("button", { name: /^いいね/ })).toHaveAccessibleName("いいね 0");
  await expect(post.locator("time")).toHaveText(/^(今|\d+ 秒前)$/);
  await expect(page.getByRole("heading", { level: 2, name: "返信" })).toBeVisible();
  await expect(
    page.getByRole("form", { name: "返信する" }).getByRole("textbox", { name: "返信を書く" }),
  ).toBeVisible();
  await expect(page.getByRole("list", { name: "返信" }).getByRole("article")).toHaveText([
    new RegExp(`いいですね ${m}`),
  ]);
  expect(await overflows(page)).toBe(false);

  await post.getByRole("link", { name: new RegExp(longName) }).click();
  await expect(page.getByRole("heading", { level: 1, name: longName })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "投稿" })).toBeVisible();
  await expect(page.getByRole("list", { name: "投稿" }).getByRole("article")).toHaveCount(1);
  await confirmed(page, "POST", /\/follow$/, () =>
    page.getByRole("button", { name: "フォローする" }).click(),
  );
  await expect(page.getByRole("button", { name: "フォロー解除" })).toBeVisible();
  await expect(page.getByRole("link", { name: "1 フォロワー" })).toBeVisible();
  expect(await overflows(page)).toBe(false);

  // A's own profile, being edited: the picture field and its buttons fit too.
  await page.goto(`/u/?h=${a.handle}`);
  await page.getByRole("button", { name: "プロフィールを編集" }).click();
  const picture = page.getByRole("group", { name: "プロフィール画像" });
  await expect(picture.getByRole("button", { name: "画像を選ぶ" })).toBeVisible();
  await expect(picture.getByText("JPEG・PNG・WebP・GIF、16 MBまで。")).toBeVisible();
  expect(await overflows(page)).toBe(false);

  await context.close();
});
