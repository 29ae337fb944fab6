// Notifications end to end: the live bell, grouped rows, read state across tabs, Web Push through the local push
// service and the service worker, and the preferences page.
import {
  type APIRequestContext,
  type Browser,
  expect,
  type Locator,
  type Page,
  test,
} from "@playwright/test";
import { type Account, callApi, createAccount, createPost, follow, openAs } from "./support/api";
import { type LocalJson as CloudJson, liveSockets, localCloud } from "./support/local-cloud";

test.use({ locale: "en-US" });

/** local.json, with the local push service this spec sends through. */
interface LocalJson extends CloudJson {
  push?: { url: string };
}

interface Row {
  id: string;
  type: string;
  groupKey: string;
  actorCount: number;
  subject?: { kind: string; id: string };
  read: boolean;
}

const notificationsOf = (request: APIRequestContext, account: Account) =>
  callApi<{ items: Row[]; cursor: string | null; unread: number }>(request, account, "GET", "/notifications");

const bell = (page: Page): Locator =>
  page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /^Notifications/ });
const badge = (page: Page): Locator => bell(page).getByTestId("unread-badge");
const rows = (page: Page): Locator => page.getByRole("list", { name: "Notifications" }).getByRole("listitem");
/** The row whose sentence is exactly this (the hidden "Unread: " prefix aside). */
const row = (page: Page, sentence: string): Locator =>
  rows(page).filter({
    has: page.getByRole("link", { name: new RegExp(`^(Unread: )?${escapeRegExp(sentence)}$`) }),
  });
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

test("A follows B and likes two posts: B's bell rises live, one row per post; reading in one tab clears the other", async ({
  browser,
  request,
  baseURL,
}) => {
  const local = await localCloud<LocalJson>(baseURL);
  const [a, b, c] = await Promise.all([
    createAccount(request, "na"),
    createAccount(request, "nb"),
    createAccount(request, "nc"),
  ]);
  const first = await createPost(request, b, "B's first post");
  const second = await createPost(request, b, "B's second post");

  // B has two tabs: the home page (only the bell) and the notification list.
  const { context, page: home } = await openAs(browser, baseURL!, b);
  const list = await context.newPage();
  await home.goto("/");
  await list.goto("/notifications/");
  await expect(bell(home)).toHaveAccessibleName("Notifications");
  await expect(list.getByRole("heading", { name: "Nothing here yet" })).toBeVisible();
  // Both tabs hold a socket before anything happens, so what follows has to arrive live.
  await expect.poll(() => liveSockets(local, b.id), { timeout: 20_000 }).toBe(2);

  await follow(request, a, b.handle);
  await callApi(request, a, "POST", `/posts/${first.id}/like`);
  await callApi(request, a, "POST", `/posts/${second.id}/like`);

  // No reload: the count and the rows come over the socket.
  await expect(bell(home)).toHaveAccessibleName("Notifications, 3 unread", { timeout: 30_000 });
  await expect(badge(home)).toHaveAttribute("data-count", "3");
  await expect(badge(list)).toHaveAttribute("data-count", "3");
  await expect(rows(list)).toHaveCount(3);
  await expect(row(list, `${a.displayName} liked your post`)).toHaveCount(2);
  await expect(row(list, `${a.displayName} followed you`)).toHaveCount(1);

  // A second liker of the first post joins its row (moved to the top) instead of adding one.
  await callApi(request, c, "POST", `/posts/${first.id}/like`);
  const grouped = row(list, `${c.displayName} and ${a.displayName} liked your post`);
  await expect(grouped).toBeVisible({ timeout: 30_000 });
  await expect(rows(list)).toHaveCount(3);
  await expect(rows(list).first()).toContainText(`${c.displayName} and ${a.displayName} liked your post`);
  await expect(grouped.getByRole("link")).toHaveAttribute("href", `/post/?id=${first.id}`);
  await list.screenshot({ path: test.info().outputPath("notifications-desktop.png") });

  // The API agrees: one row per post, the grouped one with both actors.
  const stored = await notificationsOf(request, b);
  const likes = stored.items.filter((i) => i.type === "post.like");
  expect(likes.map((i) => i.subject?.id).sort()).toEqual([first.id, second.id].sort());
  expect(likes.find((i) => i.subject?.id === first.id)?.actorCount).toBe(2);

  // Everyone in the group, from the row's dialog.
  await grouped.getByRole("button", { name: /See all 2/ }).click();
  const dialog = list.getByRole("dialog", { name: "2 people" });
  await expect(dialog.getByRole("link")).toHaveText([
    new RegExp(escapeRegExp(c.displayName)),
    new RegExp(escapeRegExp(a.displayName)),
  ]);
  await dialog.getByRole("button", { name: "Close" }).click();

  // Mark all as read in the list tab: the home tab's bell clears, live.
  await list.getByRole("button", { name: "Mark all as read" }).click();
  await expect(list.getByRole("link", { name: /^Unread: / })).toHaveCount(0);
  await expect(bell(home)).toHaveAccessibleName("Notifications", { timeout: 30_000 });
  await expect(badge(home)).toHaveCount(0);
  expect((await callApi<{ unread: number }>(request, b, "GET", "/notifications/unread")).unread).toBe(0);

  // Opening a row takes B to the post.
  await row(list, `${a.displayName} liked your post`).getByRole("link").click();
  await expect(list).toHaveURL(new RegExp(`/post/\\?id=${second.id}$`));
  await context.close();
});

test("the bell fits a 360 px phone and speaks Japanese @phone", async ({ browser, request, baseURL }) => {
  const [a, b] = await Promise.all([createAccount(request, "npa"), createAccount(request, "npb")]);
  await follow(request, a, b.handle);
  await expect.poll(async () => (await notificationsOf(request, b)).unread, { timeout: 30_000 }).toBe(1);
  const { context, page } = await openAs(browser, baseURL!, b, {
    lang: "ja",
    viewport: { width: 360, height: 740 },
  });
  await page.goto("/notifications/");
  const jaBell = page.getByRole("navigation", { name: "メイン" }).getByRole("link", { name: /^通知/ });
  await expect(jaBell).toHaveAccessibleName("通知（未読 1 件）");
  await expect(jaBell).toBeInViewport({ ratio: 1 });
  await expect(
    page.getByRole("link", { name: `未読: ${a.displayName} さんがあなたをフォローしました` }),
  ).toBeVisible();
  // Nothing in the header runs off the screen.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await page.screenshot({ path: test.info().outputPath("notifications-phone-ja.png") });
  await context.close();
});

/** Subscribes a new endpoint at the local push service, as a browser's push service would issue one. */
async function localPushEndpoint(request: APIRequestContext, local: LocalJson) {
  expect(local.push?.url, "local.json has no push service").toBeTruthy();
  const res = await request.post(`${local.push!.url}/subscriptions`);
  expect(res.ok(), await res.text()).toBe(true);
  return (await res.json()) as { endpoint: string; keys: { p256dh: string; auth: string } };
}

interface PushPayload {
  type: string;
  id?: string;
  title?: string;
  body?: string;
  url?: string;
  tag?: string;
  unread?: number;
}

/** What the local push service decrypted for this endpoint, oldest first. */
async function received(request: APIRequestContext, endpoint: string): Promise<PushPayload[]> {
  const res = await request.get(`${endpoint}/received`);
  expect(res.ok(), await res.text()).toBe(true);
  const body = (await res.json()) as unknown;
  const list = (Array.isArray(body) ? body : (body as { items: unknown[] }).items) as unknown[];
  return list.map((entry) => {
    const e = entry as { payload?: unknown };
    const payload = e.payload ?? entry;
    return (typeof payload === "string" ? JSON.parse(payload) : payload) as PushPayload;
  });
}

/** Delivers a push to the page's service worker the way the browser's push service would (CDP). */
async function deliverPush(page: Page, payload: object): Promise<void> {
  const origin = new URL(page.url()).origin;
  const cdp = await page.context().newCDPSession(page);
  const registrationId = new Promise<string>((resolveId) => {
    cdp.on("ServiceWorker.workerRegistrationUpdated", ({ registrations }) => {
      const found = registrations.find((r) => r.scopeURL === `${origin}/` && !r.isDeleted);
      if (found) resolveId(found.registrationId);
    });
  });
  await cdp.send("ServiceWorker.enable");
  await cdp.send("ServiceWorker.deliverPushMessage", {
    origin,
    registrationId: await registrationId,
    data: JSON.stringify(payload),
  });
  await cdp.detach();
}

const shownNotifications = (page: Page) =>
  page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    return (await registration.getNotifications()).map((n) => ({
      title: n.title,
      body: n.body,
      tag: n.tag,
      data: n.data as { id: string; url: string },
    }));
  });

async function openWithWorker(browser: Browser, baseURL: string, account: Account, path: string) {
  const opened = await openAs(browser, baseURL, account);
  await opened.context.grantPermissions(["notifications"], { origin: baseURL });
  await opened.page.goto(path);
  // The app registers the worker on load; it claims the tab so a notification click can navigate it.
  await opened.page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, {
    timeout: 20_000,
  });
  return opened;
}

test("offline, B gets a Web Push that decrypts right; the worker shows it and its click opens the post", async ({
  browser,
  request,
  baseURL,
}) => {
  const local = await localCloud<LocalJson>(baseURL);
  const [a, b] = await Promise.all([createAccount(request, "pa"), createAccount(request, "pb")]);
  const post = await createPost(request, b, "B's post for the push test");

  // B's browser is closed: no socket, one push subscription at the local push service.
  const subscription = await localPushEndpoint(request, local);
  const registered = await request.post("/api/push/subscriptions", {
    headers: { authorization: `Bearer ${b.accessToken}` },
    data: subscription,
  });
  expect(registered.status(), await registered.text()).toBe(201);
  // The browser's client reads an empty 201 as "no body" only when it says so.
  expect(registered.headers()["content-length"]).toBe("0");
  expect(await liveSockets(local, b.id)).toBe(0);

  await callApi(request, a, "POST", `/posts/${post.id}/like`);
  await expect
    .poll(async () => (await received(request, subscription.endpoint)).length, { timeout: 30_000 })
    .toBe(1);
  const [payload] = await received(request, subscription.endpoint);
  const [stored] = (await notificationsOf(request, b)).items;
  expect(stored).toBeDefined();
  expect(payload).toMatchObject({ type: "notification", id: stored!.id, tag: stored!.groupKey, unread: 1 });
  expect(new URL(payload!.url!, baseURL).pathname + new URL(payload!.url!, baseURL).search).toBe(
    `/post/?id=${post.id}`,
  );
  expect(`${payload!.title} ${payload!.body}`).toContain(a.displayName);

  // The same payload, delivered to B's service worker, shows a notification tagged with the group.
  const { context, page } = await openWithWorker(browser, baseURL!, b, "/notifications/");
  await deliverPush(page, payload!);
  await expect.poll(() => shownNotifications(page), { timeout: 15_000 }).toHaveLength(1);
  const [shown] = await shownNotifications(page);
  expect(shown).toMatchObject({ title: payload!.title, tag: stored!.groupKey });
  expect(shown!.data.id).toBe(stored!.id);

  // A read up to it on another device closes it here.
  await deliverPush(page, { type: "notification.read", upTo: stored!.id, unread: 0 });
  await expect.poll(() => shownNotifications(page)).toHaveLength(0);

  // Shown again and clicked: the worker's click handler takes the open tab to the post.
  await deliverPush(page, payload!);
  await expect.poll(() => shownNotifications(page)).toHaveLength(1);
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent("serviceworker"));
  await worker.evaluate(async () => {
    // The worker's globals (the page's DOM types do not describe them).
    const scope = globalThis as unknown as {
      registration: { getNotifications(): Promise<unknown[]> };
      NotificationEvent: new (type: string, init: { notification: unknown }) => Event;
    };
    const [notification] = await scope.registration.getNotifications();
    // A synthetic click runs the same listener a real one does.
    globalThis.dispatchEvent(new scope.NotificationEvent("notificationclick", { notification }));
  });
  await expect(page).toHaveURL(new RegExp(`/post/\\?id=${post.id}$`), { timeout: 15_000 });
  await expect(page.getByText("B's post for the push test")).toBeVisible();
  await context.close();
});

test("push is offered, never asked on load; a blocked site says how to allow it", async ({
  browser,
  request,
  baseURL,
}) => {
  const b = await createAccount(request, "pq");
  const { context, page } = await openAs(browser, baseURL!, b);
  await page.goto("/notifications/");
  await expect(page.getByRole("button", { name: "Enable push notifications" })).toBeVisible();
  expect(await page.evaluate(() => Notification.permission)).toBe("default");

  // Blocked in the browser: the settings page explains instead of offering a button that cannot work.
  const cdp = await context.newCDPSession(page);
  const { targetInfo } = await cdp.send("Target.getTargetInfo");
  await cdp.send("Browser.setPermission", {
    permission: { name: "notifications" },
    setting: "denied",
    origin: new URL(baseURL!).origin,
    browserContextId: targetInfo.browserContextId,
  });
  await page.goto("/notifications/settings/");
  await expect(
    page.getByRole("status").filter({ hasText: "Notifications are blocked for this site" }),
  ).toBeVisible();
  await expect(page.getByRole("button", { name: "Enable push notifications" })).toHaveCount(0);
  await context.close();
});

test("preferences save per type, survive a reload, and roll back when the server refuses", async ({
  browser,
  request,
  baseURL,
}) => {
  const b = await createAccount(request, "pf");
  const { context, page } = await openAs(browser, baseURL!, b);
  await page.goto("/notifications/settings/");
  const likes = page.getByRole("group", { name: "Likes" });
  await expect(likes.getByLabel("Push")).toBeChecked();

  const saved = (p: Page) =>
    p.waitForResponse(
      (r) => r.request().method() === "PUT" && r.url().endsWith("/api/notifications/preferences"),
    );
  let answer = saved(page);
  await likes.getByLabel("Push").uncheck();
  expect((await answer).ok()).toBe(true);
  answer = saved(page);
  await likes.getByLabel("From").selectOption({ label: "People you follow" });
  expect((await answer).ok()).toBe(true);
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();

  const prefs = await callApi<Record<string, { inApp: boolean; push: boolean; from: string }>>(
    request,
    b,
    "GET",
    "/notifications/preferences",
  );
  expect(prefs["post.like"]).toEqual({ inApp: true, push: false, from: "following" });
  expect(prefs.follow).toMatchObject({ push: true, from: "everyone" });

  await page.reload();
  await expect(likes.getByLabel("Push")).not.toBeChecked();
  await expect(likes.getByLabel("From")).toHaveValue("following");

  // The server refuses the next change: the box goes back and the page says why.
  await page.route("**/api/notifications/preferences", (route) =>
    route.request().method() === "PUT"
      ? route.fulfill({ status: 503, json: { error: { code: "internal", message: "unavailable" } } })
      : route.fallback(),
  );
  const follows = page.getByRole("group", { name: "New followers" });
  // A click, not uncheck(): the box is meant to spring back.
  await follows.getByLabel("In the app").click();
  await expect(page.getByRole("alert").filter({ hasText: "Couldn't save" })).toContainText(
    "Couldn't save “New followers”",
  );
  await expect(follows.getByLabel("In the app")).toBeChecked();
  await context.close();
});
