// Chat extras (issue 16): reactions, unread badges and the jump to the first unread, date dividers, times on
// one's own messages, a group of two, and the layout fixes (actions beside the bubble, image bubbles, phones).
import {
  type APIRequestContext,
  type Browser,
  expect,
  type Locator,
  type Page,
  test,
} from "@playwright/test";
import { type Account, befriend, callApi, createAccount, openAs } from "./support/api";
import { gradientPng } from "./support/png";

test.use({ locale: "en-US" });

const log = (page: Page): Locator => page.getByRole("log", { name: "Messages" });
const message = (page: Page, text: string): Locator =>
  log(page)
    .getByRole("listitem")
    .filter({ has: page.locator(".msg-text", { hasText: new RegExp(`^${text}$`) }) });
const chatLink = (page: Page): Locator =>
  page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /^Chat/ });
const roomLink = (page: Page, name: string): Locator =>
  page.getByRole("navigation", { name: "Chats" }).getByRole("link", { name: new RegExp(name) });

async function open(
  browser: Browser,
  baseURL: string,
  account: Account,
  path: string,
  viewport?: { width: number; height: number },
) {
  const { context, page } = await openAs(browser, baseURL, account, viewport ? { viewport } : {});
  await page.goto(path);
  return { context, page };
}

const say = (request: APIRequestContext, account: Account, roomId: string, text: string) =>
  callApi<{ id: string; seq: number }>(request, account, "POST", `/rooms/${roomId}/messages`, { text });

/** Two boxes share no pixel. */
const apart = (a: { x: number; y: number; width: number; height: number } | null, b: typeof a) =>
  !!a &&
  !!b &&
  (a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y);

test("unread badges count live, opening a room jumps to the first unread, and reading clears them", async ({
  browser,
  request,
  baseURL,
}) => {
  const [alice, bob] = await Promise.all([createAccount(request, "ua"), createAccount(request, "ub")]);
  // Friends: a room from a stranger would be a message request, with no live unread count.
  await befriend(request, alice, bob);
  const room = await callApi<{ id: string }>(request, alice, "POST", "/rooms", {
    memberHandles: [bob.handle],
  });
  for (let i = 1; i <= 16; i++) await say(request, alice, room.id, `line ${i}`);
  await callApi(request, bob, "POST", `/rooms/${room.id}/read`, { seq: 5 });

  const counts = await callApi<{ unread: number }>(request, bob, "GET", "/rooms/unread");
  expect(counts.unread).toBe(11);
  const b = await open(browser, baseURL!, bob, "/", { width: 1280, height: 560 });
  await expect(chatLink(b.page)).toHaveAccessibleName("Chat, 11 unread");
  await expect(chatLink(b.page).getByTestId("unread-badge")).toHaveAttribute("data-count", "11");
  // Live: a new message moves the badge without a reload.
  await say(request, alice, room.id, "line 17");
  await expect(chatLink(b.page).getByTestId("unread-badge")).toHaveAttribute("data-count", "12");

  await chatLink(b.page).click();
  await expect(roomLink(b.page, alice.displayName)).toContainText("12");
  await roomLink(b.page, alice.displayName).click();
  // The room opens at its first unread message, under an "Unread messages" line, not at the bottom.
  const divider = log(b.page).locator(".unread-divider");
  await expect(divider).toHaveText("Unread messages");
  await expect(message(b.page, "line 6")).toBeInViewport();
  await expect(message(b.page, "line 17")).not.toBeInViewport();
  const order = await log(b.page)
    .locator(".unread-divider, .msg-text")
    .evaluateAll((els) => els.map((e) => e.textContent));
  expect(order.slice(order.indexOf("Unread messages") - 1, order.indexOf("Unread messages") + 2)).toEqual([
    "line 5",
    "Unread messages",
    "line 6",
  ]);
  // Today's messages sit under a "Today" line.
  await expect(log(b.page).locator(".day-divider").first()).toHaveText("Today");
  await expect(chatLink(b.page).getByTestId("unread-badge")).toHaveAttribute("data-count", "12");

  // Reading to the bottom marks the room read: both badges go.
  await b.page.locator(".room-scroll").evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
  await expect(chatLink(b.page).getByTestId("unread-badge")).toHaveCount(0);
  await expect(chatLink(b.page)).toHaveAccessibleName("Chat");
  await expect(roomLink(b.page, alice.displayName).locator(".unread-badge")).toHaveCount(0);
  await b.context.close();
});

test("reactions reach the other member live; actions sit beside the bubble; own messages show their time", async ({
  browser,
  request,
  baseURL,
}) => {
  const [alice, bob] = await Promise.all([createAccount(request, "ra"), createAccount(request, "rb")]);
  // Friends: a room from a stranger would be a message request, with no live unread count.
  await befriend(request, alice, bob);
  const room = await callApi<{ id: string }>(request, alice, "POST", "/rooms", {
    memberHandles: [bob.handle],
  });
  await say(request, alice, room.id, "dinner at 7?");
  const path = `/chat/room/?id=${room.id}`;
  const [a, b] = await Promise.all([
    open(browser, baseURL!, alice, path),
    open(browser, baseURL!, bob, path),
  ]);
  await expect(message(a.page, "dinner at 7\\?")).toBeVisible();
  await expect(message(b.page, "dinner at 7\\?")).toBeVisible();

  // Alice's own message shows when it was sent, and (once Bob read it) "Read" beside it.
  const own = message(a.page, "dinner at 7\\?");
  await expect(own.locator(".msg-sent")).toHaveText(/^Sent\s*\d{1,2}:\d{2}/);
  await expect(own.locator(".msg-read")).toHaveText("Read");

  // Hovered, the actions do not cover the text or the "Read" line.
  await own.hover();
  const actions = own.locator(".msg-actions");
  await expect(actions.getByRole("button", { name: "Edit" })).toBeVisible();
  expect(apart(await actions.boundingBox(), await own.locator(".msg-text").boundingBox())).toBe(true);
  expect(apart(await actions.boundingBox(), await own.locator(".msg-read").boundingBox())).toBe(true);

  // Bob reacts from the picker; Alice sees the count arrive without a reload.
  const theirs = message(b.page, "dinner at 7\\?");
  await theirs.hover();
  await theirs.getByRole("button", { name: "React", exact: true }).click();
  await theirs.getByRole("button", { name: "React with 👍" }).click();
  await expect(theirs.getByRole("button", { name: "👍 1, including you" })).toHaveAttribute(
    "aria-pressed",
    "true",
  );
  await expect(own.getByRole("button", { name: "👍 1", exact: true })).toHaveAttribute(
    "aria-pressed",
    "false",
  );

  // Alice joins in with a click on the count; both see two, each marked as theirs.
  await own.getByRole("button", { name: "👍 1", exact: true }).click();
  await expect(own.getByRole("button", { name: "👍 2, including you" })).toBeVisible();
  await expect(theirs.getByRole("button", { name: "👍 2, including you" })).toBeVisible();
  // Bob takes his back: Alice's count drops live.
  await theirs.getByRole("button", { name: "👍 2, including you" }).click();
  await expect(theirs.getByRole("button", { name: "👍 1", exact: true })).toBeVisible();
  await expect(own.getByRole("button", { name: "👍 1, including you" })).toBeVisible();

  // A reload reads the same counts back from the server.
  await b.page.reload();
  await expect(
    message(b.page, "dinner at 7\\?").getByRole("button", { name: "👍 1", exact: true }),
  ).toBeVisible();
  await Promise.all([a.context.close(), b.context.close()]);
});

test("an image message's bubble fits the image", async ({ browser, request, baseURL }) => {
  const [alice, bob] = await Promise.all([createAccount(request, "ia"), createAccount(request, "ib")]);
  // Friends: a room from a stranger would be a message request, with no live unread count.
  await befriend(request, alice, bob);
  const room = await callApi<{ id: string }>(request, alice, "POST", "/rooms", {
    memberHandles: [bob.handle],
  });
  const png = gradientPng(200, 150);
  const { mediaId, upload } = await callApi<{
    mediaId: string;
    upload: { url: string; fields: Record<string, string> };
  }>(request, alice, "POST", "/media/uploads", {
    contentType: "image/png",
    size: png.length,
    purpose: "chat",
  });
  const posted = await request.post(upload.url, {
    multipart: { ...upload.fields, file: { name: "file", mimeType: "image/png", buffer: png } },
  });
  expect(posted.status()).toBeLessThan(300);
  await expect
    .poll(
      async () => (await callApi<{ status: string }>(request, alice, "GET", `/media/${mediaId}`)).status,
      {
        timeout: 30_000,
      },
    )
    .toBe("ready");
  await callApi(request, alice, "POST", `/rooms/${room.id}/messages`, { text: "", mediaIds: [mediaId] });

  const b = await open(browser, baseURL!, bob, `/chat/room/?id=${room.id}`);
  const img = log(b.page).locator(".msg img").first();
  await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBe(200);
  const bubble = await log(b.page).locator(".msg-bubble").first().boundingBox();
  const picture = await img.boundingBox();
  expect(picture!.width).toBeGreaterThan(150);
  // The bubble is the picture plus its thin frame, not a wide empty box.
  expect(bubble!.width - picture!.width).toBeLessThan(16);
  await b.context.close();
});

test.describe("on a 360 px phone", () => {
  test("actions show only for the message picked with “…”; a group of two @phone", async ({
    browser,
    request,
    baseURL,
  }) => {
    const [alice, bob] = await Promise.all([createAccount(request, "pa"), createAccount(request, "pb")]);
    // Friends: a room from a stranger would be a message request, with no live unread count.
    await befriend(request, alice, bob);
    const room = await callApi<{ id: string }>(request, alice, "POST", "/rooms", {
      memberHandles: [bob.handle],
    });
    for (const text of ["first", "second", "third"]) await say(request, bob, room.id, text);
    const a = await open(browser, baseURL!, alice, `/chat/room/?id=${room.id}`, {
      width: 360,
      height: 740,
    });
    await expect(message(a.page, "third")).toBeVisible();
    // No actions under every message.
    await expect(log(a.page).getByRole("button", { name: "Reply" })).toHaveCount(0);
    await message(a.page, "second").getByRole("button", { name: "Message actions" }).click();
    await expect(log(a.page).getByRole("button", { name: "Reply" })).toHaveCount(1);
    await expect(message(a.page, "second").getByRole("button", { name: "Reply" })).toBeVisible();
    // Picking another message moves the actions; a tap on the text does too.
    await message(a.page, "third").locator(".msg-text").click();
    await expect(log(a.page).getByRole("button", { name: "Reply" })).toHaveCount(1);
    await expect(message(a.page, "third").getByRole("button", { name: "Reply" })).toBeVisible();
    expect(await a.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    // A group of two: one person, asked for as a group.
    await a.page.goto("/chat/");
    await a.page.getByRole("button", { name: "New chat" }).click();
    await a.page.getByRole("textbox", { name: "Add people by handle" }).fill(bob.handle);
    await a.page.getByRole("button", { name: "Add", exact: true }).click();
    await a.page.getByRole("checkbox", { name: "Make it a group" }).check();
    await a.page.getByRole("textbox", { name: "Group name" }).fill("Just us two");
    await a.page.getByRole("button", { name: "Start chat" }).click();
    await expect(a.page.getByRole("heading", { name: "Just us two" })).toBeVisible();
    await expect(a.page.getByText("2 members")).toBeVisible();
    await a.context.close();
  });
});
