import { expect, test } from "@playwright/test";
import { callApi, createAccount, follow, openAs } from "./support/api";

// Phone widths: a bottom tab bar of five sections, a floating compose button, the timeline at the top.
test("the phone shell: bottom tab bar, compose button, timeline first @phone", async ({
  browser,
  request,
  baseURL,
}) => {
  const [a, b, c] = await Promise.all([
    createAccount(request, "pha"),
    createAccount(request, "phb"),
    createAccount(request, "phc"),
  ]);
  // A friend of a friend with a long unbroken name and bio is suggested on the search page: it must wrap, not
  // widen the page (a wider page moves the fixed tab bar off the screen).
  await callApi(request, c, "PATCH", "/me", {
    displayName: `長い名前${"W".repeat(40)}`,
    bio: "x".repeat(80),
  });
  await follow(request, a, b.handle);
  await follow(request, b, c.handle);
  const { context, page } = await openAs(browser, baseURL!, a, { viewport: { width: 360, height: 740 } });
  await page.goto("/search/");
  await expect(page.getByRole("list", { name: "Who to follow" }).getByText(c.handle)).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  const bar = page.getByRole("navigation", { name: "Main" });
  const tabs = bar.getByRole("link");
  await expect(tabs).toHaveText(["Home", "Search", "Notifications", "Chat", "Profile"]);
  const box = await bar.boundingBox();
  expect(box!.y + box!.height).toBeGreaterThan(740 - 2);
  expect(box!.y).toBeGreaterThan(600);
  for (const name of ["Home", "Search", "Chat", "Profile"])
    await expect(bar.getByRole("link", { name })).toBeInViewport({ ratio: 1 });
  // The "Find someone" box lives on the search page now.
  await expect(page.getByRole("region", { name: "Find someone" })).toBeVisible();

  await bar.getByRole("link", { name: "Home" }).click();
  await expect(page).toHaveURL(/\/$/);
  const composer = page.getByRole("form", { name: "New post" });
  await expect(composer).toBeVisible();
  await expect(page.getByRole("region", { name: "Find someone" })).toHaveCount(0);
  // The composer is the first thing under the header.
  expect((await composer.boundingBox())!.y).toBeLessThan(250);

  await bar.getByRole("link", { name: "Search" }).click();
  await expect(page).toHaveURL(/\/search\/$/);
  await page.getByRole("button", { name: "New post" }).click();
  await expect(page).toHaveURL(/\/\?compose=1$/);
  await expect(composer.getByRole("textbox")).toBeFocused();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

  // Settings stay reachable from the header.
  await page.getByRole("link", { name: "Settings" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
  await context.close();
});
