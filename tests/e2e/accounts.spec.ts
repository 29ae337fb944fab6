// Accounts end to end: forgot password with the emailed code, change password, delete account from the settings
// page (then sign-in fails and the profile is gone), in English and Japanese, and on a 360 px phone.
import { type APIRequestContext, expect, test } from "@playwright/test";
import { createAccount, openAs } from "./support/api";
import { CODE } from "./support/users";

test.use({ locale: "en-US" });

/** Whether Cognito signs the user in with this password (the local cloud's cognito-local, as the web app calls it). */
async function canSignIn(request: APIRequestContext, email: string, password: string): Promise<boolean> {
  const config = (await (await request.get("/config.json")).json()) as {
    cognitoEndpoint: string;
    userPoolClientId: string;
  };
  const res = await request.post(config.cognitoEndpoint, {
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": "AWSCognitoIdentityProviderService.InitiateAuth",
    },
    data: {
      ClientId: config.userPoolClientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: email, PASSWORD: password },
    },
  });
  return res.ok();
}

test("forgot password: a code by email, a new password, then sign in with it", async ({ page, request }) => {
  const account = await createAccount(request, "forgot");
  await page.goto("/signin/");
  await page.getByLabel("Email").fill(account.email);
  await page.getByRole("link", { name: "Forgot password?" }).click();
  await expect(page.getByRole("heading", { name: "Reset your password" })).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveValue(account.email);
  await page.getByRole("button", { name: "Send code" }).click();
  // The local cloud fixes every emailed code (ASYNCSNS_CONFIRMATION_CODE) and prints it on its console.
  await page.getByLabel("Code").fill("000000");
  await page.getByLabel("New password", { exact: true }).fill("brand new 42");
  await page.getByRole("button", { name: "Set new password" }).click();
  const form = page.getByRole("region", { name: "Reset your password" });
  await expect(form.getByRole("alert")).toContainText("code isn't right");
  await page.getByLabel("Code").fill(CODE);
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Your password was reset" })).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveValue(account.email);
  await page.getByLabel("Password", { exact: true }).fill("brand new 42");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("link", { name: "Settings" })).toBeVisible();
  expect(await canSignIn(request, account.email, account.password)).toBe(false);
});

test("change password from the settings page", async ({ browser, baseURL, request }) => {
  const account = await createAccount(request, "pw");
  const { context, page } = await openAs(browser, baseURL!, account);
  await page.goto("/");
  await page.getByRole("link", { name: "Settings" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
  const section = page.getByRole("region", { name: "Password" });
  await section.getByLabel("Current password", { exact: true }).fill("wrong password 1");
  await section.getByLabel("New password", { exact: true }).fill("another pass 42");
  await section.getByRole("button", { name: "Change password" }).click();
  await expect(section.getByRole("alert")).toBeVisible();
  await section.getByLabel("Current password", { exact: true }).fill(account.password);
  await section.getByRole("button", { name: "Change password" }).click();
  await expect(section.getByRole("status")).toHaveText("Your password is changed.");
  expect(await canSignIn(request, account.email, "another pass 42")).toBe(true);
  expect(await canSignIn(request, account.email, account.password)).toBe(false);
  await context.close();
});

test("delete account on a 360 px phone: signed out, sign-in fails, the profile is gone @phone", async ({
  browser,
  baseURL,
  request,
}) => {
  const [account, other] = await Promise.all([createAccount(request, "bye"), createAccount(request, "stay")]);
  const { context, page } = await openAs(browser, baseURL!, account, {
    viewport: { width: 360, height: 740 },
  });
  await page.goto("/settings/");
  const section = page.getByRole("region", { name: "Delete account" });
  await section.scrollIntoViewIfNeeded();
  // No page scrolls sideways at 360 px.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await section.getByLabel("Your password", { exact: true }).fill(account.password);
  await section.getByRole("button", { name: "Delete my account" }).click();
  await expect(section.getByRole("alert")).toHaveText("Tick the box to confirm.");
  await section.getByLabel("I understand this cannot be undone").check();
  const deleted = page.waitForResponse(
    (r) => r.request().method() === "DELETE" && r.url().endsWith("/api/me"),
  );
  await section.getByRole("button", { name: "Delete my account" }).click();
  expect((await deleted).status()).toBe(202);
  await expect(page).toHaveURL(/\/\?deleted=1$/);
  await expect(page.getByRole("link", { name: "Settings" })).toHaveCount(0);
  expect(await canSignIn(request, account.email, account.password)).toBe(false);
  // Another user opens the profile: gone once the sweeper has run.
  const { context: otherContext, page: otherPage } = await openAs(browser, baseURL!, other);
  await expect(async () => {
    await otherPage.goto(`/u/?h=${account.handle}`);
    await expect(otherPage.getByRole("heading", { name: "This account doesn't exist" })).toBeVisible({
      timeout: 2_000,
    });
  }).toPass({ timeout: 30_000 });
  await Promise.all([context.close(), otherContext.close()]);
});

test("the settings page in Japanese", async ({ browser, baseURL, request }) => {
  const account = await createAccount(request, "ja");
  const { context, page } = await openAs(browser, baseURL!, account, { lang: "ja" });
  await page.goto("/");
  await page.getByRole("link", { name: "設定" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "設定" })).toBeVisible();
  for (const name of [
    "言語",
    "通知",
    "メールアドレス",
    "パスワード",
    "データのエクスポート",
    "アカウントの削除",
  ])
    await expect(page.getByRole("region", { name })).toBeVisible();
  await page.getByRole("link", { name: "通知の設定" }).click();
  await expect(page).toHaveURL(/\/notifications\/settings\/$/);
  await context.close();
});
