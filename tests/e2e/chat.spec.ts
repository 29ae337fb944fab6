import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GoneException,
} from "@aws-sdk/client-apigatewaymanagementapi";
import { DynamoDBClient, QueryCommand } from "@aws-sdk/client-dynamodb";
import { type Browser, type BrowserContext, expect, type Locator, type Page, test } from "@playwright/test";
import { signInTokens } from "./support/api";
import { type LocalJson as CloudJson, LOCAL_CREDENTIALS, localCloud } from "./support/local-cloud";
import { newUser, signUp as signUpAs, type TestUser } from "./support/users";

test.use({ locale: "en-US" });

interface Person {
  user: TestUser;
  context: BrowserContext;
  page: Page;
}

/** Sign up, confirm and sign in through the UI, in a browser context of its own. */
async function signUp(browser: Browser, tag: string): Promise<Person> {
  const user = newUser(tag);
  return { user, ...(await signUpAs(browser, user)) };
}

async function openChats(p: Person): Promise<void> {
  await p.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Chat" }).click();
  await expect(p.page.getByRole("heading", { name: "Chats" })).toBeVisible();
}

const roomLink = (p: Person, name: string | RegExp) =>
  p.page.getByRole("navigation", { name: "Chats" }).getByRole("link", { name });
const log = (p: Person): Locator => p.page.getByRole("log", { name: "Messages" });
/** Every message text shown, top to bottom: asserting the whole list checks order and duplicates at once. */
const texts = (p: Person): Locator => log(p).locator(".msg-text");
const composer = (p: Person): Locator => p.page.getByRole("textbox", { name: "Message", exact: true });
const typingLine = (p: Person): Locator => p.page.locator(".room-typing");
const reconnecting = (p: Person): Locator => p.page.getByRole("status").filter({ hasText: "Reconnecting…" });

async function send(p: Person, text: string): Promise<void> {
  await composer(p).fill(text);
  await composer(p).press("Enter");
  await expect(composer(p)).toHaveValue("");
}

/** The message (list item) whose text is exactly this. */
const message = (p: Person, text: string): Locator =>
  log(p)
    .getByRole("listitem")
    .filter({ has: p.page.locator(".msg-text", { hasText: new RegExp(`^${escapeRegExp(text)}$`) }) });
/** Presses one of a message's actions (Edit, Delete, Reply) from the keyboard. */
async function messageAction(p: Person, text: string, action: string): Promise<void> {
  const button = message(p, text).getByRole("button", { name: action, exact: true });
  await button.focus();
  await button.press("Enter");
}
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** local.json, with the @connections endpoint this spec drops sockets through. */
interface LocalJson extends CloudJson {
  managementEndpoint: string;
}

/** Drops sockets the way API Gateway does, so the client's reconnect path is what gets tested. */
async function dropConnections(local: LocalJson, userId: string): Promise<number> {
  const dynamo = new DynamoDBClient({ ...local.dynamodb, credentials: LOCAL_CREDENTIALS });
  // ElectroDB's byUser index on the Connection entity (packages/core/src/connection).
  const { Items = [] } = await dynamo.send(
    new QueryCommand({
      TableName: local.table,
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :pk AND begins_with(gsi1sk, :sk)",
      ExpressionAttributeValues: {
        ":pk": { S: `$asyncsns#userid_${userId.toLowerCase()}` },
        ":sk": { S: "$connection_1#connectionid_" },
      },
    }),
  );
  const ids = Items.flatMap((item) => item.connectionId?.S ?? []);
  const api = new ApiGatewayManagementApiClient({
    endpoint: local.managementEndpoint,
    region: local.dynamodb.region,
    credentials: LOCAL_CREDENTIALS,
  });
  let live = 0;
  for (const ConnectionId of ids) {
    try {
      await api.send(new DeleteConnectionCommand({ ConnectionId }));
      live++;
    } catch (error) {
      if (!(error instanceof GoneException)) throw error;
    }
  }
  dynamo.destroy();
  api.destroy();
  return live;
}

/** Takes a person offline (their reconnects fail until `setOffline(false)`), then the server drops their socket. */
async function cutOff(local: LocalJson, p: Person): Promise<void> {
  const token = (await signInTokens(p.page.request, p.user)).AccessToken;
  const me = await p.page.request.get("/api/me", { headers: { authorization: `Bearer ${token}` } });
  const id = ((await me.json()) as { id: string }).id;
  await p.context.setOffline(true);
  expect(await dropConnections(local, id)).toBe(1);
  await expect(reconnecting(p)).toBeVisible();
}

/** Everyone follows everyone, so rooms between them skip message requests (message-requests.spec.ts). */
async function friends(...people: Person[]): Promise<void> {
  for (const p of people) {
    const token = (await signInTokens(p.page.request, p.user)).AccessToken;
    for (const q of people.filter((other) => other !== p)) {
      const res = await p.page.request.post(`/api/users/${q.user.handle}/follow`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status()).toBe(204);
    }
  }
}

/** A 1:1 room B opened from A's profile, open on both sides. */
async function openPair(browser: Browser): Promise<[Person, Person]> {
  const [a, b] = await Promise.all([signUp(browser, "a"), signUp(browser, "b")]);
  await friends(a, b);
  await b.page.goto(`/u/?h=${a.user.handle}`);
  await b.page.getByRole("button", { name: "Message" }).click();
  await expect(b.page.getByRole("heading", { name: a.user.displayName })).toBeVisible();
  await openChats(a);
  await roomLink(a, new RegExp(b.user.displayName)).click();
  return [a, b];
}

test("1:1 chat both ways in realtime, with typing, read receipts and Japanese input", async ({ browser }) => {
  const [a, b] = await Promise.all([signUp(browser, "a"), signUp(browser, "b")]);
  await friends(a, b);

  // B waits on the chat list; A starts the chat from B's profile.
  await openChats(b);
  await expect(b.page.getByText("No chats yet")).toBeVisible();
  await a.page.goto(`/u/?h=${b.user.handle}`);
  await a.page.getByRole("button", { name: "Message" }).click();
  await expect(a.page).toHaveURL(/\/chat\/room\/\?id=rom_/);
  await expect(a.page.getByRole("heading", { name: b.user.displayName })).toBeVisible();
  await expect(a.page.getByText("No messages yet. Say hello!")).toBeVisible();

  // The new room reaches B's list live; A's first message shows as unread there.
  await expect(roomLink(b, new RegExp(a.user.displayName))).toBeVisible();
  await send(a, "Hello B");
  await expect(roomLink(b, /1 unread/)).toBeVisible();
  await expect(roomLink(b, /Hello B/)).toBeVisible();

  // B opens the room: the message is there, the badge goes, and A sees "Read" under it.
  await roomLink(b, new RegExp(a.user.displayName)).click();
  await expect(texts(b)).toHaveText(["Hello B"]);
  await expect(roomLink(b, /unread/)).toHaveCount(0);
  await expect(message(a, "Hello B").getByText("Read", { exact: true })).toBeVisible();

  // B types: A sees the indicator; B sends: A gets the message live and the indicator goes.
  await composer(b).pressSequentially("Hi A", { delay: 30 });
  await expect(typingLine(a)).toHaveText(`${b.user.displayName} is typing…`);
  await composer(b).press("Enter");
  await expect(texts(a)).toHaveText(["Hello B", "Hi A"]);
  await expect(typingLine(a)).toHaveText("");
  await expect(message(b, "Hi A").getByText("Read", { exact: true })).toBeVisible();
  // Only the latest message A has read carries the marker.
  await expect(message(b, "Hello B").getByText("Read", { exact: true })).toHaveCount(0);

  // Japanese input: Enter that confirms an IME conversion must not send; Shift+Enter is a newline.
  await composer(a).fill("にほんご");
  await composer(a).evaluate((el) => {
    el.dispatchEvent(new CompositionEvent("compositionstart", { bubbles: true, data: "" }));
    el.dispatchEvent(
      new KeyboardEvent("keydown", {
        key: "Enter",
        code: "Enter",
        isComposing: true,
        bubbles: true,
        cancelable: true,
      }),
    );
    el.dispatchEvent(new CompositionEvent("compositionend", { bubbles: true, data: "にほんご" }));
  });
  // A keydown reported as keyCode 229 (the IME has it) must not send either.
  await composer(a).evaluate((el) => {
    const e = new KeyboardEvent("keydown", { key: "Enter", code: "Enter", bubbles: true, cancelable: true });
    Object.defineProperty(e, "keyCode", { get: () => 229 });
    el.dispatchEvent(e);
  });
  await expect(composer(a)).toHaveValue("にほんご");
  await composer(a).press("Shift+Enter");
  await composer(a).pressSequentially("です");
  await expect(composer(a)).toHaveValue("にほんご\nです");
  await composer(a).press("Enter");
  await expect(composer(a)).toHaveValue("");
  await expect(texts(b)).toHaveText(["Hello B", "Hi A", "にほんご\nです"]);
  await expect(texts(a)).toHaveText(["Hello B", "Hi A", "にほんご\nです"]);

  // Edit and delete one's own message: both sides see the edit and the tombstone.
  await message(a, "Hello B").hover();
  await message(a, "Hello B").getByRole("button", { name: "Edit" }).click();
  const edit = a.page.getByRole("textbox", { name: "Edit message" });
  await edit.fill("Hello B (edited)");
  await edit.press("Enter");
  await expect(texts(b)).toHaveText(["Hello B (edited)", "Hi A", "にほんご\nです"]);
  await expect(message(b, "Hello B (edited)").getByText("edited", { exact: true })).toBeVisible();
  await message(a, "Hi A").hover();
  await expect(message(a, "Hi A").getByRole("button", { name: "Edit" })).toHaveCount(0);
  await message(a, "Hello B (edited)").hover();
  await message(a, "Hello B (edited)").getByRole("button", { name: "Delete" }).click();
  await a.page.getByRole("button", { name: "Delete message" }).click();
  await expect(texts(b)).toHaveText(["Message deleted", "Hi A", "にほんご\nです"]);
  await expect(texts(a)).toHaveText(["Message deleted", "Hi A", "にほんご\nです"]);

  // Reply: the quote shows on both sides.
  await message(b, "Hi A").hover();
  await message(b, "Hi A").getByRole("button", { name: "Reply" }).click();
  await expect(b.page.getByText(`Replying to ${b.user.displayName}`)).toBeVisible();
  await send(b, "Replying to myself");
  await expect(message(a, "Replying to myself").locator(".msg-quote")).toContainText("Hi A");

  await a.context.close();
  await b.context.close();
});

test("a group of three: everyone sees every message in order, with read receipts", async ({ browser }) => {
  const [a, b, c] = await Promise.all([signUp(browser, "a"), signUp(browser, "b"), signUp(browser, "c")]);
  await friends(a, b, c);
  await Promise.all([openChats(b), openChats(c)]);

  // A starts a named group with B and C through "New chat".
  await openChats(a);
  await a.page.getByRole("button", { name: "New chat" }).click();
  const entry = a.page.getByLabel("Add people by handle");
  await entry.fill(b.user.handle);
  await entry.press("Enter");
  await expect(a.page.getByRole("list", { name: "People in this chat" })).toContainText(b.user.displayName);
  await entry.fill(`@${c.user.handle}`);
  await a.page.getByRole("button", { name: "Add", exact: true }).click();
  await expect(a.page.getByRole("list", { name: "People in this chat" })).toContainText(c.user.displayName);
  await a.page.getByLabel("Group name").fill("Weekend trip");
  await a.page.getByRole("button", { name: "Start chat" }).click();
  await expect(a.page.getByRole("heading", { name: "Weekend trip" })).toBeVisible();
  await expect(a.page.getByText("3 members")).toBeVisible();

  // B and C get the room in their lists live and open it.
  for (const p of [b, c]) {
    await roomLink(p, /Weekend trip/).click();
    await expect(p.page.getByRole("heading", { name: "Weekend trip" })).toBeVisible();
  }
  await send(a, "Who's driving?");
  await expect(texts(b)).toHaveText(["Who's driving?"]);
  await send(b, "Me");
  await expect(texts(c)).toHaveText(["Who's driving?", "Me"]);
  await send(c, "I'll bring snacks");
  for (const p of [a, b, c]) await expect(texts(p)).toHaveText(["Who's driving?", "Me", "I'll bring snacks"]);

  // All three are reading: the last message is read by the two who did not send it.
  await expect(message(c, "I'll bring snacks").getByText("Read by 2")).toBeVisible();
  // Typing signals go out at most every 2.5 s, so type for longer than that.
  await composer(c).pressSequentially("and drinks too", { delay: 250 });
  await expect(typingLine(a)).toHaveText(`${c.user.displayName} is typing…`);
  await expect(typingLine(b)).toHaveText(`${c.user.displayName} is typing…`);

  await Promise.all([a.context.close(), b.context.close(), c.context.close()]);
});

test("the server drops a socket: messages sent meanwhile show up after reconnecting, in order, once", async ({
  browser,
  baseURL,
}) => {
  // It waits out a reconnect backoff and sends 60 messages: ~55 s on a quiet 2-core machine, before and after #11.
  test.slow();
  const local = await localCloud<LocalJson>(baseURL);
  const [a, b] = await openPair(browser);
  await send(a, "before 1");
  await send(a, "before 2");
  await expect(texts(b)).toHaveText(["before 1", "before 2"]);

  // B goes offline (its reconnects fail until it is back), then the server drops B's live socket.
  await cutOff(local, b);
  // A keeps writing while B has no socket.
  const during = ["during 1", "during 2", "during 3", "during 4", "during 5"];
  for (const text of during) await send(a, text);
  await expect(reconnecting(b)).toBeVisible();
  await expect(texts(b)).toHaveText(["before 1", "before 2"]);

  // Back online: every missed message, in order, each once; then live delivery again.
  await b.context.setOffline(false);
  await expect(reconnecting(b)).toBeHidden({ timeout: 45_000 });
  await expect(texts(b)).toHaveText(["before 1", "before 2", ...during]);
  await send(a, "after");
  await expect(texts(b)).toHaveText(["before 1", "before 2", ...during, "after"]);
  await send(b, "got them all");
  const shown = ["before 1", "before 2", ...during, "after", "got them all"];
  await expect(texts(a)).toHaveText(shown);

  // 55 more messages than a page, so scrolling up must load older ones without moving the view.
  const roomId = new URL(b.page.url()).searchParams.get("id");
  const token = (await signInTokens(a.page.request, a.user)).AccessToken;
  const bulk = Array.from({ length: 55 }, (_, i) => `bulk ${i + 1}`);
  for (const text of bulk) {
    const res = await a.page.request.post(`/api/rooms/${roomId}/messages`, {
      headers: { authorization: `Bearer ${token}` },
      data: { text },
    });
    expect(res.status()).toBe(201);
  }
  const all = [...shown, ...bulk];
  await b.page.reload();
  await expect(texts(b)).toHaveText(all.slice(-50));
  await expect(message(b, "bulk 55")).toBeInViewport();
  const anchor = message(b, all.at(-50)!);
  await b.page.locator(".room-scroll").evaluate((el) => el.scrollTo({ top: 0 }));
  await expect(texts(b)).toHaveText(all);
  await expect(anchor).toBeInViewport();
  await expect(b.page.getByText("This is the start of the conversation.")).toBeAttached();

  // Scrolled up, a new message does not yank B down: a "New messages" button appears instead.
  await send(a, "while you were reading");
  await expect(b.page.getByRole("button", { name: /New messages \(1\)/ })).toBeVisible();
  await expect(anchor).toBeInViewport();
  await b.page.getByRole("button", { name: /New messages/ }).click();
  await expect(message(b, "while you were reading")).toBeInViewport();

  await a.context.close();
  await b.context.close();
});

test("edits and deletions made while B was offline show after reconnecting, without a reload", async ({
  browser,
  baseURL,
}) => {
  const local = await localCloud<LocalJson>(baseURL);
  const [a, b] = await openPair(browser);
  const before = ["keep me", "fix me", "delete me"];
  for (const text of before) await send(a, text);
  await expect(texts(b)).toHaveText(before);
  await expect(roomLink(b, /delete me/)).toBeVisible();

  // Edits and deletions take no seq: while B has no socket, they reach nobody on B's side.
  await cutOff(local, b);
  // From the keyboard: a hover-only action bar floats over the message above, which a mouse would hover instead.
  await messageAction(a, "fix me", "Edit");
  const edit = a.page.getByRole("textbox", { name: "Edit message" });
  await edit.fill("fixed while you were away");
  await edit.press("Enter");
  await expect(message(a, "fixed while you were away")).toBeVisible();
  await messageAction(a, "delete me", "Delete");
  await a.page.getByRole("button", { name: "Delete message" }).click();
  const after = ["keep me", "fixed while you were away", "Message deleted"];
  await expect(texts(a)).toHaveText(after);
  await expect(texts(b)).toHaveText(before);

  // Offline edits and deletes must arrive once each, in order, including the room list's preview.
  await b.context.setOffline(false);
  await expect(reconnecting(b)).toBeHidden({ timeout: 45_000 });
  await expect(texts(b)).toHaveText(after);
  await expect(message(b, "fixed while you were away").getByText("edited", { exact: true })).toBeVisible();
  await expect(log(b).getByText("edited", { exact: true })).toHaveCount(1);
  await expect(roomLink(b, /Message deleted/)).toBeVisible();

  // Live delivery goes on after the catch-up, still once each.
  await send(a, "welcome back");
  await expect(texts(b)).toHaveText([...after, "welcome back"]);
  await expect(roomLink(b, /welcome back/)).toBeVisible();

  await a.context.close();
  await b.context.close();
});

test.describe("on a 360 px phone", () => {
  test.use({ viewport: { width: 360, height: 740 } });

  test("one pane at a time: list, room, back @phone", async ({ browser }) => {
    const [a, b] = await Promise.all([signUp(browser, "a"), signUp(browser, "b")]);
    await friends(a, b);
    await a.page.setViewportSize({ width: 360, height: 740 });
    await a.page.goto(`/u/?h=${b.user.handle}`);
    await a.page.getByRole("button", { name: "Message" }).click();
    await expect(a.page.getByRole("heading", { name: b.user.displayName })).toBeVisible();
    // In a room the list is out of the way; the composer fits the screen.
    await expect(a.page.getByRole("heading", { name: "Chats" })).toBeHidden();
    await send(a, "Sent from a phone");
    await expect(texts(a)).toHaveText(["Sent from a phone"]);
    const box = await composer(a).boundingBox();
    expect(box && box.x + box.width).toBeLessThanOrEqual(360);
    // On screen without scrolling: above the bottom tab bar, and no new-post button over its Send.
    const bar = await a.page.getByRole("navigation", { name: "Main" }).boundingBox();
    expect(box && bar && box.y + box.height).toBeLessThanOrEqual(bar!.y);
    await expect(a.page.getByRole("button", { name: "New post" })).toBeHidden();
    expect(await a.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await a.page.screenshot({ path: test.info().outputPath("room-360.png") });
    await a.page.getByRole("link", { name: "Back to chats" }).click();
    await expect(a.page.getByRole("heading", { name: "Chats" })).toBeVisible();
    await expect(roomLink(a, /Sent from a phone/)).toBeVisible();
    await a.context.close();
    await b.context.close();
  });
});
