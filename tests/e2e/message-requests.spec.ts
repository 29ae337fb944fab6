// Message requests in two browsers: a stranger's first message waits in Requests (accept moves it to the inbox,
// delete hides it and tells the sender nothing, block ends it for good), a group invitation is accepted, a 1:1 room
// is left.
import { expect, type Page, test } from "@playwright/test";
import { type Account, callApi, createAccount, follow, openAs } from "./support/api";

test.use({ locale: "en-US" });

const roomUrl = (id: string) => `/chat/room/?id=${encodeURIComponent(id)}`;
const chats = (page: Page) => page.getByRole("navigation", { name: "Chats" });
const roomLink = (page: Page, name: string | RegExp) => chats(page).getByRole("link", { name });
const tab = (page: Page, name: "Inbox" | "Requests") =>
  chats(page).getByRole("tab", { name: new RegExp(`^${name}`) });
const composer = (page: Page) => page.getByRole("textbox", { name: "Message", exact: true });
const texts = (page: Page) => page.getByRole("log", { name: "Messages" }).locator(".msg-text");
const requestBar = (page: Page) => page.getByRole("region", { name: /Message request|Group invitation/ });

async function say(page: Page, text: string) {
  await composer(page).fill(text);
  await composer(page).press("Enter");
  await expect(composer(page)).toHaveValue("");
}

const openRoom = (request: Parameters<typeof callApi>[0], from: Account, to: Account[], name?: string) =>
  callApi<{ id: string }>(request, from, "POST", "/rooms", {
    memberHandles: to.map((a) => a.handle),
    ...(name ? { name } : {}),
  });

test("a stranger's message waits in Requests; accepting moves it to the inbox", async ({
  browser,
  baseURL,
  request,
}) => {
  const [stranger, me] = await Promise.all([createAccount(request, "rqs"), createAccount(request, "rqm")]);
  const room = await openRoom(request, stranger, [me]);
  const [ps, pm] = await Promise.all([openAs(browser, baseURL!, stranger), openAs(browser, baseURL!, me)]);
  await Promise.all([ps.page.goto(roomUrl(room.id)), pm.page.goto("/chat/")]);
  await expect(tab(pm.page, "Requests")).toHaveAccessibleName("Requests");
  await say(ps.page, "hi, we met at the meetup");

  // The count moves live; the inbox does not get the room.
  await expect(tab(pm.page, "Requests")).toHaveAccessibleName("Requests 1");
  await expect(roomLink(pm.page, new RegExp(stranger.displayName))).toHaveCount(0);
  // Keyboard: the tab list moves with the arrow keys.
  await tab(pm.page, "Inbox").focus();
  await pm.page.keyboard.press("ArrowRight");
  await expect(tab(pm.page, "Requests")).toBeFocused();
  await expect(tab(pm.page, "Requests")).toHaveAttribute("aria-selected", "true");
  await roomLink(pm.page, new RegExp(stranger.displayName)).click();

  await expect(requestBar(pm.page)).toContainText(`${stranger.displayName} wants to message you`);
  await expect(texts(pm.page)).toHaveText(["hi, we met at the meetup"]);
  await expect(composer(pm.page)).toHaveCount(0);
  await requestBar(pm.page).getByRole("button", { name: "Accept" }).click();
  await expect(composer(pm.page)).toBeVisible();
  await expect(requestBar(pm.page)).toHaveCount(0);
  await expect(tab(pm.page, "Requests")).toHaveAccessibleName("Requests");
  await tab(pm.page, "Inbox").click();
  await expect(roomLink(pm.page, new RegExp(stranger.displayName))).toBeVisible();

  // Now a normal room: messages arrive live.
  await say(ps.page, "glad you accepted");
  await expect(texts(pm.page)).toHaveText(["hi, we met at the meetup", "glad you accepted"]);
  await Promise.all([ps.context.close(), pm.context.close()]);
});

test("leaving a 1:1 room from its menu takes it out of the leaver's list", async ({
  browser,
  baseURL,
  request,
}) => {
  const [other, me] = await Promise.all([createAccount(request, "rlo"), createAccount(request, "rlm")]);
  await follow(request, me, other.handle);
  const room = await openRoom(request, other, [me]);
  await callApi(request, other, "POST", `/rooms/${room.id}/messages`, { text: "see you" });
  const pm = await openAs(browser, baseURL!, me);
  await pm.page.goto(roomUrl(room.id));
  await expect(roomLink(pm.page, new RegExp(other.displayName))).toBeVisible();
  await pm.page.getByRole("button", { name: "Conversation options" }).click();
  await expect(pm.page.getByRole("menuitem", { name: "Leave conversation" })).toBeFocused();
  await pm.page.keyboard.press("Enter");
  const confirm = pm.page.getByRole("dialog", { name: "Leave this conversation?" });
  await confirm.getByRole("button", { name: "Leave conversation" }).click();
  await expect(pm.page).toHaveURL(/\/chat\/$/);
  await expect(roomLink(pm.page, new RegExp(other.displayName))).toHaveCount(0);
  await pm.page.reload();
  await expect(chats(pm.page).getByText("No chats yet")).toBeVisible();
  await pm.context.close();
});

test("deleting a request hides it for the recipient and tells the sender nothing", async ({
  browser,
  baseURL,
  request,
}) => {
  const [stranger, me] = await Promise.all([createAccount(request, "rds"), createAccount(request, "rdm")]);
  const room = await openRoom(request, stranger, [me]);
  const [ps, pm] = await Promise.all([openAs(browser, baseURL!, stranger), openAs(browser, baseURL!, me)]);
  await ps.page.goto(roomUrl(room.id));
  await say(ps.page, "buy my course");
  await pm.page.goto("/chat/");
  await tab(pm.page, "Requests").click();
  await roomLink(pm.page, new RegExp(stranger.displayName)).click();
  await requestBar(pm.page).getByRole("button", { name: "Delete" }).click();
  await expect(pm.page).toHaveURL(/\/chat\/$/);
  await expect(tab(pm.page, "Requests")).toHaveAccessibleName("Requests");
  await tab(pm.page, "Requests").click();
  await expect(chats(pm.page).getByText("No message requests.")).toBeVisible();

  // The sender still has a normal room and can write; the recipient hears nothing of it.
  await say(ps.page, "hello??");
  await expect(ps.page.getByRole("status").filter({ hasText: /removed|left/ })).toHaveCount(0);
  await expect(texts(ps.page)).toHaveText(["buy my course", "hello??"]);
  await pm.page.reload();
  await tab(pm.page, "Requests").click();
  await expect(chats(pm.page).getByText("No message requests.")).toBeVisible();
  await tab(pm.page, "Inbox").click();
  await expect(roomLink(pm.page, new RegExp(stranger.displayName))).toHaveCount(0);
  await Promise.all([ps.context.close(), pm.context.close()]);
});

test("blocking from a request removes it, and the sender can no longer message", async ({
  browser,
  baseURL,
  request,
}) => {
  const [stranger, me] = await Promise.all([createAccount(request, "rbs"), createAccount(request, "rbm")]);
  const room = await openRoom(request, stranger, [me]);
  const [ps, pm] = await Promise.all([openAs(browser, baseURL!, stranger), openAs(browser, baseURL!, me)]);
  await ps.page.goto(roomUrl(room.id));
  await say(ps.page, "you won a prize");
  await pm.page.goto("/chat/");
  await expect(tab(pm.page, "Requests")).toHaveAccessibleName("Requests 1");
  await tab(pm.page, "Requests").click();
  await roomLink(pm.page, new RegExp(stranger.displayName)).click();

  // Keyboard only: Tab reaches Block, Enter asks first, Cancel keeps the request.
  const block = requestBar(pm.page).getByRole("button", { name: "Block" });
  await requestBar(pm.page).getByRole("button", { name: "Delete" }).focus();
  await pm.page.keyboard.press("Tab");
  await expect(block).toBeFocused();
  await pm.page.keyboard.press("Enter");
  const confirm = pm.page.getByRole("dialog", { name: `Block @${stranger.handle}?` });
  await expect(confirm).toContainText("The request is deleted");
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(confirm).toHaveCount(0);
  await expect(requestBar(pm.page)).toBeVisible();
  await block.click();
  await confirm.getByRole("button", { name: "Block" }).click();

  // The request leaves Requests (and never reaches the inbox); the block is in the settings' list.
  await expect(pm.page).toHaveURL(/\/chat\/$/);
  await expect(tab(pm.page, "Requests")).toHaveAccessibleName("Requests");
  await tab(pm.page, "Requests").click();
  await expect(chats(pm.page).getByText("No message requests.")).toBeVisible();
  await tab(pm.page, "Inbox").click();
  await expect(roomLink(pm.page, new RegExp(stranger.displayName))).toHaveCount(0);
  const blocks = await callApi<{ items: { handle: string }[] }>(request, me, "GET", "/me/blocks");
  expect(blocks.items.map((b) => b.handle)).toEqual([stranger.handle]);

  // The sender's next message is refused and their room turns read-only; nothing reaches the recipient.
  await composer(ps.page).fill("hello??");
  await composer(ps.page).press("Enter");
  await expect(ps.page.getByRole("status").filter({ hasText: "read-only" })).toBeVisible();
  await expect(composer(ps.page)).toHaveCount(0);
  const again = await request.post(`/api/rooms/${room.id}/messages`, {
    headers: { authorization: `Bearer ${stranger.accessToken}` },
    data: { text: "still there?" },
  });
  expect(again.status()).toBe(403);
  await pm.page.reload();
  await expect(tab(pm.page, "Requests")).toHaveAccessibleName("Requests");
  await Promise.all([ps.context.close(), pm.context.close()]);
});

test("a group invitation from someone one does not follow waits for acceptance", async ({
  browser,
  baseURL,
  request,
}) => {
  const [owner, me] = await Promise.all([createAccount(request, "gio"), createAccount(request, "gim")]);
  const room = await openRoom(request, owner, [me], "Picnic");
  const [po, pm] = await Promise.all([openAs(browser, baseURL!, owner), openAs(browser, baseURL!, me)]);
  await Promise.all([po.page.goto(roomUrl(room.id)), pm.page.goto("/chat/")]);
  await expect(tab(pm.page, "Requests")).toHaveAccessibleName("Requests 1");
  await tab(pm.page, "Requests").click();
  await roomLink(pm.page, /Picnic/).click();
  await expect(requestBar(pm.page)).toContainText(`${owner.displayName} invited you to this group`);
  await requestBar(pm.page).getByRole("button", { name: "Accept" }).click();
  await expect(composer(pm.page)).toBeVisible();
  await say(po.page, "bring snacks");
  await expect(texts(pm.page)).toHaveText(["bring snacks"]);
  await tab(pm.page, "Inbox").click();
  await expect(roomLink(pm.page, /Picnic/)).toBeVisible();
  await Promise.all([po.context.close(), pm.context.close()]);
});

test("answering a request on a 360 px phone, in Japanese @phone", async ({ browser, baseURL, request }) => {
  const [stranger, me] = await Promise.all([createAccount(request, "rps"), createAccount(request, "rpm")]);
  const room = await openRoom(request, stranger, [me]);
  await callApi(request, stranger, "POST", `/rooms/${room.id}/messages`, { text: "こんにちは" });
  const { context, page } = await openAs(browser, baseURL!, me, {
    lang: "ja",
    viewport: { width: 360, height: 740 },
  });
  await page.goto("/chat/");
  const requests = page.getByRole("tab", { name: /^リクエスト/ });
  await expect(requests).toHaveAccessibleName("リクエスト 1");
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await requests.click();
  await page.getByRole("link", { name: new RegExp(stranger.displayName) }).click();
  const bar = page.getByRole("region", { name: "メッセージリクエスト" });
  await expect(bar).toContainText("メッセージを送りたがっています");
  await expect(bar.getByRole("button", { name: "ブロック" })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await bar.getByRole("button", { name: "承認" }).click();
  await expect(page.getByRole("textbox", { name: "メッセージ", exact: true })).toBeVisible();
  await context.close();
});
