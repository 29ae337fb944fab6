import { expect, type Locator, type Page, test } from "@playwright/test";
import { type Account, callApi, confirmed, createAccount, follow, openAs } from "./support/api";
import { tabTo } from "./support/keyboard";

test.use({ locale: "en-US" });

const roomUrl = (id: string) => `/chat/room/?id=${encodeURIComponent(id)}`;
const roomLink = (page: Page, name: string | RegExp) =>
  page.getByRole("navigation", { name: "Chats" }).getByRole("link", { name });
const composer = (page: Page) => page.getByRole("textbox", { name: "Message", exact: true });
const texts = (page: Page) => page.getByRole("log", { name: "Messages" }).locator(".msg-text");
const membersButton = (page: Page) => page.getByRole("button", { name: "Members", exact: true });
const membersDialog = (page: Page) => page.getByRole("dialog", { name: /^Members \(\d+\)$/ });
/** A member's row in the dialog, found by display name. */
const row = (dialog: Locator, who: Account) =>
  dialog.getByRole("listitem").filter({ hasText: who.displayName });

async function openMembers(page: Page): Promise<Locator> {
  await membersButton(page).click();
  await expect(membersDialog(page)).toBeVisible();
  return membersDialog(page);
}

async function addByHandle(dialog: Locator, handle: string) {
  const entry = dialog.getByLabel("Add people by handle");
  await entry.fill(handle);
  await entry.press("Enter");
}

test("the owner adds, promotes and removes people, a member leaves, and everyone sees it live", async ({
  browser,
  baseURL,
  request,
}) => {
  const [a, b, c] = await Promise.all([
    createAccount(request, "ma"),
    createAccount(request, "mb"),
    createAccount(request, "mc"),
  ]);
  // B and C follow A: a group from someone they do not follow would be an invitation (message-requests.spec.ts).
  await Promise.all([follow(request, b, a.handle), follow(request, c, a.handle)]);
  const room = await callApi<{ id: string }>(request, a, "POST", "/rooms", {
    memberHandles: [b.handle],
    name: "Crew",
  });
  const [pa, pb, pc] = await Promise.all([
    openAs(browser, baseURL!, a),
    openAs(browser, baseURL!, b),
    openAs(browser, baseURL!, c),
  ]);
  // B's socket can be made to miss room events, as a client does across a network blip.
  let dropRoomEvents = false;
  await pb.context.routeWebSocket(/\/ws\?/, (ws) => {
    const server = ws.connectToServer();
    server.onMessage((message) => {
      if (!(dropRoomEvents && String(message).includes('"room.updated"'))) ws.send(message);
    });
  });
  await Promise.all([pa.page.goto(roomUrl(room.id)), pb.page.goto(roomUrl(room.id)), pc.page.goto("/chat/")]);
  await expect(pb.page.getByText("2 members")).toBeVisible();
  await expect(roomLink(pb.page, /Crew/)).toBeVisible();

  // A's dialog: both people, A marked as the owner and as "you".
  const dialogA = await openMembers(pa.page);
  await expect(dialogA.getByRole("heading")).toHaveText("Members (2)");
  await expect(row(dialogA, a)).toContainText(`${a.displayName} (you)`);
  await expect(row(dialogA, a)).toContainText("Owner");
  await expect(row(dialogA, b)).toContainText(`@${b.handle}`);

  // Adding: someone already in, a handle nobody has, then C.
  await addByHandle(dialogA, b.handle);
  await expect(dialogA.getByText(`@${b.handle} is already in this group.`)).toBeVisible();
  await addByHandle(dialogA, "nobody_here_x");
  await expect(dialogA.getByText("No one has the handle @nobody_here_x.")).toBeVisible();
  await addByHandle(dialogA, `@${c.handle}`);
  await expect(dialogA.getByRole("status")).toHaveText(`${c.displayName} was added.`);
  await expect(dialogA.getByRole("heading")).toHaveText("Members (3)");
  await expect(row(dialogA, c)).toContainText(`@${c.handle}`);
  await pa.page.screenshot({ path: test.info().outputPath("members-desktop.png") });
  // B, reading the room, and C, on the chat list, see it live.
  await expect(pb.page.getByText("3 members")).toBeVisible();
  await expect(roomLink(pc.page, /Crew/)).toBeVisible();

  // A makes B an admin: B may now remove C, but not A, and may change no roles.
  await row(dialogA, b)
    .getByRole("button", { name: `Make ${b.displayName} an admin` })
    .click();
  await expect(row(dialogA, b)).toContainText("Admin");
  const dialogB = await openMembers(pb.page);
  await expect(row(dialogB, b)).toContainText("Admin");
  const removeC = row(dialogB, c).getByRole("button", { name: `Remove ${c.displayName} from the group` });
  await expect(removeC).toBeVisible();
  await expect(row(dialogB, a).getByRole("button")).toHaveCount(0);
  await expect(dialogB.getByRole("button", { name: /an admin$/ })).toHaveCount(0);

  // B misses the event of A taking the role back: B's removal is refused, undone and explained.
  dropRoomEvents = true;
  await confirmed(pa.page, "PATCH", /^\/api\/rooms\/.+\/members\//, () =>
    row(dialogA, b)
      .getByRole("button", { name: `Remove ${b.displayName} as admin` })
      .click(),
  );
  await expect(row(dialogA, b)).not.toContainText("Admin");
  await removeC.click();
  await pb.page
    .getByRole("dialog", { name: `Remove ${c.displayName}?` })
    .getByRole("button", { name: "Remove", exact: true })
    .click();
  await expect(dialogB.getByRole("alert")).toHaveText("Only the group's owner or admins can do that.");
  await expect(row(dialogB, c)).toBeVisible();
  await expect(dialogB.getByRole("button", { name: /^Remove / })).toHaveCount(0);
  dropRoomEvents = false;
  await pb.page.keyboard.press("Escape");
  await expect(dialogB).toBeHidden();

  // C gets the room's messages.
  await pa.page.keyboard.press("Escape");
  await composer(pa.page).fill("Welcome C");
  await composer(pa.page).press("Enter");
  await roomLink(pc.page, /Crew/).click();
  await expect(texts(pc.page)).toHaveText(["Welcome C"]);

  // A removes B while B's socket misses that too: B's next message is refused, and B is told why.
  dropRoomEvents = true;
  await openMembers(pa.page);
  await row(dialogA, b)
    .getByRole("button", { name: `Remove ${b.displayName} from the group` })
    .click();
  const confirmA = pa.page.getByRole("dialog", { name: `Remove ${b.displayName}?` });
  await expect(confirmA).toContainText("They'll stop getting this group's messages.");
  await confirmA.getByRole("button", { name: "Remove", exact: true }).click();
  await expect(row(dialogA, b)).toHaveCount(0);
  await expect(dialogA.getByRole("status")).toHaveText(`${b.displayName} was removed.`);
  await expect(roomLink(pb.page, /Crew/)).toBeVisible();
  await composer(pb.page).fill("Still here?");
  await composer(pb.page).press("Enter");
  await expect(
    pb.page.getByText("You were removed from this group, so you can't send messages here."),
  ).toBeVisible();
  await expect(composer(pb.page)).toHaveCount(0);
  await expect(roomLink(pb.page, /Crew/)).toHaveCount(0);

  // C, a plain member, can only leave: back on the list without the room, and A sees C go.
  const dialogC = await openMembers(pc.page);
  await expect(row(dialogC, a)).toContainText("Owner");
  await expect(dialogC.getByLabel("Add people by handle")).toHaveCount(0);
  await expect(dialogC.getByRole("listitem").getByRole("button")).toHaveCount(0);
  await dialogC.getByRole("button", { name: "Leave group" }).click();
  await pc.page
    .getByRole("dialog", { name: "Leave this group?" })
    .getByRole("button", { name: "Leave group" })
    .click();
  await expect(pc.page).toHaveURL(/\/chat\/$/);
  await expect(pc.page.getByText("Choose a chat, or start a new one.")).toBeVisible();
  await expect(roomLink(pc.page, /Crew/)).toHaveCount(0);
  await expect(dialogA.getByRole("heading")).toHaveText("Members (1)");

  await Promise.all([pa.context.close(), pb.context.close(), pc.context.close()]);
});

test("the members dialog by keyboard only at 360 px, without sideways scrolling; the removed member is told live", async ({
  browser,
  baseURL,
  request,
}) => {
  const [a, b] = await Promise.all([createAccount(request, "ka"), createAccount(request, "kb")]);
  await follow(request, b, a.handle);
  const room = await callApi<{ id: string }>(request, a, "POST", "/rooms", {
    memberHandles: [b.handle],
    name: "Pair",
  });
  const { context, page } = await openAs(browser, baseURL!, a, { viewport: { width: 360, height: 740 } });
  const other = await openAs(browser, baseURL!, b);
  await Promise.all([page.goto(roomUrl(room.id)), other.page.goto(roomUrl(room.id))]);
  await expect(page.getByRole("heading", { name: "Pair" })).toBeVisible();
  await expect(roomLink(other.page, /Pair/)).toBeVisible();

  // Tab to "Members" and open it: focus moves into the dialog.
  await tabTo(page, membersButton(page));
  await page.keyboard.press("Enter");
  const dialog = membersDialog(page);
  await expect(dialog).toBeVisible();
  await expect(dialog.locator(":focus")).toHaveCount(1);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  const box = (await dialog.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(360);

  // Promote by keyboard: the button keeps focus and now offers the opposite.
  await tabTo(page, row(dialog, b).getByRole("button", { name: `Make ${b.displayName} an admin` }));
  await page.keyboard.press("Enter");
  await expect(row(dialog, b)).toContainText("Admin");
  await expect(
    row(dialog, b).getByRole("button", { name: `Remove ${b.displayName} as admin` }),
  ).toBeFocused();
  await page.screenshot({ path: test.info().outputPath("members-360.png") });

  // Remove: Esc backs out of the confirmation only; confirming moves focus to the dialog's title.
  const remove = row(dialog, b).getByRole("button", { name: `Remove ${b.displayName} from the group` });
  await tabTo(page, remove);
  await page.keyboard.press("Enter");
  const confirm = page.getByRole("dialog", { name: `Remove ${b.displayName}?` });
  await expect(confirm.getByRole("button", { name: "Cancel" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(confirm).toBeHidden();
  await expect(dialog).toBeVisible();
  await expect(remove).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(confirm.getByRole("button", { name: "Cancel" })).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(confirm.getByRole("button", { name: "Remove", exact: true })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(row(dialog, b)).toHaveCount(0);
  await expect(dialog.getByRole("heading")).toBeFocused();
  await expect(dialog.getByRole("heading")).toHaveText("Members (1)");
  // B, reading the room, is told at once: no composer, and the room leaves B's list.
  await expect(
    other.page.getByText("You were removed from this group, so you can't send messages here."),
  ).toBeVisible();
  await expect(composer(other.page)).toHaveCount(0);
  await expect(roomLink(other.page, /Pair/)).toHaveCount(0);

  // Esc closes the dialog and gives focus back to the button that opened it.
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(membersButton(page)).toBeFocused();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

  await Promise.all([context.close(), other.context.close()]);
});
