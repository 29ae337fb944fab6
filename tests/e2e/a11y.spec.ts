import AxeBuilder from "@axe-core/playwright";
import {
  type APIRequestContext,
  type Browser,
  expect,
  type Locator,
  type Page,
  test,
} from "@playwright/test";
import { type Account, callApi, createAccount, createPost, follow, openAs } from "./support/api";
import { marker } from "./support/posts";

test.use({ locale: "en-US" });

type Scheme = "light" | "dark";

interface Seeded {
  a: Account;
  b: Account;
  postId: string;
  roomId: string;
  tag: string;
  m: string;
}

/** Each page with what shows it is done loading (axe on a spinner proves nothing). */
const signedIn = (s: Seeded): [string, (page: Page) => Locator][] => [
  ["/", (p) => p.getByRole("list", { name: "Following" }).getByRole("article").first()],
  [`/post/?id=${s.postId}`, (p) => p.getByRole("article").first()],
  [`/u/?h=${s.b.handle}`, (p) => p.getByRole("heading", { level: 1, name: s.b.displayName })],
  [`/u/followers/?h=${s.b.handle}`, (p) => p.getByRole("link", { name: new RegExp(s.a.displayName) })],
  [`/u/following/?h=${s.a.handle}`, (p) => p.getByRole("link", { name: new RegExp(s.b.displayName) })],
  [`/tag/?t=${s.tag}`, (p) => p.getByRole("article").first()],
  [`/search/?q=${s.m}`, (p) => p.locator(".post-text mark").first()],
  ["/notifications/", (p) => p.getByRole("heading", { level: 1 })],
  ["/notifications/settings/", (p) => p.getByRole("heading", { level: 1 })],
  ["/settings/", (p) => p.getByRole("heading", { level: 1 })],
  ["/chat/", (p) => p.getByRole("link", { name: new RegExp(s.b.displayName) }).first()],
  [`/chat/room/?id=${s.roomId}`, (p) => p.getByText("Message deleted").first()],
];

const signedOut: [string, (page: Page) => Locator][] = [
  ["/signin/", (p) => p.getByRole("heading", { level: 1 })],
  ["/signup/", (p) => p.getByRole("heading", { level: 1 })],
  ["/reset/", (p) => p.getByRole("heading", { level: 1 })],
  ["/confirm/?email=someone%40example.com", (p) => p.getByRole("heading", { level: 1 })],
  ["/no-such-page/", (p) => p.getByRole("heading", { level: 1 })],
];

async function seed(request: APIRequestContext): Promise<Seeded> {
  const [a, b] = await Promise.all([createAccount(request, "xa"), createAccount(request, "xb")]);
  const m = marker();
  const tag = `a11y${m}`;
  await Promise.all([follow(request, a, b.handle), follow(request, b, a.handle)]);
  const post = await createPost(request, b, `Hello @${a.handle} #${tag} ${m} https://example.com/a11y`);
  await createPost(request, a, `A reply ${m}`, post.id);
  const room = await callApi<{ id: string }>(request, a, "POST", "/rooms", { memberHandles: [b.handle] });
  await callApi(request, b, "POST", `/rooms/${room.id}/messages`, { text: `Hi ${m}` });
  const gone = await callApi<{ id: string }>(request, a, "POST", `/rooms/${room.id}/messages`, {
    text: "soon gone",
  });
  await callApi(request, a, "DELETE", `/rooms/${room.id}/messages/${gone.id}`);
  // Search reads an index fed by the stream: wait until it knows the post.
  await expect
    .poll(
      async () =>
        (await callApi<{ items: unknown[] }>(request, a, "GET", `/search/posts?q=${m}`)).items.length,
      { timeout: 30_000 },
    )
    .toBeGreaterThan(0);
  return { a, b, postId: post.id, roomId: room.id, tag, m };
}

async function audit(page: Page, path: string, ready: (page: Page) => Locator) {
  await page.goto(path);
  await expect(ready(page)).toBeVisible();
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${path}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

async function openIn(browser: Browser, baseURL: string, scheme: Scheme, account?: Account) {
  if (account) {
    const opened = await openAs(browser, baseURL, account);
    await opened.page.emulateMedia({ colorScheme: scheme });
    return opened;
  }
  const context = await browser.newContext({ colorScheme: scheme });
  return { context, page: await context.newPage() };
}

for (const scheme of ["light", "dark"] as const) {
  test(`every page has no serious or critical axe violations (${scheme})`, async ({
    browser,
    baseURL,
    request,
  }) => {
    test.setTimeout(180_000);
    const s = await seed(request);
    const found: string[] = [];
    const inside = await openIn(browser, baseURL!, scheme, s.a);
    for (const [path, ready] of signedIn(s)) found.push(...(await audit(inside.page, path, ready)));
    await inside.context.close();
    const outside = await openIn(browser, baseURL!, scheme);
    for (const [path, ready] of signedOut) found.push(...(await audit(outside.page, path, ready)));
    await outside.context.close();
    expect(found).toEqual([]);
  });
}
