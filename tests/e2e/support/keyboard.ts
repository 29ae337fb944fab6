// Keyboard-only navigation, as a person without a pointer moves through a page.
import { expect, type Locator, type Page } from "@playwright/test";

/** Presses Tab until the target has focus: it must be reachable by keyboard, in a sensible number of steps. */
export async function tabTo(page: Page, target: Locator, steps = 30) {
  await expect(target).toBeVisible();
  for (let i = 0; i < steps && !(await target.evaluate((el) => el === document.activeElement)); i++)
    await page.keyboard.press("Tab");
  await expect(target).toBeFocused();
}
