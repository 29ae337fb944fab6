import { type Browser, type BrowserContext, expect, type Page, test } from "@playwright/test";
import { CODE, newUser, type TestUser } from "./support/users";

test.use({ locale: "en-US" });

async function fillSignUp(page: Page, user: TestUser): Promise<void> {
  await page.goto("/");
  await page.getByRole("main").getByRole("link", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Create your account" })).toBeVisible();
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByLabel("Handle").fill(user.handle);
  await page.getByLabel("Display name").fill(user.displayName);
  await page.getByRole("button", { name: "Create account" }).click();
}

async function confirmAndSignIn(page: Page, user: TestUser): Promise<void> {
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  await expect(page.getByText(user.email)).toBeVisible();
  await page.getByLabel("Confirmation code").fill(CODE);
  await page.getByRole("button", { name: "Confirm" }).click();

  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Your email is confirmed" })).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveValue(user.email);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function expectOwnProfile(page: Page, user: TestUser): Promise<void> {
  await expect(page.getByRole("heading", { level: 1, name: user.displayName })).toBeVisible();
  await expect(page.getByText(`@${user.handle}`)).toBeVisible();
  await expect(page.getByRole("button", { name: "Edit profile" })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/u/\\?h=${user.handle}$`));
}

/** Sign up, confirm, sign in: the handle chosen at sign-up becomes the profile. */
async function signUpToProfile(
  browser: Browser,
  user: TestUser,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await fillSignUp(page, user);
  await confirmAndSignIn(page, user);
  await expectOwnProfile(page, user);
  return { context, page };
}

test("sign up, confirm, sign in, stay signed in, open another profile, sign out @phone", async ({
  browser,
}) => {
  const b = newUser("b");
  const a = newUser("a");

  // B: sign-up → code (a wrong one first) → sign in → own profile.
  const bContext = await browser.newContext();
  const bPage = await bContext.newPage();
  await fillSignUp(bPage, b);
  await expect(bPage.getByRole("heading", { name: "Check your email" })).toBeVisible();
  await bPage.getByLabel("Confirmation code").fill("000000");
  await bPage.getByRole("button", { name: "Confirm" }).click();
  await expect(bPage.getByText("That code isn't right")).toBeVisible();
  await bPage.getByLabel("Confirmation code").fill("");
  await confirmAndSignIn(bPage, b);
  await expectOwnProfile(bPage, b);

  // A reload keeps B signed in (refresh token in storage).
  await bPage.reload();
  await expectOwnProfile(bPage, b);
  await expect(bPage.getByRole("button", { name: "Sign out" })).toBeVisible();

  // A, in a second browser, does the same, then finds B through the lookup box on the search page.
  const { context: aContext, page: aPage } = await signUpToProfile(browser, a);
  await aPage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Home" }).click();
  await expect(aPage.getByRole("heading", { name: "Your timeline will appear here" })).toBeVisible();
  await aPage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Search" }).click();
  await aPage.getByLabel("Handle").fill(`@${b.handle}`);
  await aPage.getByRole("button", { name: "Go to profile" }).click();
  await expect(aPage.getByRole("heading", { level: 1, name: b.displayName })).toBeVisible();
  await expect(aPage.getByText(`@${b.handle}`)).toBeVisible();
  await expect(aPage.getByRole("button", { name: "Edit profile" })).toHaveCount(0);

  // An unknown handle shows a not-found state, not an error.
  await aPage.goto(`/u/?h=nobody_${Date.now().toString(36)}`);
  await expect(aPage.getByRole("heading", { name: "This account doesn't exist" })).toBeVisible();

  // A signs out: back to the signed-out landing, and a reload stays signed out.
  await aPage.getByRole("button", { name: "Sign out" }).click();
  await expect(aPage.getByRole("heading", { name: "Say it now. Answer later." })).toBeVisible();
  await expect(aPage.getByRole("main").getByRole("link", { name: "Sign in" })).toBeVisible();
  await aPage.reload();
  await expect(aPage.getByRole("heading", { name: "Say it now. Answer later." })).toBeVisible();
  await expect(aPage.getByRole("button", { name: "Sign out" })).toHaveCount(0);

  // B is unaffected by A signing out.
  await bPage.reload();
  await expectOwnProfile(bPage, b);

  await aContext.close();
  await bContext.close();
});

test("a taken handle is refused next to the handle field and can be changed", async ({ browser }) => {
  const owner = newUser("o");
  const { context: ownerContext } = await signUpToProfile(browser, owner);

  const late = { ...newUser("l"), handle: owner.handle };
  const context = await browser.newContext();
  const page = await context.newPage();
  await fillSignUp(page, late);
  await confirmAndSignIn(page, late);

  await expect(page.getByRole("heading", { name: "Create your profile" })).toBeVisible();
  const handle = page.getByLabel("Handle");
  await expect(handle).toHaveValue(owner.handle);
  await expect(handle).toHaveAttribute("aria-invalid", "true");
  await expect(handle).toHaveAccessibleDescription(/That handle is taken/);
  await expect(page.getByLabel("Display name")).toHaveValue(late.displayName);

  // Browser-side validation first, then a free handle goes through.
  await handle.fill("no spaces allowed");
  await page.getByRole("button", { name: "Create profile" }).click();
  await expect(handle).toHaveAccessibleDescription(/3–20 letters, numbers or underscores/);
  const free = newUser("l").handle;
  await handle.fill(free);
  await page.getByRole("button", { name: "Create profile" }).click();
  await expectOwnProfile(page, { ...late, handle: free });

  await context.close();
  await ownerContext.close();
});

test("edit your own profile", async ({ browser }) => {
  const user = newUser("e");
  const { context, page } = await signUpToProfile(browser, user);

  await page.getByRole("button", { name: "Edit profile" }).click();
  const displayName = page.getByLabel("Display name");
  await expect(displayName).toHaveValue(user.displayName);
  await displayName.fill(`${user.displayName} (edited)`);
  await page.getByLabel("Bio").fill("Writing asynchronously since today.");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Profile saved." })).toBeVisible();

  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: `${user.displayName} (edited)` })).toBeVisible();
  await expect(page.getByText("Writing asynchronously since today.")).toBeVisible();
  await context.close();
});

test("switch the interface to Japanese and back", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Say it now. Answer later." })).toBeVisible();
  await page.getByLabel("Language").selectOption("ja");
  await expect(page.getByRole("heading", { name: "今、伝える。返事は、あとで。" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "ja");

  await page.reload();
  await expect(page.getByRole("heading", { name: "今、伝える。返事は、あとで。" })).toBeVisible();
  await page.getByLabel("言語").selectOption("en");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { name: "Say it now. Answer later." })).toBeVisible();
});
