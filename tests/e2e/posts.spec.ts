import { expect, type Locator, type Page, test } from "@playwright/test";
import { gradientPng } from "./support/png";
import { newUser, signUp } from "./support/users";

test.use({ locale: "en-US" });

const MB = 1024 * 1024;

async function chooseFiles(
  page: Page,
  composer: Locator,
  files: Parameters<import("@playwright/test").FileChooser["setFiles"]>[0],
) {
  const chooser = page.waitForEvent("filechooser");
  await composer.getByRole("button", { name: "Add photos, video or audio" }).click();
  await (await chooser).setFiles(files);
}

/** Reloads until the timeline shows (or no longer shows) the post: fan-out and deletes are asynchronous. */
async function reloadUntil(page: Page, post: () => Locator, visible: boolean) {
  await expect(async () => {
    await page.reload();
    // Once the first page is there the answer is settled, so a slow load is waited for, not reloaded.
    await expect(page.getByRole("tab", { name: "Following" })).toBeVisible({ timeout: 15_000 });
    await expect(
      page.getByRole("list", { name: "Following" }).or(page.getByText("Nothing here yet")),
    ).toBeVisible({ timeout: 15_000 });
    if (visible) await expect(post()).toBeVisible({ timeout: 1_000 });
    else await expect(post()).toHaveCount(0);
  }).toPass({ timeout: 60_000, intervals: [500, 1_000, 2_000] });
}

test("B posts text, a photo and a voice clip; A follows, sees, plays and likes it; B deletes it", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const a = newUser("a");
  const b = newUser("b");
  const { context: bContext, page: bPage } = await signUp(browser, b);
  const { context: aContext, page: aPage } = await signUp(browser, a);

  // B, at home, writes a post.
  await bPage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Home" }).click();
  const composer = bPage.getByRole("form", { name: "New post" });
  const text = composer.getByLabel("What's happening?");
  const counter = composer.getByText(/ \/ 1,000/);

  // The counter counts graphemes as the server does: a family emoji is one character, 1,001 kana too many.
  await text.fill("👨‍👩‍👧‍👦");
  await expect(counter).toHaveText("1 / 1,000");
  await text.fill("あ".repeat(1001));
  await expect(counter).toContainText("1,001 / 1,000");
  await expect(text).toHaveAttribute("aria-invalid", "true");
  await expect(text).toHaveAccessibleDescription(/1,001 \/ 1,000 — over the limit by 1/);
  await composer.getByRole("button", { name: "Post", exact: true }).click();
  await expect(composer.getByRole("alert")).toHaveText("Posts can be at most 1,000 characters.");

  // Wrong type and oversize files are refused before any upload, with the reason.
  await chooseFiles(bPage, composer, [
    { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("not a picture") },
    { name: "huge.png", mimeType: "image/png", buffer: Buffer.alloc(17 * MB, 1) },
  ]);
  const refusals = composer.getByRole("alert").filter({ hasText: "can't be attached" });
  await expect(refusals).toContainText(
    "“notes.txt” can't be attached: files of type text/plain aren't supported.",
  );
  await expect(refusals).toContainText(
    "“huge.png” can't be attached: images can be at most 16 MB, and this one is 17 MB.",
  );
  await expect(composer.getByRole("list", { name: "Attachments" })).toHaveCount(0);
  await refusals.getByRole("button", { name: "Dismiss" }).click();
  await expect(refusals).toHaveCount(0);

  // A real PNG, uploaded with a progress bar, with alt text.
  const tag = `e2e${Date.now().toString(36)}`;
  const body = `Hello from B, @${a.handle}! #${tag} https://example.com/asyncsns`;
  await text.fill(body);
  await expect(counter).toHaveText(`${[...new Intl.Segmenter().segment(body)].length} / 1,000`);
  await chooseFiles(bPage, composer, [
    { name: "gradient.png", mimeType: "image/png", buffer: gradientPng(96, 64) },
  ]);
  const attachments = composer.getByRole("list", { name: "Attachments" });
  await expect(attachments.getByRole("listitem")).toHaveCount(1);
  await expect(attachments.getByRole("listitem").first().getByText("Uploaded")).toBeVisible();
  await attachments.getByLabel("Description (alt text)").first().fill("A blue gradient");

  // A voice clip from the recorder (Chromium's fake microphone), about a second long.
  await composer.getByRole("button", { name: "Record voice" }).click();
  const recorder = composer.getByRole("region", { name: "Voice recorder" });
  await recorder.getByRole("button", { name: "Start recording" }).click();
  await expect(recorder.getByRole("timer")).toContainText("Recording… 0:01");
  await recorder.getByRole("button", { name: "Stop recording" }).click();
  const preview = recorder.getByLabel("Your recording");
  await expect(preview).toBeVisible();
  await expect.poll(() => preview.evaluate((el: HTMLAudioElement) => el.readyState)).toBeGreaterThan(0);
  await recorder.getByRole("button", { name: "Attach recording" }).click();
  await expect(recorder).toHaveCount(0);
  await expect(attachments.getByRole("listitem")).toHaveCount(2);
  await expect(attachments.getByText("Uploaded")).toHaveCount(2);
  await expect(attachments.getByRole("listitem").nth(1)).toContainText(/voice-.*\.webm · 0:0[12]/);

  // Posting is optimistic: the post is there at once, then becomes the server's.
  await composer.getByRole("button", { name: "Post", exact: true }).click();
  await expect(text).toHaveValue("");
  const bPost = bPage.getByRole("article", { name: `Post by ${b.displayName}` }).filter({ hasText: tag });
  await expect(bPost).toBeVisible();
  await expect(bPost).toHaveAttribute("data-post-id", /^pst_/);
  await expect(bPost).not.toHaveAttribute("aria-busy", "true");
  await expect(bPost.getByText("Posting…")).toHaveCount(0);

  // A finds B, follows (the count moves at once) and reaches the list of B's followers.
  await aPage.goto(`/u/?h=${b.handle}`);
  await expect(aPage.getByRole("heading", { level: 1, name: b.displayName })).toBeVisible();
  await expect(
    aPage.getByRole("article", { name: `Post by ${b.displayName}` }).filter({ hasText: tag }),
  ).toBeVisible();
  await aPage.getByRole("button", { name: "Follow", exact: true }).click();
  await expect(aPage.getByRole("button", { name: "Unfollow" })).toBeVisible();
  await expect(aPage.getByRole("link", { name: "1 Follower" })).toBeVisible();
  await aPage.getByRole("link", { name: "1 Follower" }).click();
  await expect(aPage.getByRole("heading", { name: `People following ${b.displayName}` })).toBeVisible();
  await expect(aPage.getByRole("link", { name: new RegExp(a.displayName) })).toBeVisible();

  // A's home timeline gets B's post (fan-out/backfill run on the stream), with its thumbnail and players.
  await aPage.goto("/");
  const aPost = () =>
    aPage.getByRole("article", { name: `Post by ${b.displayName}` }).filter({ hasText: tag });
  await reloadUntil(aPage, aPost, true);
  const post = aPost();
  await expect(post.getByRole("link", { name: `@${a.handle}` })).toHaveAttribute("href", `/u/?h=${a.handle}`);
  await expect(post.getByRole("link", { name: `#${tag}` })).toHaveAttribute("href", `/tag/?t=${tag}`);
  const external = post.getByRole("link", { name: "https://example.com/asyncsns" });
  await expect(external).toHaveAttribute("rel", "noopener noreferrer nofollow");
  await expect(external).toHaveAttribute("target", "_blank");

  const thumb = post.locator(".media-image img");
  await expect(thumb).toHaveAttribute("alt", "A blue gradient");
  await expect(thumb).toHaveAttribute("src", /\/media\//);
  await expect
    .poll(() => thumb.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0)))
    .toBeGreaterThan(0);
  await expect(post.locator("canvas.blurhash")).toHaveCount(0);

  // The image opens in a lightbox; Esc closes it and focus comes back.
  const opener = post.getByRole("button", { name: "A blue gradient" });
  await opener.click();
  const viewer = aPage.getByRole("dialog", { name: "Image viewer" });
  await expect(viewer).toBeVisible();
  await expect(viewer.getByRole("img", { name: "A blue gradient" })).toBeVisible();
  await expect(viewer.getByRole("button", { name: "Close" })).toBeFocused();
  await aPage.keyboard.press("Escape");
  await expect(viewer).toHaveCount(0);
  await expect(opener).toBeFocused();

  // The voice clip plays, and shows the length measured when it was recorded.
  const audio = post.locator("audio");
  await expect(post.getByText(/Length 0:0[12]/)).toBeVisible();
  await expect.poll(() => audio.evaluate((el: HTMLAudioElement) => el.readyState)).toBeGreaterThan(0);
  await audio.evaluate((el: HTMLAudioElement) => el.play());
  await expect.poll(() => audio.evaluate((el: HTMLAudioElement) => el.currentTime)).toBeGreaterThan(0);
  await audio.evaluate((el: HTMLAudioElement) => el.pause());

  // A likes it: pressed at once; B sees the count.
  const like = post.getByRole("button", { name: /^Like/ });
  await expect(like).toHaveAttribute("aria-pressed", "false");
  await like.click();
  await expect(like).toHaveAttribute("aria-pressed", "true");
  await expect(like).toHaveAccessibleName("Like 1");
  // The like may still be on its way when B reloads: reload until it is counted, each time waiting for the page.
  await expect(async () => {
    await bPage.reload();
    await expect(bPost).toBeVisible({ timeout: 15_000 });
    await expect(bPost.getByRole("button", { name: /^Like/ })).toHaveAccessibleName("Like 1", {
      timeout: 1_000,
    });
  }).toPass({ timeout: 45_000 });

  // B deletes it (after confirming); it is gone for B at once and for A after the fan-out.
  await bPost.getByRole("button", { name: "Delete" }).click();
  const confirm = bPage.getByRole("dialog", { name: "Delete this post?" });
  await expect(confirm).toBeVisible();
  await expect(confirm.getByRole("button", { name: "Cancel" })).toBeFocused();
  await confirm.getByRole("button", { name: "Delete" }).click();
  await expect(confirm).toHaveCount(0);
  await expect(bPost).toHaveCount(0);
  await reloadUntil(aPage, aPost, false);

  await aContext.close();
  await bContext.close();
});
