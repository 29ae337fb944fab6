// Two-user helpers for social specs: a fresh account signed up, confirmed and signed in, in its own context.
import { type Browser, type BrowserContext, expect, type Page } from "@playwright/test";

// The local cloud runs with ASYNCSNS_CONFIRMATION_CODE=123456, so every emailed code is this one.
export const CODE = "123456";
const PASSWORD = "correct horse 42";

export interface TestUser {
  email: string;
  password: string;
  handle: string;
  displayName: string;
}

let counter = 0;
/** A user unique to this run: handles are at most 20 characters. */
export function newUser(tag: string): TestUser {
  const id = `${Date.now().toString(36)}${(counter++).toString(36)}${Math.floor(Math.random() * 36 ** 2).toString(36)}`;
  return {
    email: `${tag}-${id}@example.test`,
    password: PASSWORD,
    handle: `${tag}_${id}`.slice(0, 20),
    displayName: `${tag.toUpperCase()} Tester ${id}`,
  };
}

export async function signUp(
  browser: Browser,
  user: TestUser,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ permissions: ["microphone"] });
  const page = await context.newPage();
  await page.goto("/signup/");
  await expect(page.getByRole("heading", { name: "Create your account" })).toBeVisible();
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByLabel("Handle").fill(user.handle);
  await page.getByLabel("Display name").fill(user.displayName);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  await page.getByLabel("Confirmation code").fill(CODE);
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: user.displayName })).toBeVisible();
  return { context, page };
}
