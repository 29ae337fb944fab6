// Locating posts as a reader does: the article named for its author, picked out by its text.
import type { Locator, Page } from "@playwright/test";
import type { TestUser } from "./users";

export const postCard = (page: Page, author: Pick<TestUser, "displayName">, text: string | RegExp): Locator =>
  page.getByRole("article", { name: `Post by ${author.displayName}` }).filter({ hasText: text });

/** A marker unique to this run, so a spec finds its own posts among everyone else's. */
export const marker = (): string =>
  `m${Date.now().toString(36)}${Math.floor(Math.random() * 36 ** 3).toString(36)}`;
