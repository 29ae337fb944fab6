import { expect, test } from "@playwright/test";
import { newUser, signUp } from "./support/users";

// A post by one user is found by another through the search page, part of a word matching, highlighted.
test("search finds another user's post by part of a word, with highlighting", async ({ browser }) => {
  const a = newUser("sa");
  const b = newUser("sb");
  const { context: aContext, page: aPage } = await signUp(browser, a);
  const { context: bContext, page: bPage } = await signUp(browser, b);
  const marker = `m${Date.now().toString(36)}`;

  await aPage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Home" }).click();
  const composer = aPage.getByRole("form", { name: "New post" });
  await composer.getByLabel("What's happening?").fill(`東京タワーに行った ${marker}`);
  await composer.getByRole("button", { name: "Post", exact: true }).click();
  await expect(aPage.getByText(`東京タワーに行った ${marker}`).first()).toBeVisible();

  await bPage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Search" }).click();
  await bPage.getByRole("searchbox").fill(`タワー ${marker}`);
  await bPage.getByRole("button", { name: "Search", exact: true }).click();
  await expect(bPage).toHaveURL(/\/search\/\?q=/);
  // Indexing is eventually consistent: search again until the stream has carried the post through.
  const hit = bPage.getByRole("tabpanel").getByRole("listitem").filter({ hasText: marker });
  await expect(async () => {
    await bPage.reload();
    await expect(hit).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect(hit.locator("mark")).toHaveText(["タワー", marker]);

  // The filter controls write operators into the query; a malformed query is explained, not sent.
  await bPage.getByRole("checkbox", { name: "Images" }).check();
  await expect(bPage.getByRole("searchbox")).toHaveValue(`タワー ${marker} has:image`);
  await bPage.getByRole("searchbox").fill('"東京');
  await expect(bPage.getByRole("alert").filter({ hasText: "never closed" })).toBeVisible();
  await expect(bPage.getByRole("button", { name: "Search", exact: true })).toBeDisabled();

  await aContext.close();
  await bContext.close();
});
